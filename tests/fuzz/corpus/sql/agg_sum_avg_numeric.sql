-- SUM and AVG over INTEGER, BIGINT, DOUBLE and DECIMAL (checked against DuckDB); SUM of DECIMAL is exact.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT SUM(i) AS si, SUM(bi) AS sbi, SUM(d) AS sd, SUM(dec) AS sdec, AVG(i) AS ai, AVG(d) AS ad, AVG(dec) AS adec, SUM(i * 2 + 1) AS sexpr FROM t;
