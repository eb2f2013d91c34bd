-- IS [NOT] NULL on every type; || concatenates and propagates NULL.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, i IS NULL AS a, i IS NOT NULL AS b2, s IS NULL AS c, ts IS NULL AS e, b IS NOT NULL AS f, d IS NULL AS g,
       s || '-' || id AS cat, s || NULL AS cn
FROM t ORDER BY id;
