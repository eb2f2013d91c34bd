CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
SELECT v.page, c.ad FROM views v JOIN clicks c ON v.user_id = c.user_id AND c.ts >= v.ts;
