-- AND / OR / NOT truth tables with NULL, comparisons of strings (bytewise) and of mixed numeric types.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, NOT b AS nb, b OR i > 5 AS o, b AND i > 5 AS a, i > 5 OR NULL AS on1, i > 5 AND NULL AS an1,
       s > 'b' AS sg, s = 'apple' AS se, s <> 'apple' AS sn, i = dec AS idec, d >= i AS di
FROM t ORDER BY id;
