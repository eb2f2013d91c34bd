-- Math on DOUBLE and INTEGER: ROUND, TRUNC, FLOOR, CEIL, ABS, SIGN, MOD, SQRT, POWER, LN, EXP, LOG10, LOG, CBRT, PI, DEGREES.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT id, d, ROUND(d, 1) AS r1, FLOOR(d) AS f, CEIL(d) AS c, ABS(d) AS a, SIGN(d) AS sg, ABS(i) AS ai, SIGN(i) AS si, MOD(i, 4) AS mi
FROM t WHERE id <> 6 ORDER BY id;
SELECT SQRT(16.0) AS a, POWER(2, 10) AS b, POW(2, 0.5) AS b2, LN(1) AS c, EXP(0) AS e, LOG10(1000) AS f, LOG(2, 8) AS g, CBRT(8) AS h,
       ROUND(PI(), 4) AS pi, ROUND(2.5e0) AS rd, MOD(-7, 3) AS m, DEGREES(PI()) AS deg, SQRT(2) AS s2, ROUND(SIN(0), 6) AS sn FROM one;
