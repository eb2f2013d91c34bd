-- BETWEEN / NOT BETWEEN are inclusive; reversed bounds match nothing; NULL operand gives NULL; works on DECIMAL, strings and timestamps.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, i BETWEEN 0 AND 10 AS bt, i NOT BETWEEN 0 AND 10 AS nbt, i BETWEEN 10 AND 0 AS rev,
       dec BETWEEN -1 AND 12.50 AS dbt, s BETWEEN 'a' AND 'c' AS sbt
FROM t ORDER BY id;
