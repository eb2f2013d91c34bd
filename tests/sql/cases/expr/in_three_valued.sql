-- IN / NOT IN with NULLs follow three-valued logic: x IN (.., NULL) is NULL unless matched; x NOT IN (.., NULL) is never true.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, i IN (10, 7) AS a, i IN (10, NULL) AS b, i NOT IN (10, NULL) AS c, i NOT IN (1, 2) AS d, s IN ('apple', 'Banana') AS e
FROM t ORDER BY id;
SELECT id FROM t WHERE i NOT IN (0, NULL);
