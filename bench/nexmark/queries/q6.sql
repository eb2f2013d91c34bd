-- NEXMark q6: average selling price per seller over their last 10 closed auctions (AVG OVER ROWS 10 PRECEDING;
-- an auction's time is the time of its last valid bid, since the reference's B.dateTime is not grouped).
CREATE STREAM auction (id BIGINT, item_name STRING, description STRING, initial_bid BIGINT, reserve BIGINT, date_time TIMESTAMP,
                     expires TIMESTAMP, seller BIGINT, category BIGINT, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/auction.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
SELECT Q.seller, AVG(Q.final) OVER (PARTITION BY Q.seller ORDER BY Q.date_time ROWS BETWEEN 10 PRECEDING AND CURRENT ROW) AS avg_price
FROM (SELECT MAX(B.price) AS final, A.seller, MAX(B.date_time) AS date_time
      FROM auction AS A JOIN bid AS B ON A.id = B.auction
      WHERE B.date_time BETWEEN A.date_time AND A.expires
      GROUP BY A.id, A.seller) AS Q;
