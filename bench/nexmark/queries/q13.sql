-- NEXMark q13: Bounded side input join: every bid with the side-input value of auction % 10000 (stream-table join).
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE TABLE side_input (k BIGINT, v STRING)
  WITH ('type' = 'file_source', 'path' = '../data/side_input.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT B.auction, B.bidder, B.price, B.date_time, S.v
FROM bid AS B JOIN side_input AS S ON MOD(B.auction, 10000) = S.k;
