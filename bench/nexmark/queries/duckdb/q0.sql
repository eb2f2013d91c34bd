-- DuckDB oracle/baseline for ../q0.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, bidder, price, date_time, extra FROM bid
