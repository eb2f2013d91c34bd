-- Duration shorthand and INTERVAL give the same windows; windows without keys.
CREATE STREAM trades (sym STRING, ts TIMESTAMP, price DECIMAL(10,2), qty INTEGER, trader STRING)
  WITH ('type' = 'file_source', 'path' = 'trades.csv', 'format' = 'csv', 'has_headers' = 'true',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '30s');
SELECT 'tumbling 1d' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW TUMBLING(1d);
SELECT 'tumbling 1 day' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW TUMBLING(INTERVAL '1' DAY);
SELECT 'sliding 1h 30m' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW SLIDING(1h, 30m);
SELECT 'sliding 1 hour' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW SLIDING(INTERVAL '1' HOUR, INTERVAL '30' MINUTE);
SELECT 'session 5m' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW SESSION(5m);
SELECT 'session 300s' AS w, _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(qty) AS q FROM trades WINDOW SESSION(ts, 300s);
SELECT 'session 100ms' AS w, COUNT(*) AS n FROM trades WINDOW SESSION(100ms);
