-- A scalar subquery inside the WHERE of an EXISTS joins itself to the EXISTS's FROM (this crashed the compiler):
-- correlated to the EXISTS's own table, uncorrelated, and next to a reference to the outermost query.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name FROM cust c
WHERE EXISTS (SELECT 1 FROM lines l WHERE l.cust_id = c.id AND l.qty > (SELECT AVG(l2.qty) FROM lines l2 WHERE l2.part = l.part))
ORDER BY 1;
SELECT c.name FROM cust c
WHERE NOT EXISTS (SELECT 1 FROM lines l WHERE l.cust_id = c.id AND l.qty > (SELECT AVG(l2.qty) FROM lines l2))
ORDER BY 1;
SELECT c.name FROM cust c
WHERE EXISTS (SELECT 1 FROM lines l WHERE l.cust_id = c.id
              AND l.price > (SELECT AVG(l2.price) FROM lines l2 WHERE l2.part = l.part) + c.id)
ORDER BY 1;
