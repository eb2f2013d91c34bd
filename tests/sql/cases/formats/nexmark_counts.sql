-- Schema inferred from the generator; 1000 events hold 20 people, 60
-- auctions and 920 bids (the 1:3:46 mix), ids counting from 1000 (rate 10000: 0.1 s of event time).
SELECT 'person' AS kind, COUNT(*) AS n, MIN(id) AS first_id, MAX(id) AS last_id FROM person
UNION ALL SELECT 'auction', COUNT(*), MIN(id), MAX(id) FROM auction
UNION ALL SELECT 'bid', COUNT(*), MIN(auction), COUNT(DISTINCT bidder) FROM bid
WITH ('person.type' = 'nexmark_source', 'person.nexmark.table' = 'person', 'person.nexmark.events' = '1e3',
      'auction.type' = 'nexmark_source', 'auction.nexmark.table' = 'auction', 'auction.nexmark.events' = '1000',
      'bid.type' = 'nexmark_source', 'bid.nexmark.table' = 'bid', 'bid.nexmark.events' = '1000');
