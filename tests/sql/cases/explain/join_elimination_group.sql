-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- join_elimination: a LEFT join on the GROUP BY key of a derived table none of whose columns is read is dropped;
-- on only part of a DISTINCT's columns it is not (several rows may match).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT o.id FROM orders o
  LEFT JOIN (SELECT customer, SUM(price) AS total FROM orders GROUP BY customer) t ON t.customer = o.customer;
EXPLAIN (COSTS OFF) SELECT o.id FROM orders o
  LEFT JOIN (SELECT DISTINCT customer, region FROM orders) t ON t.customer = o.customer;
