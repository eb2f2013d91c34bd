-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- Every fact row finds its key in the dimension (both declared 1 000 000 rows, id a key of
-- each), and the residual price condition drops most matches after the probe. A Bloom filter
-- of the keys would pass every row, so there is none; with the residual it would have been
-- chosen, since the join's estimate (a third of the rows) counts the residual.
CREATE TABLE fact (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000000');
EXPLAIN (COSTS OFF) SELECT f.id, d.qty FROM fact f JOIN dim d ON f.id = d.id AND f.price < d.price ORDER BY f.id;
