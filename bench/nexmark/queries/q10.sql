-- NEXMark q10: Log to file system: every bid with its day and minute, to a CSV file sink.
CREATE STREAM bid (auction BIGINT, bidder BIGINT, price BIGINT, channel STRING, url STRING, date_time TIMESTAMP, extra STRING)
  WITH ('type' = 'file_source', 'path' = '../data/bid.csv', 'format' = 'csv', 'has_headers' = 'true', 'event.time.field' = 'date_time');
CREATE STREAM q10_out AS
  SELECT auction, bidder, price, date_time, extra,
         DATE_FORMAT(date_time, '%Y-%m-%d') AS dt, DATE_FORMAT(date_time, '%H:%M') AS hm
  FROM bid
  WITH ('q10_out.type' = 'file_sink', 'q10_out.path' = '../out/q10.csv', 'q10_out.format' = 'csv');
