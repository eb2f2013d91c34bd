-- A scalar subquery in a query with GROUP BY is refused with its own message, also in ORDER BY.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.region, COUNT(*) AS n FROM cust c GROUP BY c.region ORDER BY (SELECT COUNT(*) FROM lines l);
