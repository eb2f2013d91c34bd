-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- Correlated IN: a semi join on the correlation key and x = y, the non-equi correlation as residual.
-- Correlated NOT IN: an anti join on the correlation key with residual (x = y OR x IS NULL OR y IS NULL).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT o.id FROM orders o
WHERE o.qty IN (SELECT p.qty FROM orders p WHERE p.region = o.region AND p.id <> o.id)
  AND o.price NOT IN (SELECT r.price FROM orders r WHERE r.customer = o.customer AND r.qty > 1);
