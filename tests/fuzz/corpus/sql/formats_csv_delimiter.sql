-- 'delimiter' = ';' splits on semicolons; a quoted field may contain the delimiter; header names map columns.
CREATE STREAM s (id INTEGER, name STRING, amount DOUBLE)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'delimiter' = ';', 'has_headers' = 'true');
SELECT * FROM s;
