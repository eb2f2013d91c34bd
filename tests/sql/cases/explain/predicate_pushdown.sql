-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- predicate_pushdown: both WHERE conjuncts go into the scan's decoder, the cheap comparison first.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT customer FROM orders WHERE region LIKE 'n%' AND qty > 2;
