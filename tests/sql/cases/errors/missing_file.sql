-- A source file that does not exist is a user error (exit 2) at compile time.
CREATE STREAM p (id INTEGER) WITH ('type' = 'file_source', 'path' = 'no_such_file.csv', 'format' = 'csv');
SELECT id FROM p;
