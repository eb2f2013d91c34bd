-- NEXMark q19: the 10 highest bids of every auction (ROW_NUMBER; ties broken by time, then bidder).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT * FROM (
  SELECT auction, bidder, price, channel, url, date_time, extra,
         ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time, bidder) AS rank_number
  FROM bid) AS t
WHERE rank_number <= 10;
