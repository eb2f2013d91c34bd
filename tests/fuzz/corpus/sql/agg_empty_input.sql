-- Aggregates over no rows: a global aggregate returns one row (COUNT 0, SUM/AVG/MIN/STRING_AGG NULL); a grouped one returns no rows.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT COUNT(*) AS n, COUNT(qty) AS nq, SUM(qty) AS s, AVG(price) AS a, MIN(customer) AS m, MAX(price) AS x, STRING_AGG(customer, ',') AS sa FROM orders WHERE qty > 1000;
SELECT region, COUNT(*) AS n FROM orders WHERE qty > 1000 GROUP BY region;
