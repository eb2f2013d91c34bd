-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- LEFT interval join: a view no click matched comes out padded with NULLs once the
-- clicks' watermark passes views.ts + 0s; the ON filter on clicks goes into its scan.
CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
EXPLAIN (COSTS OFF) SELECT v.user_id, v.page, c.ad FROM views v LEFT JOIN clicks c
  ON v.user_id = c.user_id AND c.ad <> 'none' AND c.ts >= v.ts - INTERVAL '1' MINUTE AND c.ts <= v.ts;
