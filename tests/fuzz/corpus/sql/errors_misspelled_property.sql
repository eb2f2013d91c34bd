-- A misspelled property key is an error with a suggestion.
CREATE STREAM p (id INTEGER) WITH ('type' = 'file_source', 'pth' = 'x.csv', 'format' = 'csv');
SELECT id FROM p;
