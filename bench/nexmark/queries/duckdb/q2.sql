-- DuckDB oracle/baseline for ../q2.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, price FROM bid WHERE (auction % 123) = 0
