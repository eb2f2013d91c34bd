-- 'has_headers' = 'false': every line is data, columns by position.
CREATE STREAM n (id INTEGER, name STRING, v BIGINT)
  WITH ('type' = 'file_source', 'path' = '../../data/nohdr.csv', 'format' = 'csv', 'has_headers' = 'false');
SELECT * FROM n;
