-- Scalar subqueries a grouped query cannot take, each with its own message: in ORDER BY (bound before the
-- aggregate exists), as an aggregate's argument, and correlated on a column that is not a group key.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.region, COUNT(*) AS n FROM cust c GROUP BY c.region ORDER BY (SELECT COUNT(*) FROM lines l);
SELECT SUM((SELECT COUNT(*) FROM cust)) AS s FROM lines;
SELECT c.region, (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS x FROM cust c GROUP BY c.region;
