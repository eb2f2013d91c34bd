-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- projection_pushdown: only the two columns the query reads are decoded (2/5).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT region, SUM(price) AS total FROM orders GROUP BY region;
