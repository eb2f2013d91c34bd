-- DuckDB oracle/baseline for ../q5w.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, make_timestamp(s) AS starttime, make_timestamp(s + 10000000) AS endtime, COUNT(*) AS num
  FROM (SELECT auction, epoch_us(date_time) AS t, epoch_us(date_time) // 2000000 * 2000000 - k * 2000000 AS s
        FROM bid, range(0, 5) AS r(k))
  WHERE s + 10000000 > t
  GROUP BY auction, s
