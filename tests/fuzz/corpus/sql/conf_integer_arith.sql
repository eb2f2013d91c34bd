-- Integer division truncates toward zero; % keeps the sign of the dividend (as PostgreSQL).
CREATE STREAM n (a INTEGER, b INTEGER)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT a, b, a / b AS q, a % b AS r, CAST(a AS DOUBLE) / b AS f FROM n;
