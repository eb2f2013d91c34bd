-- DECIMAL is exact: 1000 x 0.10 sums to exactly 100.00; ROUND is half away from zero.
CREATE STREAM m (id INTEGER, price DECIMAL(12,4), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT SUM(price) AS total, SUM(price * qty) AS notional, MAX(price * qty) AS biggest,
       ROUND(MIN(price), 2) AS lo_rounded, ROUND(2.345, 2) AS r_pos, ROUND(-2.345, 2) AS r_neg
FROM m WHERE id <= 1000 OR id > 1000;
