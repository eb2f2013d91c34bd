-- args: --format jsonl --quiet
-- Odd identifiers and literals are escaped as JSON keys and values in JSONL output.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT 'a"b\c' AS "k""1\", 'x
y' AS "*/" FROM one;
