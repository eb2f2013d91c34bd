-- SESSION(30s) EMIT CHANGES: each record emits its session as updated; the
-- bridging 10:00:45 emits the merged session [10:00:00, 10:01:40).
CREATE STREAM clicks (uid STRING, ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'sess.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '1m');
SELECT uid, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM clicks GROUP BY uid WINDOW SESSION(30s) EMIT CHANGES;
