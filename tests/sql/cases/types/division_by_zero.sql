-- Division and modulo by zero (INTEGER, DECIMAL, DOUBLE) dead-letter the record; NULL / 0 is NULL; integer division truncates toward zero.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, 10 / i AS q, 10.00 / i AS qd, 1e0 / i AS qf, -7 / 2 AS t1, 7 / -2 AS t2 FROM t WHERE id IN (1, 2, 4, 5) ORDER BY id;
SELECT id, i % (id - 1) AS m FROM t WHERE id <= 2 ORDER BY id;
