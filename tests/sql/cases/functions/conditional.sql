-- COALESCE, NULLIF, GREATEST/LEAST (skip NULLs, common type), IFNULL, IF.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, COALESCE(s, 'none') AS c1, COALESCE(i, bi, 0) AS c2, NULLIF(i, 0) AS n1, NULLIF(s, '') AS n2,
       GREATEST(i, dec, 5) AS g, LEAST(i, dec) AS l, GREATEST(ts, TIMESTAMP '2026-03-02 00:00:00') AS gt,
       IFNULL(d, -1) AS ifn, IF(b, 'yes', 'no') AS iff, IF(i > 0, i, NULL) AS ifnull
FROM t ORDER BY id;
