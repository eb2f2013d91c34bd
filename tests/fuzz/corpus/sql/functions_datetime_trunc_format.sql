-- DATE_TRUNC to second .. year (week starts Monday), DATE_FORMAT specifiers, ADD_MONTHS clamping, FROM_UNIXTIME, FROM_EPOCH_MILLIS, TO_TIMESTAMP, UNIX_TIMESTAMP floors.
CREATE STREAM t (id INTEGER, b BOOLEAN, i INTEGER, bi BIGINT, d DOUBLE, dec DECIMAL(10,2), s STRING, ts TIMESTAMP)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT id, DATE_TRUNC('second', ts) AS s, DATE_TRUNC('minute', ts) AS mi, DATE_TRUNC('hour', ts) AS h, DATE_TRUNC('day', ts) AS d,
       DATE_TRUNC('week', ts) AS w, DATE_TRUNC('month', ts) AS mo, DATE_TRUNC('quarter', ts) AS q, DATE_TRUNC('year', ts) AS y
FROM t ORDER BY id;
SELECT id, DATE_FORMAT(ts, '%Y/%m/%d %H:%M:%S.%f %j %a %b') AS df, ADD_MONTHS(ts, 1) AS am FROM t ORDER BY id;
SELECT FROM_UNIXTIME(0) AS a, FROM_UNIXTIME(1772443800) AS b, FROM_UNIXTIME(1.5) AS c, FROM_EPOCH_MILLIS(1772443800123) AS e,
       TO_TIMESTAMP(86400) AS f, TO_TIMESTAMP('2026-03-02T09:30:00Z') AS g, ADD_MONTHS(TIMESTAMP '2026-01-31 00:00:00', 1) AS h,
       ADD_MONTHS(TIMESTAMP '2024-03-31 12:00:00', -1) AS k, UNIX_TIMESTAMP(TIMESTAMP '1969-12-31 23:59:59.5') AS l, FROM_UNIXTIME(-1) AS m FROM one;
