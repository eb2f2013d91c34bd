-- UNION ALL of INTEGER and BIGINT gives BIGINT (big values survive), without ORDER BY branches keep their order.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT i AS v FROM t WHERE id = 1
UNION ALL SELECT bi FROM t WHERE id = 6;
