-- TUMBLING(1m) EMIT CHANGES: one updated row per input record (its group in its window);
-- closing windows emit nothing more, and nothing is flushed at end of input.
CREATE STREAM trades (sym STRING, ts TIMESTAMP, price DECIMAL(10,2), qty INTEGER, trader STRING)
  WITH ('type' = 'file_source', 'path' = 'trades.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '30s');
SELECT sym, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q, SUM(price) AS p
FROM trades GROUP BY sym WINDOW TUMBLING(1m) EMIT CHANGES;
