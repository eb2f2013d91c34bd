-- An alias that would close a C string and call system() is just a column name.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT x AS "x""); system(""touch /tmp/pwned""); (""" FROM one;
