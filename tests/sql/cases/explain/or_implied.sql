-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- predicate_pushdown: an OR of conjunctions over both inputs of an inner join (TPC-H Q7's nation
-- pair) stays at the join, and what it says about each input alone goes down to that input's scan.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
CREATE TABLE o2 (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT a.id AS a_id, b.id AS b_id FROM orders a JOIN o2 b ON a.region = b.region
WHERE (a.customer = 'alice' AND b.customer = 'carol') OR (a.customer = 'carol' AND b.qty > 2);
