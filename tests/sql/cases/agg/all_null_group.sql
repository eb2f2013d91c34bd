-- Aggregates over a group whose values are all NULL: COUNT 0, SUM/AVG/MIN/MAX NULL.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT region, COUNT(qty) AS n, SUM(qty) AS s, AVG(qty) AS a, MIN(qty) AS mn, MAX(qty) AS mx FROM orders WHERE region IS NULL GROUP BY region;
