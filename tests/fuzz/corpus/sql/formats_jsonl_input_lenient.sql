-- JSONL input: DECIMAL from a number or a string keeps every digit, TIMESTAMP from ISO strings or epoch millis, missing keys and null are NULL, unknown keys and key order ignored, blank lines skipped.
CREATE STREAM j (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(14,4), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.jsonl', 'format' = 'jsonl');
SELECT * FROM j;
