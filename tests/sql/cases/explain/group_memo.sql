-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- GROUP BY columns of a join's build rows: each build row keeps its group ("group memo in [3]"),
-- so only its first match looks the group up. Not when a key comes from the probe side.
CREATE TABLE fact (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000');
EXPLAIN (COSTS OFF) SELECT d.region, d.customer, COUNT(f.id) AS n FROM dim d LEFT JOIN fact f ON f.qty = d.id GROUP BY d.region, d.customer;
EXPLAIN (COSTS OFF) SELECT d.region, f.customer, COUNT(*) AS n FROM dim d JOIN fact f ON f.qty = d.id GROUP BY d.region, f.customer;
