-- CAST from string literals to every type, BOOLEAN and TIMESTAMP to STRING and BOOLEAN to INTEGER.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT CAST('42' AS INTEGER) AS a, CAST('-9000000000' AS BIGINT) AS a2, CAST('3.14159' AS DECIMAL(5,2)) AS b, CAST('true' AS BOOLEAN) AS c,
       CAST('2026-03-02 09:30:00' AS TIMESTAMP) AS d, CAST('1.5e2' AS DOUBLE) AS e, CAST(2.5 AS INTEGER) AS f, CAST(-2.5 AS INTEGER) AS g,
       CAST(-0.005 AS DECIMAL(4,2)) AS k, CAST(1234567890123 AS STRING) AS l FROM one;
SELECT id, CAST(b AS STRING) AS bs, CAST(b AS INTEGER) AS bint, CAST(ts AS STRING) AS tss FROM t ORDER BY id;
