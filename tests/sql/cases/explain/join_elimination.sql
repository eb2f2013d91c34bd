-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- join_elimination: a LEFT join on dep's PRIMARY KEY with no dep column read returns each emp row once: dropped.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
CREATE TABLE o2 (id INTEGER PRIMARY KEY, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT a.customer FROM orders a LEFT JOIN o2 b ON a.id = b.id;
