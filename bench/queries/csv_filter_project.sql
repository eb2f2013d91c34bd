-- Filter + project over CSV: amount > 900.00 keeps ~10% of the rows, written to a CSV file sink.
CREATE STREAM events (id BIGINT, ts TIMESTAMP, user_id INTEGER, category STRING, amount DECIMAL(12,2), qty INTEGER, price DOUBLE, note STRING)
  WITH ('type' = 'file_source', 'path' = '../data/events.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM big_events AS
  SELECT id, ts, user_id, category, amount, qty * price AS gross
  FROM events
  WHERE amount > 900.00
  WITH ('big_events.type' = 'file_sink', 'big_events.path' = '../out/csv_filter_project.csv',
        'big_events.format' = 'csv');
