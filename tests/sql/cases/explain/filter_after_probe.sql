-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- A fact scan's pushed filter that keeps more rows (price > 0, a third by default) than the
-- Bloom probe of the join it feeds (1 000 000 declared fact rows against 50 dimension keys)
-- waits for that probe: EXPLAIN lists it after the probe of the join's id. A filter on the join
-- key (id > 3) stays in the decoder: the probe needs the key anyway, and a key that fails it
-- skips the probe; join_equivalences copies it into tiny's scan too. Without the join (the
-- second query) both are checked in the decoder.
CREATE TABLE fact (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE tiny (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '50',
        'stats.ndv.id' = '50');
EXPLAIN (COSTS OFF) SELECT f.id, f.qty, t.customer FROM fact f JOIN tiny t ON f.id = t.id
WHERE f.price > 0.00 AND f.id > 3 ORDER BY f.id;
EXPLAIN (COSTS OFF) SELECT id, qty FROM fact WHERE price > 0.00 AND id > 3 ORDER BY id;
