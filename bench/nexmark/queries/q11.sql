-- NEXMark q11: User sessions: bids per bidder per session (10 s gap).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT bidder, COUNT(*) AS bid_count, _WINDOW_START AS starttime, _WINDOW_END AS endtime
FROM bid GROUP BY bidder WINDOW SESSION(date_time, 10s);
