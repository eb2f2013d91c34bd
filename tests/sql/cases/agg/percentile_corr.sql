-- PERCENTILE_CONT/DISC, CORR, COVAR_SAMP/POP and APPROX_COUNT_DISTINCT (exact on tiny input); values checked against DuckDB, rounded to 9 digits.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT APPROX_COUNT_DISTINCT(region) AS a, PERCENTILE_CONT(qty, 0.5) AS pc, PERCENTILE_DISC(qty, 0.5) AS pd, PERCENTILE_CONT(qty, 0.25) AS pc25,
       ROUND(CORR(price, qty), 9) AS c, ROUND(COVAR_SAMP(price, qty), 9) AS cs, ROUND(COVAR_POP(price, qty), 9) AS cp FROM orders;
