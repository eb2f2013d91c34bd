-- Correlated IN and NOT IN: the correlation equalities become semi/anti join keys, a non-equi correlation the
-- residual; NOT IN is NOT EXISTS of a row where x = y is TRUE or NULL, so a NULL only empties its own group.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT l.order_id FROM lines l WHERE l.part IN (SELECT l2.part FROM lines l2 WHERE l2.cust_id = l.cust_id AND l2.order_id <> l.order_id) ORDER BY 1;
SELECT l.order_id FROM lines l WHERE l.qty NOT IN (SELECT l2.qty FROM lines l2 WHERE l2.part = l.part AND l2.order_id <> l.order_id) ORDER BY 1;
SELECT c.name FROM cust c WHERE c.id NOT IN (SELECT l.cust_id FROM lines l WHERE l.part = 'p1' AND l.price > c.id) ORDER BY 1;
SELECT l.order_id FROM lines l WHERE l.qty IN (SELECT MAX(l2.qty) FROM lines l2 WHERE l2.part = l.part) ORDER BY 1;
SELECT l.order_id FROM lines l WHERE l.qty NOT IN (SELECT MAX(l2.qty) FROM lines l2 WHERE l2.part = l.part) ORDER BY 1;
