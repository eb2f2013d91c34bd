-- A property value shaped like C code is rejected as an invalid value, not compiled.
CREATE STREAM p (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv', 'delimiter' = '"); abort(); ("');
SELECT x FROM p;
