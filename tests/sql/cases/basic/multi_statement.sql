-- Several statements in one file: a declared stdout_sink fed by INSERT INTO, a SELECT ... INTO a namespaced sink, and a plain SELECT; each writes its own CSV block.
CREATE STREAM orders (id INTEGER, customer STRING, region STRING, price DECIMAL(10,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM out1 (id INTEGER, customer STRING) WITH ('type' = 'stdout_sink', 'format' = 'csv');
INSERT INTO out1 SELECT id, customer FROM orders WHERE id < 3;
SELECT id, price INTO out2 FROM orders WHERE id > 6 WITH ('out2.type' = 'stdout_sink', 'out2.format' = 'jsonl');
SELECT id, region FROM orders WHERE id = 8;
