-- NEXMark q9: Winning bids: the highest valid bid of every auction, earliest first on ties (ROW_NUMBER rewritten as MAX/MIN + joins).
CREATE STREAM auction (id BIGINT, item_name STRING, description STRING, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP,
                     expires TIMESTAMP, seller BIGINT, category BIGINT, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/auction.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
WITH best AS (
  SELECT A.id AS best_auction, MAX(B.price) AS best_price
  FROM auction AS A JOIN bid AS B ON A.id = B.auction
  WHERE B.date_time BETWEEN A.date_time AND A.expires
  GROUP BY A.id
), first_best AS (
  SELECT A.id AS fb_auction, MIN(B.date_time) AS best_time
  FROM auction AS A JOIN bid AS B ON A.id = B.auction
       JOIN best ON A.id = best.best_auction AND B.price = best.best_price
  WHERE B.date_time BETWEEN A.date_time AND A.expires
  GROUP BY A.id
)
SELECT A.id, A.item_name, A.description, A.initial_bid, A.reserve, A.date_time, A.expires, A.seller, A.category,
       B.auction, B.bidder, B.price, B.date_time AS bid_date_time
FROM auction AS A JOIN bid AS B ON A.id = B.auction
     JOIN best ON A.id = best.best_auction AND B.price = best.best_price
     JOIN first_best AS F ON A.id = F.fb_auction AND B.date_time = F.best_time
WHERE B.date_time BETWEEN A.date_time AND A.expires;
