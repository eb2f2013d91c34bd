-- A searched CASE whose WHENs all compare one expression with literals (either way round) is
-- run as a simple CASE that evaluates it once (constant_folding): the same rows as the WHENs
-- one by one, a NULL operand (ids 3, 4) matching no WHEN, a failing operand (10 / (i - 7) for
-- id 3, a division by zero) failing its record as the first WHEN did.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id,
       CASE WHEN LOWER(s) = 'apple' THEN 'A' WHEN 'banana' = LOWER(s) THEN 'B' WHEN LOWER(s) = '' THEN 'empty' ELSE 'other' END AS fruit,
       CASE WHEN i % 3 = 0 THEN 'zero' WHEN i % 3 = 1 THEN 'one' WHEN -2 = i % 3 THEN 'minus two' END AS r3,
       CASE WHEN 10 / (i - 7) = 0 THEN 'small' WHEN 10 / (i - 7) = -1 THEN 'minus one' ELSE 'else' END AS q
FROM t ORDER BY id;
