-- Aggregates are not allowed in WHERE.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id FROM orders WHERE SUM(qty) > 1;
