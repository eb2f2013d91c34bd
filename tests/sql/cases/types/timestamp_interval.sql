-- timestamp +/- INTERVAL per row (NULL stays NULL), and comparison of TIMESTAMP columns with string and TIMESTAMP literals.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, ts + INTERVAL '5' MINUTE AS p5m, ts - INTERVAL '1' DAY AS m1d, ts + INTERVAL '30' SECOND AS p30s,
       ts > '2026-03-02 09:30:00' AS gt, ts = TIMESTAMP '2026-03-02 09:30:00' AS eq, ts < TIMESTAMP '2026-01-01 00:00:00' AS lt
FROM t ORDER BY id;
SELECT id FROM t WHERE ts BETWEEN '2026-03-02 00:00:00' AND '2026-03-02 09:59:59' ORDER BY id;
