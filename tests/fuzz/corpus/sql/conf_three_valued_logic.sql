-- NULL follows SQL three-valued logic; aggregates skip NULLs; SUM over no rows is NULL.
CREATE STREAM v (id INTEGER, x INTEGER, y INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT COUNT(*) AS n, COUNT(x) AS nx, SUM(x) AS sx, AVG(y) AS ay,
       SUM(CASE WHEN x > 0 OR y > 0 THEN 1 ELSE 0 END) AS any_pos,
       SUM(CASE WHEN NOT (x > 0 AND y > 0) THEN 1 ELSE 0 END) AS not_both,
       SUM(CASE WHEN id > 100 THEN x END) AS none_summed
FROM v;
