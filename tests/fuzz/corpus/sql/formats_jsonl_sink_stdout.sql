-- A stdout_sink with format jsonl, declared with a schema and fed by INSERT INTO.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM out (id INTEGER, s STRING, dec DECIMAL(10,2), ts TIMESTAMP) WITH ('type' = 'stdout_sink', 'format' = 'jsonl');
INSERT INTO out SELECT id, s, dec, ts FROM t WHERE id IN (2, 3, 5);
