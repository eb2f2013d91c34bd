-- args: --format csv
-- The prefetch pass of a probe with a Bloom filter (codegen.c, cg_scan_prefetch; declared sizes
-- make the join selective): a record whose key fails the filter skips the record loop, one
-- whose key is not a number (x7) still reaches it and is dead-lettered there, and a NULL key
-- matches nothing. tests/valgrind.sh runs it with VELO_PREFETCH_MIN=1, so that the pass runs.
CREATE TABLE fact (k INTEGER, qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'prefetch_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = '../formats/late_dim.csv', 'format' = 'csv');
SELECT f.k, d.name, f.qty FROM fact f JOIN dim d ON f.k = d.k ORDER BY f.k;
