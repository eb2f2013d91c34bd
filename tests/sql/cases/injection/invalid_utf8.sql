-- Invalid UTF-8 bytes in a literal pass through CSV output unchanged, and both backends agree.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT 'badÿþutf8' AS s, OCTET_LENGTH('badÿþutf8') AS n, 'ok' AS t FROM one;
