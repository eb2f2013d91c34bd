-- Many aggregates per TUMBLING window, explicit time column in the window
-- (no 'event.time.field'), INTERVAL syntax, TUMBLE_START/TUMBLE_END.
CREATE STREAM m (k STRING, ts TIMESTAMP, x DOUBLE, qty INTEGER, amt DECIMAL(8,2), name STRING)
  WITH ('type' = 'file_source', 'path' = 'aggs.csv', 'format' = 'csv', 'has_headers' = 'true',
        'watermark.max_out_of_orderness' = '1m');
SELECT k, TUMBLE_START(ts, INTERVAL '1' MINUTE) AS ws, TUMBLE_END(ts, INTERVAL '1' MINUTE) AS we, COUNT(*) AS n, COUNT(x) AS nx, SUM(qty) AS sq,
  SUM(amt) AS sa, AVG(x) AS ax, MIN(x) AS mn, MAX(x) AS mx, STDDEV_SAMP(x) AS sd, MEDIAN(x) AS med,
  COUNT(DISTINCT name) AS cd, APPROX_COUNT_DISTINCT(name) AS acd, PERCENTILE_CONT(x, 0.5) AS p50,
  STRING_AGG(name, '|') AS names
FROM m GROUP BY k WINDOW TUMBLING(ts, INTERVAL '1' MINUTE);
