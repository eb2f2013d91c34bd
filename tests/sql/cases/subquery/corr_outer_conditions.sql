-- A condition of a correlated scalar subquery on the enclosing query alone becomes the ON condition of its LEFT
-- join: where it is false the subquery is empty for that row (COUNT 0, MAX NULL), also with a NULL outcome
-- (nobody's NULL id), and a non-aggregate subquery it filters out cannot raise the more-than-one-row error.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name,
       (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id AND c.region = 'north') AS n_north,
       (SELECT MAX(l.qty) FROM lines l WHERE l.cust_id = c.id AND c.name > 'b') AS max_after_b
FROM cust c ORDER BY c.name;
SELECT c.name FROM cust c WHERE (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id AND c.id > 1) = 0 ORDER BY c.name;
SELECT c.name, (SELECT l.part FROM lines l WHERE l.cust_id = c.id AND c.name = 'alice' AND l.qty > 6) AS p
FROM cust c ORDER BY c.name;
