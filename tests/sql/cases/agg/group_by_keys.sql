-- GROUP BY one key and two keys; NULL keys form their own group.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT b, COUNT(*) AS n, SUM(i) AS si FROM t GROUP BY b ORDER BY b NULLS FIRST;
SELECT b, i > 0 AS pos, COUNT(*) AS n FROM t GROUP BY b, i > 0 ORDER BY b NULLS LAST, pos NULLS LAST;
