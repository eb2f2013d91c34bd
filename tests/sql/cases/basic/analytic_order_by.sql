-- A query with window functions and ORDER BY: the Project reads the Analytic's output (attaching ORDER BY's
-- scalar subqueries once pointed it back at the Analytic's input, and the compiler crashed).
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, region, ROW_NUMBER() OVER (PARTITION BY region ORDER BY id) AS rn,
       SUM(qty) OVER (PARTITION BY region ORDER BY id ROWS BETWEEN UNBOUNDED PRECEDING AND CURRENT ROW) AS run_qty
FROM orders
ORDER BY id DESC;
