-- NEXMark q7: Highest bid: the bids with the highest price of their 10 s tumbling window (windowed MAX joined back to the bids).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
WITH m AS (
  SELECT _WINDOW_END AS we, MAX(price) AS maxprice FROM bid WINDOW TUMBLING(date_time, 10s)
)
SELECT B.auction, B.price, B.bidder, B.date_time, B.extra
FROM bid AS B JOIN m ON B.price = m.maxprice
WHERE B.date_time BETWEEN m.we - INTERVAL '10' SECOND AND m.we;
