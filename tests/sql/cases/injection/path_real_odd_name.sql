-- A real data file whose name holds a quote, a double quote and a space is read (the path reaches the generated code only as data).
CREATE STREAM p (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/odd ''name" #1.csv', 'format' = 'csv');
SELECT x, x * 2 AS y FROM p;
