-- A literal with a newline followed by a preprocessor directive is data, not code.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT 'x
#include <stdio.h>
#define main evil
y' AS s, LENGTH('x
#include <stdio.h>
y') AS n FROM one;
