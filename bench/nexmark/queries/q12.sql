-- NEXMark q12: Processing-time window: bids per bidder per 10 s tumbling window of ingest time (no event.time.field). Not deterministic: benchmark only.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT bidder, COUNT(*) AS bid_count, _WINDOW_START AS starttime, _WINDOW_END AS endtime
FROM bid GROUP BY bidder WINDOW TUMBLING(10s);
