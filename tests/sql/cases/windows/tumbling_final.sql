-- TUMBLING(1m) EMIT FINAL: out-of-order records within the 30s bound are kept,
-- windows close as the watermark passes their end (09:03:30 - 30s closes the
-- 09:00 and 09:01 windows), the empty 09:02 window produces no row, and the
-- rest is flushed at end of input. Output order: (end, start, group arrival).
CREATE STREAM trades (sym STRING, ts TIMESTAMP, price DECIMAL(10,2), qty INTEGER, trader STRING)
  WITH ('type' = 'file_source', 'path' = 'trades.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '30s');
SELECT sym, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q, SUM(price) AS p
FROM trades GROUP BY sym WINDOW TUMBLING(1m) EMIT FINAL;
