-- WHERE with AND/OR/NOT and parentheses; rows where the predicate is NULL are dropped (three-valued logic).
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id FROM t WHERE b AND i > 0 ORDER BY id;
SELECT id FROM t WHERE NOT b OR i IS NULL ORDER BY id;
SELECT id FROM t WHERE NOT (b AND i > 0) ORDER BY id;
SELECT id FROM t WHERE (i < 0 OR i > 5) AND NOT s = 'Banana' ORDER BY id;
