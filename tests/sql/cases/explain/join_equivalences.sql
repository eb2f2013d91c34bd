-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- The shape of TPC-H's part/partsupp/lineitem: l.qty = ps.qty AND ps.qty = p.qty, so l.qty = p.qty
-- holds though the SQL never says it. Joined on it, the filtered p cuts l down (after o) before
-- l's rows go into the hash table ps probes; without it, p could only join after ps. The join
-- with ps keys on l.qty = ps.qty and the customers: p.qty = ps.qty is implied there.
CREATE TABLE l (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '6000000',
        'stats.ndv.id' = '1500000', 'stats.ndv.qty' = '200000', 'stats.ndv.customer' = '10000');
CREATE TABLE o (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '1500000',
        'stats.ndv.id' = '1500000');
CREATE TABLE ps (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty BIGINT)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '800000',
        'stats.ndv.qty' = '200000', 'stats.ndv.customer' = '10000');
CREATE TABLE p (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'stats.rows' = '200000',
        'stats.ndv.qty' = '200000', 'stats.ndv.region' = '100');
EXPLAIN (COSTS OFF) SELECT l.price, p.customer FROM l, o, ps, p
WHERE l.id = o.id AND l.qty = ps.qty AND l.customer = ps.customer AND ps.qty = p.qty
  AND o.price > 100 AND p.region = 'north';
-- A constant travels through a class too: p.qty = 7 becomes a filter in the scans of l and ps.
EXPLAIN (COSTS OFF) SELECT l.price FROM l, ps, p WHERE l.qty = ps.qty AND ps.qty = p.qty AND p.qty = 7;
-- Ranges, BETWEEN and IN travel the same way, whichever side the literal is on: each scan gets
-- the restrictions the other scans have on the class (p's qty < 100 in l and ps, l's 50 <= qty
-- in p and ps, ...), each once: p and l both have the BETWEEN, ps gets one copy.
EXPLAIN (COSTS OFF) SELECT l.price FROM l, ps, p
WHERE l.qty = ps.qty AND ps.qty = p.qty AND p.qty < 100 AND 50 <= l.qty AND ps.qty NOT IN (60, 61)
  AND l.qty BETWEEN 10 AND 90 AND p.qty BETWEEN 10 AND 90;
