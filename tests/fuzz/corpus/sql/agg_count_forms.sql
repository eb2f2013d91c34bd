-- COUNT(*) counts rows, COUNT(x) skips NULLs, COUNT(DISTINCT x) and COUNT_DISTINCT(x) count distinct non-NULL values ("" is a value).
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT COUNT(*) AS n, COUNT(i) AS ni, COUNT(s) AS ns, COUNT(DISTINCT b) AS nb, COUNT(DISTINCT s) AS nds, COUNT_DISTINCT(ts) AS nr, COUNT(DISTINCT i % 2) AS par FROM t;
