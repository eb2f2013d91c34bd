CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'checkpoint.interval' = '10s', 'checkpoint.dir' = 'ck');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM out AS SELECT v.page, c.ad FROM views v JOIN clicks c WITHIN 10s ON v.user_id = c.user_id
  WITH ('out.type' = 'file_sink', 'out.path' = 'out.csv', 'out.format' = 'csv');
