-- DuckDB oracle/baseline for ../q18.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, bidder, price, channel, url, date_time, extra
FROM (SELECT *, row_number() OVER (PARTITION BY bidder, auction ORDER BY rn DESC) AS k FROM bid_rn)
WHERE k = 1
