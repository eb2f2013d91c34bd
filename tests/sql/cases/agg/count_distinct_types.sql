-- args: --format csv
-- COUNT(DISTINCT) of every fixed-width type keeps the values' 64 bits in a set of its own
-- (viset): 0, FALSE, 0.00 and the epoch are values like any other, -0.0 is 0.0, every NaN
-- is one value, NULL is not counted. The merged form (SLIDING panes) is in
-- windows/sliding_distinct.
CREATE STREAM cd (g STRING, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), ts TIMESTAMP, b BOOLEAN, k INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/cd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT g, COUNT(*) AS n, COUNT(DISTINCT bi) AS nbi, COUNT(DISTINCT d) AS nd, COUNT(DISTINCT dec) AS ndec,
       COUNT(DISTINCT ts) AS nts, COUNT(DISTINCT b) AS nb, COUNT(DISTINCT k) AS nk, COUNT(DISTINCT k * 0) AS nzero
FROM cd GROUP BY g ORDER BY g;
