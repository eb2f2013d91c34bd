-- ROUND/TRUNC (with and without digits, negative digits), FLOOR, CEIL, ABS, SIGN, MOD on DECIMAL: exact, half away from zero.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT id, dec, ROUND(dec) AS r0, ROUND(dec, 1) AS r1, ROUND(dec, -1) AS rm1, TRUNC(dec) AS t0, TRUNC(dec, 1) AS t1,
       FLOOR(dec) AS f, CEIL(dec) AS c, ABS(dec) AS a, SIGN(dec) AS sg, MOD(dec, 3) AS md
FROM t ORDER BY id;
SELECT ROUND(2.5) AS a, ROUND(-2.5) AS b, ROUND(1.005, 2) AS c, ROUND(0.125, 2) AS e, TRUNC(-1.99) AS f, CEILING(1.01) AS g, MOD(7.5, 2) AS h FROM one;
