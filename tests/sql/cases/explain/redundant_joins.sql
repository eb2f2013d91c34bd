-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- redundant_joins: the self-join on o2's PRIMARY KEY becomes a Project repeating the scan's columns over a
-- Filter id IS NOT NULL; o2 joined twice on the same key (b2 filtered) becomes one join plus the copy and b2's
-- filter. Not rewritten: a join on a column that is not the key (customer), and a self-join of orders, which
-- declares no PRIMARY KEY.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
CREATE TABLE o2 (id INTEGER PRIMARY KEY, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT a.customer, b.price FROM o2 a JOIN o2 b ON a.id = b.id;
EXPLAIN (COSTS OFF) SELECT o.id, b1.customer, b2.region FROM orders o JOIN o2 b1 ON o.qty = b1.id
  JOIN o2 b2 ON o.qty = b2.id AND b2.price > 10;
EXPLAIN (COSTS OFF) SELECT a.id, b.price FROM o2 a JOIN o2 b ON a.customer = b.customer;
EXPLAIN (COSTS OFF) SELECT a.id, b.price FROM orders a JOIN orders b ON a.id = b.id;
