-- DESCRIBE of a declared and of an inferred stream in a script that also runs a query: the AOT job must print the same as veloc run.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
DESCRIBE t;
CREATE STREAM o2 AS SELECT * FROM inferred
  WITH ('inferred.type' = 'file_source', 'inferred.path' = 'd.csv', 'inferred.format' = 'csv',
        'o2.type' = 'stdout_sink', 'o2.format' = 'csv');
DESCRIBE inferred;
