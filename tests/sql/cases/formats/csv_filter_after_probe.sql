-- args: --format csv
-- A pushed filter that keeps more rows than the join it feeds (price > 0, a third by default,
-- against a join to 3 of a million rows) waits for the join's probe: a record converts its
-- price only when its key matches. So c's bad price (k = 9 matches nothing) is never read,
-- while d's (k = 3 matches) dead-letters d; b and f fail the filter, one after a match and
-- one without.
CREATE TABLE fact (k INTEGER, qty INTEGER, price DECIMAL(6,2), note STRING)
  WITH ('type' = 'file_source', 'path' = 'probe_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'late_dim.csv', 'format' = 'csv');
SELECT f.k, d.name, f.qty, f.price, f.note
FROM fact f JOIN dim d ON f.k = d.k
WHERE f.price > 0.00
ORDER BY f.k, f.note;
