CREATE STREAM views (user_id INTEGER, ts TIMESTAMP, page STRING)
  WITH ('type' = 'file_source', 'path' = 'views.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
CREATE STREAM clicks (user_id INTEGER, ts TIMESTAMP, ad STRING)
  WITH ('type' = 'file_source', 'path' = 'clicks.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true', 'allowed.lateness' = '2s');
CREATE STREAM orders (user_id INTEGER, ts TIMESTAMP, amount DECIMAL(9,2))
  WITH ('type' = 'file_source', 'path' = 'orders.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watching' = 'true');
SELECT v.page, o.amount FROM views v JOIN clicks c WITHIN 10s ON v.user_id = c.user_id
  JOIN orders o ON o.user_id = c.user_id AND o.ts BETWEEN c.ts AND c.ts + INTERVAL '1' MINUTE;
