-- SESSION(30s) EMIT FINAL, out-of-orderness 1m. u1: 10:00:00 and 10:00:20 form
-- [10:00:00, 10:00:50); 10:01:10 starts [10:01:10, 10:01:40); the late-arriving
-- 10:00:45 bridges the two, so they merge into [10:00:00, 10:01:40); 10:01:40 is
-- exactly one gap after 10:01:10 and starts a new session. u2: 10:01:00 is
-- exactly 30s after 10:00:30: a new session. Sessions close when the watermark
-- (max - 1m) passes last + gap; the rest flush at end of input.
CREATE STREAM clicks (uid STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'sess.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '1m');
SELECT uid, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM clicks GROUP BY uid WINDOW SESSION(30s) EMIT FINAL;
