-- Hash joins whose probe is a scan on integer keys, with no Bloom filter: the AOT job fetches
-- their slots a batch ahead (codegen.c, cg_scan_prefetch) for tables of 64k slots or more;
-- tests/valgrind.sh runs this case with VELO_PREFETCH_MIN=1 so that every table is. A NULL
-- probe key, an empty build side, a two-column key.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/cust.csv', 'format' = 'csv');
CREATE TABLE nobody (id INTEGER, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'empty_cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = '../subquery/lines.csv', 'format' = 'csv');
SELECT l.order_id, c.name FROM lines l LEFT JOIN cust c ON l.cust_id = c.id ORDER BY l.order_id;
SELECT l.order_id, n.name FROM lines l LEFT JOIN nobody n ON l.cust_id = n.id ORDER BY l.order_id;
SELECT a.order_id AS a_id, b.order_id AS b_id FROM lines a JOIN lines b ON a.cust_id = b.cust_id AND a.qty = b.qty
ORDER BY a_id, b_id;
