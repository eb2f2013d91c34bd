-- REGEXP_LIKE, REGEXP_REPLACE (first match, like PostgreSQL without g), REGEXP_EXTRACT (whole match, group, no match = NULL), JSON_VALUE paths.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT id, REGEXP_LIKE(s, '^[a-c]') AS rl, REGEXP_REPLACE(s, '[aeiou]', '_') AS rr, REGEXP_EXTRACT(s, '([a-z])\1') AS rx,
       REGEXP_EXTRACT(s, 'an(a)', 1) AS rx1, REGEXP_EXTRACT(s, 'zz') AS rxn
FROM t ORDER BY id;
SELECT JSON_VALUE('{"a":{"b":[10,20,{"c":"x"}]}}', '$.a.b[1]') AS j1, JSON_VALUE('{"a":{"b":[10,20,{"c":"x"}]}}', '$.a.b[2].c') AS j2,
       JSON_VALUE('{"n":null}', '$.n') AS jn, JSON_VALUE('{"f":1.50}', '$.f') AS jf, JSON_VALUE('{"t":true}', '$.t') AS jt,
       JSON_VALUE('{"s":"q\"u\u00e9"}', '$.s') AS js, JSON_VALUE('{"a":1}', '$.missing') AS jm, JSON_EXTRACT('{"a":[1,2]}', '$.a[0]') AS je FROM one;
