-- SLIDING(2m, 1m), no out-of-orderness: a record is late only when its last
-- window has closed. 10:00:55 (after watermark 10:01:30) still counts in the
-- open [10:00, 10:02) window, not in the closed [09:59, 10:01); so do 10:01:10
-- and 10:01:59 in [10:01, 10:03). 10:00:59 after 10:03:00 is late: dead-lettered.
CREATE STREAM ev (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'slide_late.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev GROUP BY k WINDOW SLIDING(INTERVAL '2' MINUTE, INTERVAL '1' MINUTE) EMIT FINAL;
