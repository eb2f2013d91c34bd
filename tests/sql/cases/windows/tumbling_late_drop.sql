-- args: --format csv
-- No out-of-orderness allowed (the file default): 10:00:55 arrives after the
-- watermark reached 10:01:30, so the 10:00 window is closed and it is late;
-- 10:01:10 and 10:01:59 arrive after 10:02:05. With 'late.data.strategy' =
-- 'drop' they are only counted in the summary: no dead-letter line.
CREATE STREAM ev (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'late.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'late.data.strategy' = 'drop');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev GROUP BY k WINDOW TUMBLING(INTERVAL '1' MINUTE) EMIT FINAL;
