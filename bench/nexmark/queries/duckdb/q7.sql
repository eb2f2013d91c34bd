-- DuckDB oracle/baseline for ../q7.sql over the views bid, auction, person, side_input (check.py, run.sh).
WITH m AS (
  SELECT make_timestamp(s + 10000000) AS we, MAX(price) AS maxprice
  FROM (SELECT price, epoch_us(date_time) // 10000000 * 10000000 AS s FROM bid) GROUP BY s
)
SELECT B.auction, B.price, B.bidder, B.date_time, B.extra
FROM bid AS B JOIN m ON B.price = m.maxprice
WHERE B.date_time BETWEEN m.we - INTERVAL 10 SECOND AND m.we
