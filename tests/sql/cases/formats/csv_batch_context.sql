-- args: --format csv
-- A scan reads a CSV file in batches of up to 64 records (vsrc_batch) and goes one record at a
-- time for those the fast splitter does not take: quoted fields (rows 100, 103), a short record
-- (row 220), CRLF line ends (rows 250-260), a blank line (after row 280). Each dead letter
-- names its own line and text, whichever way its record was read: a bad late column of a
-- record that matches (row 153: line 154), not of one that does not (row 160), a short record
-- (line 221), a bad join key after the blank line (row 290: line 292).
CREATE TABLE fact (k INTEGER, qty INTEGER, note STRING)
  WITH ('type' = 'file_source', 'path' = 'batch_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'batch_dim.csv', 'format' = 'csv');
SELECT f.k, d.name, f.qty, f.note
FROM fact f JOIN dim d ON f.k = d.k
ORDER BY f.qty;
