-- CAST between INTEGER, BIGINT, DOUBLE, DECIMAL and STRING; DECIMAL to INTEGER and to a smaller scale round half away from zero.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, CAST(i AS BIGINT) AS ib, CAST(i AS DOUBLE) AS idb, CAST(i AS DECIMAL(6,1)) AS idec, CAST(i AS STRING) AS istr,
       CAST(dec AS INTEGER) AS deci, CAST(dec AS DOUBLE) AS decd, CAST(dec AS STRING) AS decs, CAST(dec AS DECIMAL(10,1)) AS dec1,
       CAST(d AS DECIMAL(10,2)) AS ddec, CAST(bi AS DOUBLE) AS bid
FROM t ORDER BY id;
