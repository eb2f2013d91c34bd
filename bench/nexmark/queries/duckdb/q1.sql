-- DuckDB oracle/baseline for ../q1.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid
