-- jit-only: EXPLAIN prints at compile time; a built job has no query to run
-- An EXTRACT key is shown with its field's name.
CREATE TABLE t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv');
EXPLAIN (COSTS OFF) SELECT EXTRACT(MONTH FROM ts) AS m, EXTRACT(DOW FROM ts) AS dow, COUNT(*) AS n FROM t GROUP BY EXTRACT(MONTH FROM ts), EXTRACT(DOW FROM ts);
