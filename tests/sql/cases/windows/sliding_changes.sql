-- SLIDING(2m, 1m) EMIT CHANGES: a record updates each of its open windows
-- (latest start first) and emits each updated row; a record arriving after
-- some of its windows closed updates only the open ones.
CREATE STREAM ev (k STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'late.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev GROUP BY k WINDOW SLIDING(2m, 1m) EMIT CHANGES;
