-- CSV input: RFC 4180 quotes, doubled quotes, embedded comma and newline, CRLF line ends; unquoted empty is NULL, quoted "" is the empty string; CSV output quotes the same way.
CREATE STREAM q (id INTEGER, note STRING, amount DECIMAL(6,2))
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, note, amount, note IS NULL AS is_null, LENGTH(note) AS len FROM q;
