-- Simple CASE and searched CASE, with and without ELSE (missing ELSE gives NULL), NULL operand matches no WHEN.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, CASE i WHEN 10 THEN 'ten' WHEN -3 THEN 'neg3' END AS simple,
       CASE WHEN i > 5 THEN 'big' WHEN i < 0 THEN 'neg' ELSE 'small' END AS searched,
       CASE WHEN i IS NULL THEN 'null' END AS no_else,
       CASE b WHEN TRUE THEN 1 ELSE 0 END AS b01,
       CASE WHEN dec > 50 THEN dec ELSE 0 END AS mixed
FROM t ORDER BY id;
