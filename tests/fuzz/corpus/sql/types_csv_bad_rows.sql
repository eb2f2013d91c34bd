-- Bad CSV rows (unconvertible DECIMAL, bad TIMESTAMP, wrong field count, out-of-range DECIMAL) are dead-lettered with their line and reason; lenient BOOLEAN and epoch-millis TIMESTAMP are accepted.
CREATE STREAM b (id INTEGER, amount DECIMAL(8,2), ts TIMESTAMP, flag BOOLEAN)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT * FROM b;
