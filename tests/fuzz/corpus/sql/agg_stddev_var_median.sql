-- STDDEV_SAMP/POP, VAR_SAMP/POP (DuckDB values), MEDIAN over an odd (5) and an even (6) number of values.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT STDDEV_SAMP(d) AS ss, STDDEV_POP(d) AS sp, VAR_SAMP(d) AS vs, VAR_POP(d) AS vp, VAR_POP(i) AS vpi, STDDEV(dec) AS sdec,
       MEDIAN(d) AS med_odd, MEDIAN(i) AS med_i, MEDIAN(dec) AS med_even FROM t;
SELECT region, MEDIAN(qty) AS m, VAR_SAMP(qty) AS v FROM orders GROUP BY region ORDER BY region NULLS LAST;
