-- GROUP BY a select-list alias or ordinal shares the item's expression: an expression without a name (1 + 1)
-- crashed the alias lookup, and a scalar subquery there, bound once for GROUP BY, must not be bound again for
-- the select list. A subquery written in GROUP BY itself is joined below the aggregate.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT 1 + 1 AS s, COUNT(*) AS n FROM cust GROUP BY s;
SELECT (SELECT MAX(qty) FROM lines) AS s, COUNT(*) AS n FROM cust GROUP BY s;
SELECT (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS s, COUNT(*) AS n FROM cust c GROUP BY s ORDER BY s DESC;
SELECT (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id) AS s, COUNT(*) AS n FROM cust c GROUP BY 1 ORDER BY 1;
SELECT c.region, COUNT(*) AS n FROM cust c GROUP BY c.region, (SELECT COUNT(*) FROM lines l WHERE l.cust_id = c.id)
ORDER BY 1, 2;
