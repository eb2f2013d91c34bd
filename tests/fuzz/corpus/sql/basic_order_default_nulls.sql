-- Default NULL placement follows PostgreSQL: NULL sorts as larger than every value (last for ASC, first for DESC).
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, i FROM t ORDER BY i;
SELECT id, i FROM t ORDER BY i DESC;
