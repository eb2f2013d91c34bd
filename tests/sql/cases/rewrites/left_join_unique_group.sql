-- join_elimination: a LEFT join on every group key of a GROUP BY or DISTINCT derived table, none of whose columns
-- is read, returns each left row once; a join on part of a DISTINCT's columns may repeat rows and stays.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/lines.csv', 'format' = 'csv');
SELECT c.name FROM cust c LEFT JOIN (SELECT cust_id, COUNT(*) AS n FROM lines GROUP BY cust_id) t ON t.cust_id = c.id
ORDER BY c.name;
SELECT c.name FROM cust c LEFT JOIN (SELECT DISTINCT part, cust_id FROM lines) t ON t.cust_id = c.id ORDER BY c.name;
