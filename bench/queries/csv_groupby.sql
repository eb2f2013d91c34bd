-- GROUP BY over csv: 12 categories, exact DECIMAL sums; the result goes to stdout.
CREATE STREAM events (id BIGINT, ts TIMESTAMP, user_id INTEGER, category STRING, amount DECIMAL(12,2), qty INTEGER, price DOUBLE, note STRING)
  WITH ('type' = 'file_source', 'path' = '../data/events.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(price) AS avg_price,
       MIN(qty) AS min_qty, MAX(amount) AS max_amount
FROM events
GROUP BY category;
