-- What the decorrelation refuses, each with its own error: an outer column outside WHERE, GROUP BY in
-- the subquery, a correlation column read outside an aggregate, and conditions on the enclosing row alone
-- without any inner = outer equality.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT (SELECT MAX(l.qty) + c.id FROM lines l WHERE l.cust_id = c.id) AS a FROM cust c;
SELECT (SELECT MAX(l.qty) FROM lines l WHERE l.cust_id = c.id GROUP BY l.part) AS b FROM cust c;
SELECT (SELECT l.cust_id + COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS d FROM cust c;
SELECT (SELECT COUNT(*) FROM lines l WHERE c.region = 'north') AS e FROM cust c;
