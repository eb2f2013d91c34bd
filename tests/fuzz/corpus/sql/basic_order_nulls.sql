-- ORDER BY ASC/DESC with explicit NULLS FIRST/LAST on several keys.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, b, i FROM t ORDER BY b DESC NULLS LAST, i ASC NULLS FIRST;
SELECT id, s FROM t ORDER BY s NULLS FIRST, id DESC;
SELECT id, i FROM t ORDER BY i DESC NULLS FIRST;
SELECT id, ts FROM t ORDER BY ts ASC NULLS LAST;
