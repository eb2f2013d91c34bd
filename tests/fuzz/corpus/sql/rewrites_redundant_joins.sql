-- redundant_joins (self-join and repeated join on o2's PRIMARY KEY) and join_elimination (LEFT join on a GROUP BY key).
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE TABLE o2 (id INTEGER PRIMARY KEY, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT a.customer, b.price FROM o2 a JOIN o2 b ON a.id = b.id;
SELECT o.id, b1.customer, b2.region FROM orders o JOIN o2 b1 ON o.qty = b1.id JOIN o2 b2 ON o.qty = b2.id AND b2.price > 1;
SELECT o.id FROM orders o LEFT JOIN (SELECT region, COUNT(*) AS n FROM orders GROUP BY region) g ON g.region = o.region;
