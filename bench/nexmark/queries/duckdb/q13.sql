-- DuckDB oracle/baseline for ../q13.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT B.auction, B.bidder, B.price, B.date_time, S.v
FROM bid AS B JOIN side_input AS S ON (B.auction % 10000) = S.k
