-- args: --format csv
-- LIMIT leaves a scan in the middle of a batch: the summary counts the records read up to
-- the stop (row 107, the third match), as when records were read one at a time.
CREATE TABLE fact (k INTEGER, qty INTEGER, note STRING)
  WITH ('type' = 'file_source', 'path' = 'batch_fact.csv', 'format' = 'csv');
SELECT qty, note FROM fact WHERE k = 7 LIMIT 2;
