-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- a comma join: the WHERE equality becomes the hash key, the one-sided conditions go to each scan,
-- and the OR repeating the key is factored so the key is still found.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
CREATE TABLE o2 (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT a.id, b.id FROM orders a, o2 b
WHERE (a.region = b.region AND a.qty > 2) OR (a.region = b.region AND b.price > 10) AND a.id <> 3;
