-- Bad rows (wrong field count, values that do not convert) go to the dead-letter sink; the good rows are processed.
CREATE STREAM d (id INTEGER, qty INTEGER, price DECIMAL(8,2))
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT COUNT(*) AS n, SUM(qty * price) AS value FROM d;
