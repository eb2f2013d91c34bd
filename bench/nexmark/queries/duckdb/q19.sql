-- DuckDB oracle/baseline for ../q19.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT * FROM (
  SELECT auction, bidder, price, channel, url, date_time, extra,
         ROW_NUMBER() OVER (PARTITION BY auction ORDER BY price DESC, date_time, bidder) AS rank_number
  FROM bid) AS t
WHERE rank_number <= 10
