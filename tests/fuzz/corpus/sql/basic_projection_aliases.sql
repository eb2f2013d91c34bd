-- Projection of expressions with aliases (AS and bare), a repeated column, a quoted alias, and columns out of declaration order.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT s AS name, id, id * 2 doubled, dec + 1 AS "Dec Plus One", id AS id_again FROM t WHERE id <= 3 ORDER BY id;
