-- Double-quoted aliases with quotes, backslashes, comment markers and a newline + #define round-trip into the CSV header.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT 1 AS "we""ird", 2 AS "back\slash", 3 AS "*/ /*", 4 AS "x
#define y", 5 AS "%s%n" FROM one;
