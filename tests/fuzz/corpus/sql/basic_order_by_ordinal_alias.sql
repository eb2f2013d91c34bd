-- ORDER BY output ordinal and by output alias.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT customer, price FROM orders ORDER BY 2 DESC, 1;
SELECT customer AS who, qty FROM orders WHERE qty IS NOT NULL ORDER BY qty, who;
