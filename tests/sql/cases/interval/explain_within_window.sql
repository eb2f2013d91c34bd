-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- JOIN ... WITHIN 30s is |c.ts - v.ts| <= 30s; a TUMBLING window aggregates the joined
-- stream by the views' event time.
CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
EXPLAIN (COSTS OFF) SELECT v.page, COUNT(*) AS clicks FROM views v JOIN clicks c WITHIN 30s
  ON v.user_id = c.user_id GROUP BY v.page WINDOW TUMBLING(1m);
