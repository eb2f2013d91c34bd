-- EXTRACT of YEAR, MONTH, DAY, HOUR, MINUTE, SECOND, DOW (0 = Sunday), DOY, MILLISECOND, QUARTER, ISO WEEK, and the YEAR()/... shorthands.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = '../../data/t.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, EXTRACT(YEAR FROM ts) AS y, EXTRACT(MONTH FROM ts) AS mo, EXTRACT(DAY FROM ts) AS d, EXTRACT(HOUR FROM ts) AS h,
       EXTRACT(MINUTE FROM ts) AS mi, EXTRACT(SECOND FROM ts) AS s, EXTRACT(DOW FROM ts) AS dow, EXTRACT(DOY FROM ts) AS doy,
       EXTRACT(MILLISECOND FROM ts) AS ms, EXTRACT(QUARTER FROM ts) AS q, EXTRACT(WEEK FROM ts) AS wk
FROM t ORDER BY id;
SELECT id, YEAR(ts) AS y, MONTH(ts) AS mo, DAY(ts) AS d, HOUR(ts) AS h, MINUTE(ts) AS mi, SECOND(ts) AS s, DAYOFWEEK(ts) AS dw,
       DAYOFYEAR(ts) AS dy, UNIX_TIMESTAMP(ts) AS ut, EPOCH_MILLIS(ts) AS em
FROM t ORDER BY id;
