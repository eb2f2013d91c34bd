-- A path property with quotes, a newline and a #include that names a missing file is a clean user error (exit 2).
CREATE STREAM p (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv''s
#include <x>\.csv', 'format' = 'csv');
SELECT x FROM p;
