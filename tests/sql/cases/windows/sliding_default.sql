-- SLIDING(2m, 1m), default emit mode (FINAL with a WINDOW): every record counts in the two windows that
-- contain it (starts at multiples of 1m); out-of-order records within the 30s
-- bound are kept; windows close once the watermark passes their end.
CREATE STREAM trades (sym STRING, ts TIMESTAMP, price DECIMAL(10,2), qty INTEGER, trader STRING)
  WITH ('type' = 'file_source', 'path' = 'trades.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '30s');
SELECT sym, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q, SUM(price) AS p
FROM trades GROUP BY sym WINDOW SLIDING(2m, 1m);
