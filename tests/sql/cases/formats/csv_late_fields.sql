-- args: --format csv
-- A scan probing a join splits its record only up to the key (k, the second field) and the rest
-- (qty, price, tag) only for a record that matches, from the same text: by name through the
-- header (note is the first field, before k), quoted records (split whole), an empty late field
-- (NULL), the last field. A bad value in a late column dead-letters its record only when it
-- matches (n6's qty); n4's never converts, as k = 9 finds nothing.
CREATE TABLE fact (k INTEGER, qty INTEGER, price DECIMAL(6,2), tag STRING, note STRING)
  WITH ('type' = 'file_source', 'path' = 'late_fact.csv', 'format' = 'csv', 'stats.rows' = '1000000');
CREATE TABLE dim (k INTEGER, name STRING)
  WITH ('type' = 'file_source', 'path' = 'late_dim.csv', 'format' = 'csv');
SELECT f.k, d.name, f.qty, f.price, f.tag, f.note
FROM fact f JOIN dim d ON f.k = d.k
ORDER BY f.k, f.note;
