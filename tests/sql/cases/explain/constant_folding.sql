-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- constant_folding: 2 * 3 + 1 becomes 7, ROUND(2.345, 2) becomes 2.35, TRUE AND x becomes x.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT id, qty * (2 * 3 + 1) AS q7, ROUND(2.345, 2) AS r FROM orders WHERE TRUE AND qty > 1;
