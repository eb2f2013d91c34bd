-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- Comma join with the key and the time bound in WHERE (an inner join: WHERE filters its
-- matches as ON would): the bound is found there and pushed into the IntervalJoin.
CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
EXPLAIN (COSTS OFF) SELECT v.page, c.ad FROM views v, clicks c
  WHERE v.user_id = c.user_id AND c.ts BETWEEN v.ts AND v.ts + INTERVAL '5' SECOND AND v.page <> 'x';
