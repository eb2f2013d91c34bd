-- args: --format csv --disable-pass join_reorder
-- The join to key_bits_nested (a bitmap of its keys 1 .. 4, rewrites/key_bits) probes inside the
-- match loop of the join below it: a fact row matches several multi rows, whose x fail (50 and
-- up) or pass the bitmap in turn. A failed test must move on to the next match, not the next
-- fact row (the written order keeps the shape: join_reorder is off).
CREATE TABLE fact (k BIGINT, v STRING)
  WITH ('type' = 'file_source', 'path' = 'key_bits_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000',
        'stats.ndv.k' = '1000000');
CREATE TABLE multi (k BIGINT, x INTEGER)
  WITH ('type' = 'file_source', 'path' = 'key_bits_multi.csv', 'format' = 'csv');
CREATE TABLE nested (x INTEGER, tag STRING)
  WITH ('type' = 'file_source', 'path' = 'key_bits_nested.csv', 'format' = 'csv');
SELECT f.v, m.x, n.tag FROM fact f JOIN multi m ON f.k = m.k JOIN nested n ON m.x = n.x WHERE n.tag <> 'none'
ORDER BY f.v, m.x;
