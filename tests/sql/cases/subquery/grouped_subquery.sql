-- Scalar subqueries in a query with GROUP BY or aggregates are joined above the aggregate: in HAVING (TPC-H
-- q11 shape), in the select list correlated on a group key (COUNT over an empty group is 0, the NULL region
-- matches nothing), and in a global aggregate over no rows, which still returns its one row.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT l.part, SUM(l.price) AS total FROM lines l GROUP BY l.part
HAVING SUM(l.price) > (SELECT AVG(l2.price) FROM lines l2) ORDER BY l.part;
SELECT l.part, COUNT(*) AS n, (SELECT COUNT(*) FROM lines l2 WHERE l2.part = l.part AND l2.qty > 4) AS big
FROM lines l GROUP BY l.part ORDER BY l.part;
SELECT c.region, (SELECT COUNT(*) FROM cust c2 WHERE c2.region = c.region AND c2.id > 1) + COUNT(*) AS x,
       (SELECT MAX(l.qty) FROM lines l WHERE l.part = c.region) AS never
FROM cust c GROUP BY c.region ORDER BY 1;
SELECT c.region, COUNT(*) AS n FROM cust c GROUP BY c.region
HAVING COUNT(*) > (SELECT COUNT(*) FROM cust c2 WHERE c2.region = c.region AND c2.name <> 'alice') ORDER BY 1;
SELECT COUNT(*) AS n, (SELECT MAX(c.name) FROM cust c) AS m FROM lines l WHERE l.qty > 100;
