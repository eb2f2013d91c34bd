-- NEXMark q8: Monitor new users: people who opened an auction in the 10 s tumbling window in which they registered (join of two windowed aggregates).
CREATE STREAM person (id BIGINT, name STRING, email_address STRING, credit_card STRING, city STRING, state STRING,
                    date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/person.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE STREAM auction (id BIGINT, item_name STRING, description STRING, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP,
                     expires TIMESTAMP, seller BIGINT, category BIGINT, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/auction.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
WITH p AS (
  SELECT id, name, _WINDOW_START AS starttime, _WINDOW_END AS endtime
  FROM person GROUP BY id, name WINDOW TUMBLING(date_time, 10s)
), a AS (
  SELECT seller, _WINDOW_START AS starttime, _WINDOW_END AS endtime
  FROM auction GROUP BY seller WINDOW TUMBLING(date_time, 10s)
)
SELECT p.id, p.name, p.starttime
FROM p JOIN a ON p.id = a.seller AND p.starttime = a.starttime AND p.endtime = a.endtime;
