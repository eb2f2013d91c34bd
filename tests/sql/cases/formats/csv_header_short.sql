-- args: --format csv
-- A header with fewer fields than the schema declares: the missing column (c) is NULL in
-- every record, and the records still count as good (200 of them, none bad). 200 records,
-- so the batch splitter sees them: it leaves such a file to the one-record path, which
-- hands out the NULL (it read a stale field before, and crashed).
CREATE TABLE t (a INTEGER, b STRING, c STRING)
  WITH ('type' = 'file_source', 'path' = 'header_short.csv', 'format' = 'csv');
SELECT a, b, c, c IS NULL AS c_null FROM t WHERE a < 4 OR a > 198;
