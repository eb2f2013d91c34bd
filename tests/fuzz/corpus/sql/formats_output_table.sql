-- args: --format table --quiet
-- Table output: aligned columns (UTF-8 by character), NULL and empty string both blank, row count footer.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, b, dec, s, ts FROM t;
