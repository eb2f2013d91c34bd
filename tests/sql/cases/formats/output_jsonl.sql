-- args: --format jsonl --quiet
-- JSONL output: DECIMAL as a number with its scale digits, TIMESTAMP as ISO-8601 UTC strings, NULL as null, strings escaped.
CREATE STREAM q (id INTEGER, note STRING, amount DECIMAL(6,2))
  WITH ('type' = 'file_source', 'path' = '../../data/quoting.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, note, amount, CAST(amount AS DOUBLE) AS dbl, TIMESTAMP '2026-03-02 09:30:00.125' AS ts, amount IS NULL AS missing FROM q;
