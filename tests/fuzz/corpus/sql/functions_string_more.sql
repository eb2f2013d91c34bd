-- TRIM/LTRIM/RTRIM, SPLIT_PART (past the end is empty), CONCAT (skips NULL), CONCAT_WS, LPAD truncation, SUBSTRING FROM/FOR, STRPOS, STARTS_WITH, ENDS_WITH, ASCII, CHR, MD5.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv');
SELECT TRIM('  a b  ') AS t, LTRIM('  a b  ') AS lt, RTRIM('  a b  ') AS rt, SPLIT_PART('a,b,,c', ',', 2) AS sp2,
       SPLIT_PART('a,b,,c', ',', 3) AS sp3, SPLIT_PART('a,b,,c', ',', 9) AS sp9, CONCAT('a', NULL, 1, 2.50) AS c,
       CONCAT_WS('-', 'a', NULL, 'b') AS cw, LPAD('abcdef', 3, '*') AS lpt, LPAD('ab', 7, 'xy') AS lpm,
       SUBSTRING('hello' FROM 2 FOR 3) AS sfrom, STRPOS('hello', 'l') AS sp, STARTS_WITH('hello', 'he') AS sw, ENDS_WITH('hello', 'x') AS ew,
       ASCII('A') AS asc, CHR(233) AS ch, MD5('abc') AS md, MD5('') AS md0, LENGTH('日本語') AS cjk, REVERSE('añb') AS rv FROM one;
