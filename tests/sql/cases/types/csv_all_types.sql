-- args: --format jsonl --quiet
-- Every column type read from CSV (BOOLEAN, INTEGER, BIGINT, DOUBLE, DECIMAL(10,2), STRING, TIMESTAMP incl. ISO T form and millis), with NULLs; printed as JSONL to show the types.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT * FROM t;
