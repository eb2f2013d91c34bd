-- args: --format csv
-- REGEXP_ functions use PCRE2 syntax, as Flink and ksqlDB users write it (Java-like):
-- \d, lazy quantifiers, lookaround, the leftmost alternative wins (POSIX would take the
-- longest), '.' is a UTF-8 code point. A pattern read from the data that does not compile
-- fails its record (row 3 goes to the dead letters); the job goes on.
CREATE STREAM rx (id INTEGER, s STRING, pat STRING)
  WITH ('type' = 'file_source', 'path' = '../../data/rx.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id,
       REGEXP_EXTRACT(s, '\d+(?= EUR)') AS amount,
       REGEXP_EXTRACT(s, '<(.+?)>', 1) AS first_tag,
       REGEXP_EXTRACT(s, 'a|ab') AS alt,
       REGEXP_EXTRACT(s, '^h(.)l', 1) AS cp,
       REGEXP_LIKE(s, '^[a-z]+-\d{3}\b') AS like_id,
       REGEXP_REPLACE(s, '(\w+)-(\d+)', '\2-\1') AS swapped,
       REGEXP_EXTRACT(s, pat) AS by_data
FROM rx;
