-- Correlated scalar subqueries in the select list, decorrelated into LEFT joins to aggregates per key:
-- over an empty group COUNT is 0 and MAX NULL (carol, dave); a NULL key (the last customer) matches nothing;
-- erin's only qty is NULL in one row (COUNT(qty) skips it); COALESCE over an empty group gives its default.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name,
       (SELECT MAX(l.qty) FROM lines l WHERE l.cust_id = c.id) AS max_qty,
       (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS n,
       (SELECT COUNT(l.qty) FROM lines l WHERE c.id = l.cust_id) AS n_qty,
       (SELECT COALESCE(SUM(l.price), 0.00) FROM lines l WHERE l.cust_id = c.id AND l.part <> 'p1') AS other_parts,
       (SELECT COUNT(*) + 1 FROM lines l WHERE l.cust_id = c.id AND l.qty > 4) AS big_plus_one
FROM cust c
ORDER BY c.name;
