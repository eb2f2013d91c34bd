-- args: --format csv
-- SLIDING(2m, 1m) EMIT FINAL keeps panes of 1m and merges two per window: COUNT(DISTINCT)
-- of an INTEGER merges the panes' value sets (vagg_iset_merge), of a STRING their byte
-- strings. qty 0, 2 and 7, price 10.50 and 11.00 and the traders recur in
-- neighbouring panes and count once per window.
CREATE STREAM trades (sym STRING, ts TIMESTAMP, price DECIMAL(10,2), qty INTEGER, trader STRING)
  WITH ('type' = 'file_source', 'path' = 'distinct_panes.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '30s');
SELECT sym, _WINDOW_START AS ws, COUNT(*) AS n, COUNT(DISTINCT qty) AS dq, COUNT(DISTINCT trader) AS dt,
       COUNT(DISTINCT price) AS dp
FROM trades GROUP BY sym WINDOW SLIDING(2m, 1m) EMIT FINAL;
