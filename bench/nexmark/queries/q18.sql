-- NEXMark q18: Last bid of every (bidder, auction): ROW_NUMBER dedup written as LAST_VALUE in arrival (= event time) order.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT auction, bidder, LAST_VALUE(price) AS price, LAST_VALUE(channel) AS channel, LAST_VALUE(url) AS url,
       LAST_VALUE(date_time) AS date_time, LAST_VALUE(extra) AS extra
FROM bid
GROUP BY bidder, auction;
