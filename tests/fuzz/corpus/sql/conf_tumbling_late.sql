-- 5-second tumbling windows on event time with 1 s out-of-orderness.
-- When the reading at 00:00:03 arrives the watermark is 8.5 s (max 9.5 s - 1 s): window [0,5) closed at 5 s, so it is late.
-- The reading at 00:00:01 for s2 arrives after the watermark reached 11 s: late too. Late records are dropped here.
CREATE STREAM r (sensor STRING, reading INTEGER, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '1s', 'late.data.strategy' = 'drop');
SELECT sensor, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(reading) AS total
FROM r GROUP BY sensor WINDOW TUMBLING(ts, 5s) EMIT FINAL;
