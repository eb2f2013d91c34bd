-- FIRST_VALUE / LAST_VALUE in arrival order (NULLs skipped), STRING_AGG and LISTAGG with a separator, per group.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT FIRST_VALUE(s) AS f, LAST_VALUE(s) AS l, STRING_AGG(s, '|') AS sa, FIRST_VALUE(i) AS fi, LAST_VALUE(ts) AS lt FROM t;
SELECT region, STRING_AGG(customer, ', ') AS who, LISTAGG(customer, ';') AS la, FIRST_VALUE(price) AS fp, LAST_VALUE(qty) AS lq
FROM orders GROUP BY region ORDER BY region NULLS FIRST;
