-- A correlated scalar subquery in WHERE (TPC-H q17 shape): lines priced above the average of their part;
-- and customers without any line (COUNT over an empty group is 0, not NULL).
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT l.order_id, l.part, l.price FROM lines l
WHERE l.price > (SELECT AVG(l2.price) FROM lines l2 WHERE l2.part = l.part)
ORDER BY l.order_id;
SELECT c.name FROM cust c WHERE (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) = 0 ORDER BY c.name;
SELECT c.name, c.region FROM cust c
WHERE 2 * (SELECT MIN(l.qty) FROM lines l WHERE l.cust_id = c.id AND l.part = c.region) IS NULL
  AND c.id IS NOT NULL
ORDER BY c.name;
