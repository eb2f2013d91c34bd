-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- a CTE is planned where it is used; UNION (without ALL) is UNION ALL under a distinct aggregate.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) WITH big AS (SELECT region, qty FROM orders WHERE qty > 2)
SELECT region FROM big UNION SELECT region FROM orders WHERE price < 5;
