-- No SQL becomes code: literals holding C comment markers, quotes and backslashes come out exactly (CSV-quoted where needed).
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT 'a"b' AS q1, 'back\slash\' AS q2, 'end */ start /*' AS q3, '// line' AS q4, 'it''s' AS q5, '\"' AS q6, '\n\0\x41' AS q7 FROM one;
