-- SELECT DISTINCT over expressions gives the same rows as GROUP BY the same expressions.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT DISTINCT qty > 2 AS many FROM orders ORDER BY many NULLS LAST;
SELECT qty > 2 AS many FROM orders GROUP BY qty > 2 ORDER BY many NULLS LAST;
