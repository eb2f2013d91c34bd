-- DuckDB oracle/baseline for ../q9.sql over the views bid, auction, person, side_input (check.py, run.sh).
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
WHERE B.date_time BETWEEN A.date_time AND A.expires
