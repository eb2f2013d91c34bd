-- NEXMark q5w: Hot items, streaming part: bids per auction per 10 s window sliding every 2 s (SLIDING window count).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT auction, _WINDOW_START AS starttime, _WINDOW_END AS endtime, COUNT(*) AS num
FROM bid GROUP BY auction WINDOW SLIDING(date_time, 10s, 2s);
