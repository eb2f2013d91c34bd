-- args: --format csv
-- A Bloom-filtered join on one integer key also tests a bitmap of the build keys' range
-- before hashing (codegen.c, join_key_bits): dim's keys -3 .. 1 000 000 fit one; wide's
-- 0 .. 3 000 000 do not (JOIN_KEY_BITS, 2^21 values), so its probe keeps the Bloom filter
-- only. Probe keys below, at and above each end of the range, the extremes of BIGINT (the
-- offset from the minimum wraps), a NULL key, and a key twice. The IN subquery (a semi join the
-- estimates leave without a filter) gives the same keys the hash table's way. EXPLAIN:
-- explain/key_bits.
CREATE TABLE fact (k BIGINT, v STRING)
  WITH ('type' = 'file_source', 'path' = 'key_bits_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000',
        'stats.ndv.k' = '1000000');
CREATE TABLE dim (k BIGINT, name STRING)
  WITH ('type' = 'file_source', 'path' = 'key_bits_dim.csv', 'format' = 'csv');
CREATE TABLE wide (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'key_bits_wide.csv', 'format' = 'csv');
SELECT f.k, f.v, d.name FROM fact f JOIN dim d ON f.k = d.k ORDER BY f.v;
SELECT f.k, f.v, w.name FROM fact f JOIN wide w ON f.k = w.k ORDER BY f.v;
SELECT f.v FROM fact f WHERE f.k IN (SELECT k FROM dim) ORDER BY f.v;
