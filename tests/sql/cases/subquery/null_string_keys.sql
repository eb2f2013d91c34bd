-- NULL string correlation keys: on the outer (probe) side a NULL key matches nothing and must not be hashed (its
-- value is undefined: hashing it read wild memory); the first row of nullkeys.csv has one, so no earlier row
-- leaves a valid string behind in its place. On the subquery (build) side a NULL group matches nothing either.
CREATE TABLE cust (id INTEGER PRIMARY KEY, name STRING, region STRING)
  WITH ('type' = 'file_source', 'path' = 'cust.csv', 'format' = 'csv');
CREATE TABLE lines (order_id INTEGER PRIMARY KEY, cust_id INTEGER, qty INTEGER, price DECIMAL(10,2), part STRING)
  WITH ('type' = 'file_source', 'path' = 'lines.csv', 'format' = 'csv');
CREATE TABLE nk (id INTEGER, region STRING)
  WITH ('type' = 'file_source', 'path' = 'nullkeys.csv', 'format' = 'csv');
SELECT nk.id, (SELECT COUNT(*) FROM cust c WHERE c.region = nk.region) AS n,
       (SELECT MAX(c.name) FROM cust c WHERE c.region = nk.region) AS m
FROM nk
ORDER BY nk.id;
SELECT c.name, (SELECT COUNT(*) FROM nk WHERE nk.region = c.region) AS n FROM cust c ORDER BY c.name;
