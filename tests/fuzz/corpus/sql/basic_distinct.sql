-- SELECT DISTINCT on one and on two columns; NULL is one distinct value.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT DISTINCT region FROM orders ORDER BY region NULLS FIRST;
SELECT DISTINCT b, i > 0 AS pos FROM t ORDER BY b NULLS FIRST, pos NULLS FIRST;
