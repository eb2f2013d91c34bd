-- Every aggregate survives a session merge. SESSION(20s), out-of-orderness 5m:
-- a: 10:00:00 -> [00:00, 00:20); 10:00:50 -> [00:50, 01:10); 10:00:25 ->
-- [00:25, 00:45); 10:00:10 bridges [00:00, 00:20) and [00:25, 00:45) into
-- [00:00, 00:45) = {1.5, 2.5, 3.0}. b: 10:00:02 -> [00:02, 00:22); 10:00:40 ->
-- [00:40, 01:00); 10:00:21 bridges them into [00:02, 01:00) = {10, NULL, 20}.
CREATE STREAM m (k STRING, ts TIMESTAMP, x DOUBLE, qty INTEGER, amt DECIMAL(8,2), name STRING)
  WITH ('type' = 'file_source', 'path' = 'aggs.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '5m');
SELECT k, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, COUNT(x) AS nx, SUM(qty) AS sq,
  SUM(amt) AS sa, AVG(x) AS ax, AVG(qty) AS aq, MIN(x) AS mn, MAX(x) AS mx, MIN(amt) AS mna, MAX(qty) AS mxq,
  STDDEV_SAMP(x) AS sd, STDDEV_POP(x) AS sdp, VAR_POP(qty) AS vq, MEDIAN(x) AS med,
  COUNT(DISTINCT name) AS cd, APPROX_COUNT_DISTINCT(name) AS acd, PERCENTILE_CONT(x, 0.25) AS p25
FROM m GROUP BY k WINDOW SESSION(20s) EMIT FINAL;
