-- NEXMark q1: Currency conversion: bid price in euros (exact DECIMAL).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT auction, bidder, 0.908 * price AS price, date_time, extra FROM bid;
