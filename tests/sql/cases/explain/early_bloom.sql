-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- The fact scan's records that match db (its first probe) test the Bloom filter of the join
-- to da (inner, then semi: the IN subquery) on a before their other columns are converted:
-- "Bloom filter of [N] after its first probe". Not through a LEFT join, which keeps records
-- without a match (the third query). Data and results: rewrites/early_bloom.
CREATE TABLE fact (id INTEGER, a INTEGER, b INTEGER, v DECIMAL(7,2), note STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/early_bloom_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE da (a INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/early_bloom_da.csv', 'format' = 'csv', 'stats.rows' = '100000');
CREATE TABLE db (b INTEGER, tag STRING)
  WITH ('type' = 'file_source', 'path' = '../rewrites/early_bloom_db.csv', 'format' = 'csv', 'stats.rows' = '100000',
        'stats.ndv.tag' = '4');
EXPLAIN (COSTS OFF) SELECT f.id, da.name, db.tag, f.v, f.note FROM fact f JOIN da ON f.a = da.a JOIN db ON f.b = db.b
WHERE da.name = 'keep' AND db.tag = 'keep' ORDER BY f.id;
EXPLAIN (COSTS OFF) SELECT f.id, f.v, f.note FROM fact f JOIN db ON f.b = db.b
WHERE db.tag = 'keep' AND f.a IN (SELECT a FROM da WHERE name = 'keep') ORDER BY f.id;
EXPLAIN (COSTS OFF) SELECT f.id, da.name, f.v FROM fact f JOIN db ON f.b = db.b LEFT JOIN da ON f.a = da.a AND da.name = 'keep'
WHERE db.tag = 'keep' ORDER BY f.id;
