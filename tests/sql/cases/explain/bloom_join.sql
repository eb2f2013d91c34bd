-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- Declared sizes make the join selective (1 000 000 fact rows, 37 500 of the dimension's 100 000
-- after its filter): the inner join and the IN (a semi join) test a Bloom filter of the build keys
-- before the hash table. With the real 8 rows, 3 match.
CREATE TABLE fact (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '100000');
EXPLAIN (COSTS OFF) SELECT f.id, f.customer, d.price FROM fact f JOIN dim d ON f.id = d.id WHERE d.region = 'north' ORDER BY f.id;
EXPLAIN (COSTS OFF) SELECT id, qty FROM fact WHERE id IN (SELECT id FROM dim WHERE region = 'north') ORDER BY id;
-- A small build side gets one too (at least 64 words, in L1): a quarter to a half of a small
-- table's slots hold a key, so a probe that usually finds nothing would mispredict on each.
CREATE TABLE tiny (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '50',
        'stats.ndv.id' = '50');
EXPLAIN (COSTS OFF) SELECT f.id, t.price FROM fact f JOIN tiny t ON f.id = t.id ORDER BY f.id;
