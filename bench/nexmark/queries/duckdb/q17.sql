-- DuckDB oracle/baseline for ../q17.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, strftime(date_time, '%Y-%m-%d') AS day,
       COUNT(*) AS total_bids,
       SUM(CASE WHEN price < 10000 THEN 1 ELSE 0 END) AS rank1_bids,
       SUM(CASE WHEN price >= 10000 AND price < 1000000 THEN 1 ELSE 0 END) AS rank2_bids,
       SUM(CASE WHEN price >= 1000000 THEN 1 ELSE 0 END) AS rank3_bids,
       MIN(price) AS min_price, MAX(price) AS max_price, AVG(price) AS avg_price, SUM(price) AS sum_price
FROM bid
GROUP BY auction, strftime(date_time, '%Y-%m-%d')
