-- A scalar subquery over a source that never ends (a followed file) has no final value: refused at compile time,
-- correlated or not.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE STREAM lines (order_id INTEGER, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv', 'watching' = 'true');
SELECT c.name, (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS n FROM cust c;
SELECT c.name FROM cust c WHERE c.id > (SELECT AVG(l.cust_id) FROM lines l);
