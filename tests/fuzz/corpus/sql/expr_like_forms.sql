-- LIKE prefix, suffix, contains, exact, _ wildcard (one UTF-8 character), NOT LIKE, and % alone; NULL input gives NULL; case-sensitive.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, s LIKE 'a%' AS pre, s LIKE '%e' AS suf, s LIKE '%an%' AS con, s LIKE 'apple' AS ex,
       s LIKE '_anana' AS us, s NOT LIKE '%a%' AS nl, s LIKE '%' AS allp, s LIKE 'B%a' AS mid, s LIKE '_clair' AS utf, s LIKE 'APPLE' AS cs
FROM t ORDER BY id;
