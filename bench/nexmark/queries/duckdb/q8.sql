-- DuckDB oracle/baseline for ../q8.sql over the views bid, auction, person, side_input (check.py, run.sh).
WITH p AS (
  SELECT id, name, make_timestamp(s) AS starttime, make_timestamp(s + 10000000) AS endtime
  FROM (SELECT id, name, epoch_us(date_time) // 10000000 * 10000000 AS s FROM person) GROUP BY id, name, s
), a AS (
  SELECT seller, make_timestamp(s) AS starttime, make_timestamp(s + 10000000) AS endtime
  FROM (SELECT seller, epoch_us(date_time) // 10000000 * 10000000 AS s FROM auction) GROUP BY seller, s
)
SELECT p.id, p.name, p.starttime
FROM p JOIN a ON p.id = a.seller AND p.starttime = a.starttime AND p.endtime = a.endtime
