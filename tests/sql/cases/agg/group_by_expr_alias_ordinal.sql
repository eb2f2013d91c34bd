-- GROUP BY an expression, an output alias and an ordinal; aggregate of an expression.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT UPPER(region) AS r, COUNT(*) AS n, SUM(price * qty) AS revenue FROM orders GROUP BY UPPER(region) ORDER BY r NULLS LAST;
SELECT UPPER(region) AS r, MAX(price) - MIN(price) AS spread FROM orders GROUP BY r ORDER BY r NULLS LAST;
SELECT region, SUM(qty) AS q FROM orders GROUP BY 1 ORDER BY 2 DESC NULLS LAST, 1;
SELECT qty % 2 AS parity, COUNT(*) AS n FROM orders GROUP BY qty % 2 ORDER BY parity NULLS FIRST;
