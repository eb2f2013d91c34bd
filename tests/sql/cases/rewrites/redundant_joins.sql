-- redundant_joins: a self-join on the PRIMARY KEY keeps the rows with a non-NULL key (the customer with a NULL id
-- goes, as NULL never matches); the same table joined again on the same key repeats the first join's row, and a
-- filter on one of the copies (c3: region <> 'north') still filters. Each must give what the joins give.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/lines.csv', 'format' = 'csv');
SELECT a.name, b.region FROM cust a JOIN cust b ON a.id = b.id ORDER BY a.name;
SELECT l.order_id, c1.name, c2.region FROM lines l JOIN cust c1 ON l.cust_id = c1.id JOIN cust c2 ON l.cust_id = c2.id
ORDER BY l.order_id;
SELECT l.order_id, c1.name, c2.region, c3.id
FROM lines l, cust c1, cust c2, cust c3
WHERE l.cust_id = c1.id AND c2.id = l.cust_id AND l.cust_id = c3.id AND c3.region <> 'north'
ORDER BY l.order_id;
SELECT l.order_id, c1.name FROM lines l LEFT JOIN cust c1 ON l.cust_id = c1.id JOIN cust c2 ON l.cust_id = c2.id
ORDER BY l.order_id;
