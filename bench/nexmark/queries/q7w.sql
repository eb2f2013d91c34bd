-- NEXMark q7w: Highest bid, streaming part: the highest price of every 10 s tumbling window (TUMBLING max).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT _WINDOW_START AS starttime, _WINDOW_END AS endtime, MAX(price) AS maxprice
FROM bid WINDOW TUMBLING(date_time, 10s);
