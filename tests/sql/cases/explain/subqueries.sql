-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- IN becomes a semi join, NOT EXISTS a correlated anti join on the equality, a scalar subquery a single-row left join.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT id FROM orders o
WHERE region IN (SELECT region FROM orders WHERE qty > 5)
  AND NOT EXISTS (SELECT 1 FROM orders p WHERE p.customer = o.customer AND p.price > 100)
  AND price > (SELECT AVG(price) FROM orders);
