-- DuckDB oracle/baseline for ../q7w.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT make_timestamp(s) AS starttime, make_timestamp(s + 10000000) AS endtime, MAX(price) AS maxprice
FROM (SELECT price, epoch_us(date_time) // 10000000 * 10000000 AS s FROM bid)
GROUP BY s
