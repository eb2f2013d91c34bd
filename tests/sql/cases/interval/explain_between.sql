-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- Two watched files joined with a time bound: an IntervalJoin that reads both inputs
-- and keeps both sides, with the bound and the eviction rule (the clicks' 2s lateness
-- delays the eviction of views).
CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
EXPLAIN (COSTS OFF) SELECT v.user_id, v.page, c.ad FROM views v JOIN clicks c
  ON v.user_id = c.user_id AND c.ts BETWEEN v.ts - INTERVAL '10' SECOND AND v.ts + INTERVAL '5' SECOND
  WHERE c.ad <> 'none';
