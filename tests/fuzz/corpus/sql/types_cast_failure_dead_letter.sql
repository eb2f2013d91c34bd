-- A CAST that fails on a value dead-letters that record only; the other records go on.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, CAST(s AS INTEGER) + 1 AS n FROM t WHERE id IN (1, 3, 5) ORDER BY id;
