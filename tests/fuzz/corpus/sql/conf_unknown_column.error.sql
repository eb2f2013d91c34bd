CREATE STREAM c (user_id STRING, page STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT user_id, paeg
FROM c;
