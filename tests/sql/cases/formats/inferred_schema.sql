-- CREATE STREAM ... AS SELECT with namespaced properties infers the source schema (BIGINT, DECIMAL, DOUBLE, BOOLEAN, TIMESTAMP, STRING) from the CSV and prints via stdout_sink.
CREATE STREAM out AS
  SELECT id, b, i + 1 AS i1, d * 2 AS d2, dec, s, ts FROM src WHERE id <> 6
  WITH ('src.type' = 'file_source', 'src.path' = '../../data/t.csv', 'src.format' = 'csv',
        'out.type' = 'stdout_sink', 'out.format' = 'csv');
