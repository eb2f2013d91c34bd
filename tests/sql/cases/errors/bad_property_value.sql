-- An invalid property value is an error (with a suggestion when close to a valid one).
CREATE STREAM p (id INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'cvs');
SELECT id FROM p;
