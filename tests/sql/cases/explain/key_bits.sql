-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- The joins of rewrites/key_bits have Bloom filters (the fact side is declared 1 000 000 rows with
-- as many keys), so their probes test the build keys' bitmap first where its range fits.
CREATE TABLE fact (k BIGINT, v STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/key_bits_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000',
        'stats.ndv.k' = '1000000');
CREATE TABLE dim (k BIGINT, name STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/key_bits_dim.csv', 'format' = 'csv');
CREATE TABLE wide (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/key_bits_wide.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT f.k, f.v, d.name FROM fact f JOIN dim d ON f.k = d.k ORDER BY f.v;
EXPLAIN (COSTS OFF) SELECT f.k, f.v, w.name FROM fact f JOIN wide w ON f.k = w.k ORDER BY f.v;
EXPLAIN (COSTS OFF) SELECT f.v FROM fact f WHERE f.k IN (SELECT k FROM dim) ORDER BY f.v;
