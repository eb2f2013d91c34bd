-- Over bounded files a GROUP BY without WINDOW returns what standard SQL returns (one final row per group).
CREATE STREAM c (user_id STRING, page STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT user_id, COUNT(*) AS clicks, MIN(page) AS first_page FROM c GROUP BY user_id;
