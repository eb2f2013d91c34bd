-- Correlated scalar subqueries (select list, WHERE, ORDER BY, grouped), IN / NOT IN, EXISTS with a nested one.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE TABLE o2 (id INTEGER PRIMARY KEY, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT o.id, (SELECT COUNT(*) FROM orders p WHERE p.region = o.region AND o.qty > 1) AS n,
       (SELECT MAX(p.price) FROM orders p WHERE p.customer = o.customer) AS m FROM orders o ORDER BY (SELECT MIN(p.qty) FROM orders p WHERE p.id = o.id);
SELECT o.id FROM orders o WHERE o.price > (SELECT AVG(p.price) FROM orders p WHERE p.region = o.region)
  AND o.qty IN (SELECT p.qty FROM orders p WHERE p.region = o.region AND p.id <> o.id)
  AND o.qty NOT IN (SELECT p.qty FROM orders p WHERE p.customer = o.customer AND p.price > o.price)
  AND EXISTS (SELECT 1 FROM orders p WHERE p.id = o.id AND p.qty > (SELECT MIN(q.qty) FROM orders q WHERE q.region = p.region));
SELECT region, COUNT(*) AS n, (SELECT COUNT(*) FROM orders p WHERE p.region = o.region) AS m FROM orders o GROUP BY region
  HAVING SUM(qty) > (SELECT AVG(qty) FROM orders) ORDER BY region;
SELECT (SELECT COUNT(*) FROM orders p WHERE p.region = o.region) AS s, COUNT(*) AS n FROM orders o GROUP BY s;
