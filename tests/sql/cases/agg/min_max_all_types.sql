-- MIN and MAX over INTEGER, BIGINT, DOUBLE, DECIMAL, STRING (bytewise), TIMESTAMP and BOOLEAN, skipping NULLs.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT MIN(i) AS mi, MAX(i) AS xi, MIN(bi) AS mbi, MAX(bi) AS xbi, MIN(d) AS md, MAX(d) AS xd, MIN(dec) AS mdec, MAX(dec) AS xdec,
       MIN(s) AS ms, MAX(s) AS xs, MIN(ts) AS mts, MAX(ts) AS xts, MIN(b) AS mb, MAX(b) AS xb FROM t;
