-- A correlated scalar subquery without an aggregate: each outer row gets the one matching value or NULL.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name, (SELECT l.part FROM lines l WHERE l.cust_id = c.id AND l.qty > 6) AS big_part
FROM cust c
ORDER BY c.name;
