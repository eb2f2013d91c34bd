-- GROUP BY with COUNT/SUM/AVG on DECIMAL; the NULL region is its own group.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT region, COUNT(*) AS n, COUNT(qty) AS n_qty, SUM(price) AS total, AVG(price) AS avg_price
FROM orders
GROUP BY region
ORDER BY n DESC, total DESC;
