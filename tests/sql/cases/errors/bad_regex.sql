-- A constant REGEXP_ pattern is compiled by veloc: a typo in it is a compile error whose
-- caret points where PCRE2 found it, not a failure of every record at run time.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, REGEXP_EXTRACT(customer, '^(\w+', 1) AS first_word FROM orders;
