-- INTEGER and BIGINT arithmetic that overflows is an error for that record (dead letter), never a wrapped value.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, bi * 2 AS b2, i * 2147483647 AS ii FROM t ORDER BY id;
