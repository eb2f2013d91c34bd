-- DuckDB oracle/baseline for ../q21.sql over the views bid, auction, person, side_input (check.py, run.sh).
SELECT auction, bidder, price, channel,
       CASE WHEN LOWER(channel) = 'apple' THEN '0'
            WHEN LOWER(channel) = 'google' THEN '1'
            WHEN LOWER(channel) = 'facebook' THEN '2'
            WHEN LOWER(channel) = 'baidu' THEN '3'
            ELSE NULLIF(regexp_extract(url, '(&|^)channel_id=([^&]*)', 2), '') END AS channel_id
FROM bid
WHERE regexp_matches(url, '(&|^)channel_id=([^&]*)')
   OR LOWER(channel) IN ('apple', 'google', 'facebook', 'baidu')
