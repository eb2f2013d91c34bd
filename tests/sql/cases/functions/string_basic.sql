-- UPPER/LOWER/INITCAP (ASCII), LENGTH (code points) vs OCTET_LENGTH, REVERSE, LEFT, RIGHT, SUBSTRING, POSITION, REPLACE, LPAD, RPAD, REPEAT on UTF-8 and NULL.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, UPPER(s) AS u, LOWER(s) AS l, INITCAP(s) AS ic, LENGTH(s) AS len, OCTET_LENGTH(s) AS ol, REVERSE(s) AS rev,
       LEFT(s, 3) AS l3, RIGHT(s, 3) AS r3, SUBSTRING(s, 2, 3) AS sub, SUBSTRING(s, 3) AS sub2, POSITION('a' IN s) AS pos,
       REPLACE(s, 'a', 'AA') AS rep, LPAD(s, 8, '*') AS lp, RPAD(s, 8, '-') AS rp, REPEAT(s, 2) AS rp2
FROM t ORDER BY id;
