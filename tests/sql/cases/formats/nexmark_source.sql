-- The in-process NEXMark generator as a source: a declared subset of the bid
-- columns, in another order, matched by name; the rows are those of the first
-- bids that bench/nexmark/gen.c writes to bid.csv for the same events.
CREATE STREAM bid (price BIGINT, auction BIGINT, date_time TIMESTAMP, channel STRING)
  WITH ('type' = 'nexmark_source', 'nexmark.table' = 'bid', 'nexmark.events' = '60', 'nexmark.rate' = '1000');
SELECT auction, price, channel, date_time FROM bid WHERE price > 1000;
