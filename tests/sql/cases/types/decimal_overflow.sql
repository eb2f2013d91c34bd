-- DECIMAL arithmetic and CAST that exceed 18 digits or the target precision dead-letter the record; exact results otherwise.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, dec * 10000000000000000 AS big, CAST(dec AS DECIMAL(3,1)) AS small, dec * dec AS sq FROM t ORDER BY id;
