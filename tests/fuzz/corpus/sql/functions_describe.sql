-- DESCRIBE lists the declared columns and types of a stream.
-- jit-only: a script of only DESCRIBE statements has no job for veloc build.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
DESCRIBE t;
