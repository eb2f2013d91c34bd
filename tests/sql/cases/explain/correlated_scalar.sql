-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- A correlated scalar subquery is decorrelated: aggregated per correlation key (the subquery's side of the
-- equality), then LEFT-joined on it; COUNT becomes CASE WHEN unmatched THEN 0 (its value over no rows).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT o.id,
       (SELECT COUNT(*) FROM orders p WHERE p.customer = o.customer AND p.qty > 2) AS n
FROM orders o
WHERE o.price > (SELECT AVG(r.price) FROM orders r WHERE r.region = o.region);
