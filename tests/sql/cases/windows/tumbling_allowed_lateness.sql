-- 'allowed.lateness' = 1m keeps each window open until watermark >= end + 1m:
-- the records that tumbling_late_dead_letter rejects are all counted here.
CREATE STREAM ev (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'late.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'allowed.lateness' = '1m');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev GROUP BY k WINDOW TUMBLING(1m) EMIT FINAL;
