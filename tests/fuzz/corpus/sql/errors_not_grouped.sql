-- A selected column that is neither grouped nor aggregated is an error.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT region, customer, COUNT(*) AS n FROM orders GROUP BY region;
