-- CSV input: unquoted empty field is NULL, quoted "" is the empty string; RFC 4180 quoting.
CREATE STREAM t (id INTEGER, name STRING, note STRING)
  WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv', 'has_headers' = 'true');
SELECT id, name, note, name IS NULL AS name_null, note = '' AS note_empty FROM t;
