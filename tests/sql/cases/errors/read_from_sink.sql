-- A sink cannot be read from.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM big AS SELECT id FROM orders WITH ('big.type' = 'stdout_sink', 'big.format' = 'csv');
SELECT COUNT(*) AS n FROM big;
