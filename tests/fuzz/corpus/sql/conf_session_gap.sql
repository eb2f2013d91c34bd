-- SESSION(5s): a click less than 5 s after the session's last click extends it; exactly 5 s later starts a new one.
-- A session window is [first, last + gap).
CREATE STREAM c (user_id STRING, page STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'ts');
SELECT user_id, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS clicks
FROM c GROUP BY user_id WINDOW SESSION(ts, 5s);
