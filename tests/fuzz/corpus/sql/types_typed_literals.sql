-- TIMESTAMP literals (with fraction, with T and Z) and timestamp plus/minus INTERVAL in every unit, across a leap day and a year end.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT TIMESTAMP '2026-03-02 09:40:00' AS a, TIMESTAMP '2026-03-02 09:40:00.5' AS b, TIMESTAMP '2026-03-02T09:40:00Z' AS c,
       TIMESTAMP '2024-02-28 23:00:00' + INTERVAL '1' DAY AS leap, TIMESTAMP '2025-12-31 23:59:59' + INTERVAL '1' SECOND AS ny,
       TIMESTAMP '2026-03-02 00:00:00' - INTERVAL '90' MINUTE AS back, TIMESTAMP '2026-03-02 00:00:00' + INTERVAL '36' HOUR AS fwd FROM one;
