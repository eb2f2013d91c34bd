-- args: --format csv
-- A fact scan probes db first (its filter keeps fewer keys), then da: the records that match db
-- test da's Bloom filter on a before v and note are converted (optimizer.c, early_blooms;
-- EXPLAIN: "Bloom filter of [N] after its first probe"). Record 5 matches db only: its bad v
-- is never converted, so it is not a bad record; record 4 matches both and is dead-lettered;
-- record 7's a (the early filter's key) is converted and dead-lettered; a NULL a (6) or b (9)
-- matches nothing. The IN subquery (a semi join) tests the same way; a LEFT join above keeps
-- every record, so its filter is not tested early (record 5 dead-lettered there).
CREATE TABLE fact (id INTEGER, a INTEGER, b INTEGER, v DECIMAL(7,2), note STRING)
  WITH ('type' = 'file_source', 'path' = 'early_bloom_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE da (a INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'early_bloom_da.csv', 'format' = 'csv', 'stats.rows' = '100000');
CREATE TABLE db (b INTEGER, tag STRING)
  WITH ('type' = 'file_source', 'path' = 'early_bloom_db.csv', 'format' = 'csv', 'stats.rows' = '100000',
        'stats.ndv.tag' = '4');
SELECT f.id, da.name, db.tag, f.v, f.note FROM fact f JOIN da ON f.a = da.a JOIN db ON f.b = db.b
WHERE da.name = 'keep' AND db.tag = 'keep' ORDER BY f.id;
SELECT f.id, f.v, f.note FROM fact f JOIN db ON f.b = db.b
WHERE db.tag = 'keep' AND f.a IN (SELECT a FROM da WHERE name = 'keep') ORDER BY f.id;
SELECT f.id, da.name, f.v FROM fact f JOIN db ON f.b = db.b LEFT JOIN da ON f.a = da.a AND da.name = 'keep'
WHERE db.tag = 'keep' ORDER BY f.id;
