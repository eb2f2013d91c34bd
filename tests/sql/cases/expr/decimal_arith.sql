-- Exact DECIMAL arithmetic: add/sub align scales, multiply adds scales, mixing with INTEGER stays DECIMAL, with DOUBLE becomes DOUBLE.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, dec + 0.005 AS a, dec - 1 AS s, dec * 3 AS m, dec * 0.5 AS h, dec * 1.5 + i AS mix, dec * d AS dbl, 0.1 + 0.2 AS exact
FROM t ORDER BY id;
