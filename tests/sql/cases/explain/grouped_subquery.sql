-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- In a grouped query, scalar subqueries join above the Aggregate: the uncorrelated one of HAVING without keys,
-- the correlated one of the select list on the group key region (the outer side's key reads the Aggregate).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT region, SUM(price) AS total,
       (SELECT COUNT(*) FROM orders p WHERE p.region = o.region AND p.qty > 2) AS busy
FROM orders o
GROUP BY region
HAVING SUM(price) > (SELECT AVG(price) FROM orders);
