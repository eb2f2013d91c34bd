-- UNION ALL keeps duplicates and unifies INTEGER, BIGINT and DECIMAL(10,2) branches to a DECIMAL column.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, i AS v FROM t WHERE id <= 2
UNION ALL SELECT id, bi FROM t WHERE id IN (4, 5)
UNION ALL SELECT id, dec FROM t WHERE id = 3
UNION ALL SELECT id, i FROM t WHERE id = 1
ORDER BY id, v;
