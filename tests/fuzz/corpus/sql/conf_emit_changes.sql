-- EMIT CHANGES emits the updated row for every input that changes a group (append-only changelog).
CREATE STREAM c (user_id STRING, page STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT user_id, COUNT(*) AS clicks FROM c GROUP BY user_id EMIT CHANGES;
