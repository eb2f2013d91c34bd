-- has_headers must be true or false.
CREATE STREAM p (id INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'maybe');
SELECT id FROM p;
