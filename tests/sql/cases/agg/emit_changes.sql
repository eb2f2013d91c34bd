-- EMIT CHANGES without a window emits the updated row of a group for every input row that changes it.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT region, COUNT(*) AS n, SUM(qty) AS q FROM orders GROUP BY region EMIT CHANGES;
