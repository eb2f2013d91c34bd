-- A NEXMark table that does not exist, bad counts, and a column the generator does not write.
CREATE STREAM bids (auction BIGINT) WITH ('type' = 'nexmark_source', 'nexmark.table' = 'bids', 'nexmark.events' = '100');
CREATE STREAM b2 (auction BIGINT) WITH ('type' = 'nexmark_source', 'nexmark.table' = 'bid', 'nexmark.events' = '-5', 'nexmark.rate' = '0');
CREATE STREAM bid (auction BIGINT, bidder BIGINT, prise BIGINT)
  WITH ('type' = 'nexmark_source', 'nexmark.table' = 'bid', 'nexmark.events' = '100');
SELECT * FROM bid;
