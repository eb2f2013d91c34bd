-- JSON input: DECIMAL accepts numbers and decimal strings exactly; TIMESTAMP accepts ISO-8601 or epoch millis;
-- missing keys and null are NULL; unknown keys are ignored.
CREATE STREAM e (id BIGINT, amt DECIMAL(10,2), ts TIMESTAMP, tag STRING)
  WITH ('type' = 'file_source', 'path' = 'd.jsonl', 'format' = 'jsonl');
SELECT id, amt, ts, tag FROM e;
