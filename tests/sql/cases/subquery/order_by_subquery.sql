-- A scalar subquery in ORDER BY joins itself to the input like one in the select list (the generated C was
-- rejected before): correlated (customers by their number of lines) and uncorrelated.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name FROM cust c ORDER BY (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) DESC, c.name;
SELECT c.name FROM cust c ORDER BY (SELECT MAX(l.qty) FROM lines l WHERE l.cust_id = c.id), c.name LIMIT 3;
