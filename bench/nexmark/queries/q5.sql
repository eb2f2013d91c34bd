-- NEXMark q5: Hot items: per 10 s window sliding every 2 s, the auctions with the most bids (windowed aggregates joined through CTEs).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
WITH counts AS (
  SELECT auction, _WINDOW_START AS starttime, _WINDOW_END AS endtime, COUNT(*) AS num
  FROM bid GROUP BY auction WINDOW SLIDING(date_time, 10s, 2s)
), maxes AS (
  SELECT starttime, endtime, MAX(num) AS maxn FROM counts GROUP BY starttime, endtime
)
SELECT C.auction, C.num, C.starttime, C.endtime
FROM counts AS C JOIN maxes AS M ON C.starttime = M.starttime AND C.endtime = M.endtime
WHERE C.num >= M.maxn;
