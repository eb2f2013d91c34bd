-- With a header, columns are matched by name when the file holds them in a different order than declared.
CREATE STREAM r (id INTEGER, name STRING, qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, name, qty * 10 AS q10 FROM r;
