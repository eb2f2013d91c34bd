-- ORDER BY an expression that is not in the select list, and by a function of a selected column.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, customer FROM orders ORDER BY price * qty DESC NULLS LAST, id;
SELECT id, customer FROM orders ORDER BY LENGTH(customer), customer DESC;
