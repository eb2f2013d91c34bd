-- LIMIT after ORDER BY picks the top rows; LIMIT without ORDER BY over a single file returns rows in file order; LIMIT 0 returns only the header.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, price FROM orders ORDER BY price DESC LIMIT 3;
SELECT id, customer FROM orders LIMIT 2;
SELECT id FROM orders WHERE region = 'north' LIMIT 5;
SELECT id FROM orders LIMIT 0;
