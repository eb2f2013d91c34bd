-- Every error in the file is reported, not only the first: an unknown column and an unknown function in separate statements.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, pirce FROM orders;
SELECT LOWR(region) AS r FROM orders;
