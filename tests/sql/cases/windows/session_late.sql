-- SESSION(30s), no out-of-orderness: 10:00:55 arrives when the watermark is
-- 10:01:30 (its session would end at 10:01:25, and no open session of 'a'
-- reaches it): late, dead-lettered; so is 10:01:10 at 10:02:05. 10:01:59 of
-- 'b' is not late: it joins b's open session [10:02:05, 10:02:35) at its start.
CREATE STREAM ev (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'late.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev GROUP BY k WINDOW SESSION(INTERVAL '30' SECOND) EMIT FINAL;
