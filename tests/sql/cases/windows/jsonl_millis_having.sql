-- JSONL with epoch-millisecond event times, TUMBLING(100ms) without GROUP BY
-- keys, HAVING on the window. Out-of-orderness 50ms: +90 after +120 is kept;
-- +30 after the watermark reached +400 is late (dead-lettered). Windows with
-- one row ([100, 200), [900, 1000)) fail HAVING; empty ones produce nothing.
CREATE STREAM ev (ts TIMESTAMP, v INTEGER)
  WITH ('type' = 'file_source', 'path' = 'ev.jsonl', 'format' = 'jsonl',
        'event.time.field' = 'ts', 'watermark.max_out_of_orderness' = '50ms');
SELECT _WINDOW_START AS ws, _WINDOW_END AS we, COUNT(*) AS n, SUM(v) AS s
FROM ev WINDOW TUMBLING(100ms) HAVING COUNT(*) > 1;
