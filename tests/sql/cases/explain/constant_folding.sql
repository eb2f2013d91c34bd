-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- constant_folding: 2 * 3 + 1 becomes 7, ROUND(2.345, 2) becomes 2.35, TRUE AND x becomes x
-- (the counts are the whole file's: both statements are optimized before either prints).
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT id, qty * (2 * 3 + 1) AS q7, ROUND(2.345, 2) AS r FROM orders WHERE TRUE AND qty > 1;
-- The cheaper operands of an OR go first, as SQL leaves their order open: the
-- regular expression runs only for the rows whose region is not 'north'.
EXPLAIN (COSTS OFF) SELECT id FROM orders WHERE REGEXP_LIKE(customer, '^[a-c]') OR region = 'north';
-- A searched CASE whose WHENs all compare one expression with literals becomes a simple CASE,
-- which evaluates the expression once (NEXMark q21 lowered its channel once per WHEN).
EXPLAIN (COSTS OFF) SELECT id, CASE WHEN LOWER(region) = 'north' THEN 1 WHEN 'south' = LOWER(region) THEN 2
  WHEN LOWER(region) = 'east' THEN 3 ELSE 0 END AS r FROM orders;
