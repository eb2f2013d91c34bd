-- The same data as t.csv read from JSON Lines (missing keys are NULL, \u escapes) gives exactly the CSV result.
CREATE STREAM j (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.jsonl', 'format' = 'jsonl');
SELECT * FROM j;
