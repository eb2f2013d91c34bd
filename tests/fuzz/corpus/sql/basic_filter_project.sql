-- Filter + project over a small CSV: NULL qty drops out of qty > 1, quoted commas survive.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, UPPER(customer) AS who, region, price * qty AS line_total, qty / 2 AS half_qty
FROM orders
WHERE qty > 1 AND price < 200.00
ORDER BY id;
