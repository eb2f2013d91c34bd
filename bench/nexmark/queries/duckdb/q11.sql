-- DuckDB oracle/baseline for ../q11.sql over the views bid, auction, person, side_input (check.py, run.sh).
WITH x AS (
  SELECT bidder, date_time,
         CASE WHEN date_time - lag(date_time) OVER (PARTITION BY bidder ORDER BY date_time) < INTERVAL 10 SECOND
              THEN 0 ELSE 1 END AS new_session
  FROM bid
), y AS (
  SELECT bidder, date_time,
         SUM(new_session) OVER (PARTITION BY bidder ORDER BY date_time ROWS UNBOUNDED PRECEDING) AS sid
  FROM x
)
SELECT bidder, COUNT(*) AS bid_count, MIN(date_time) AS starttime, MAX(date_time) + INTERVAL 10 SECOND AS endtime
FROM y GROUP BY bidder, sid
