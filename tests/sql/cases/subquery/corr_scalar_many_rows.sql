-- More than one row for an outer row (bob has two lines) is a runtime error, as in PostgreSQL and DuckDB.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
SELECT c.name, (SELECT l.part FROM lines l WHERE l.cust_id = c.id) AS part FROM cust c;
