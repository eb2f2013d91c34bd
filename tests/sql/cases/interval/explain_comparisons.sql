-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- The bound from comparisons written either way round, the tightest winning:
-- v.ts - 3s <= c.ts, c.ts < v.ts + 2s, c.ts <= v.ts + 1m give [-3s, 2s]; a comparison
-- of other columns stays a residual condition only.
CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
EXPLAIN (COSTS OFF) SELECT v.page, c.ad FROM views v JOIN clicks c
  ON v.user_id = c.user_id AND v.ts - INTERVAL '3' SECOND <= c.ts AND c.ts < v.ts + INTERVAL '2' SECOND
  AND c.ts <= v.ts + INTERVAL '1' MINUTE AND c.ad > v.page;
