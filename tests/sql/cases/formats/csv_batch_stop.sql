-- args: --format csv
-- error.policy 'fail' stops at the first bad record even inside a batch of records split
-- ahead: no row after it is written, and the summary counts the records up to it (153), not
-- the rest of its batch.
CREATE TABLE fact (k INTEGER, qty INTEGER, note STRING)
  WITH ('type' = 'file_source', 'path' = 'batch_fact.csv', 'format' = 'csv', 'error.policy' = 'fail');
SELECT qty, note FROM fact WHERE qty > 148;
