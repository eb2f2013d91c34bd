-- HAVING on aggregates (including one not in the select list) and on a group key.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT region, SUM(price * qty) AS revenue FROM orders GROUP BY region HAVING COUNT(*) >= 2 AND SUM(qty) > 5 ORDER BY revenue;
SELECT region, COUNT(*) AS n FROM orders GROUP BY region HAVING region LIKE '%th' ORDER BY region;
SELECT region FROM orders GROUP BY region HAVING MAX(price) > 100;
