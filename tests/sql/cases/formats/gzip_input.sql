-- A gzip-compressed CSV file (.csv.gz) is read transparently.
CREATE STREAM g (id INTEGER, name STRING, price DECIMAL(8,2))
  WITH ('type' = 'file_source', 'path' = '../../data/prices.csv.gz', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, name, price, price * 2 AS twice FROM g;
