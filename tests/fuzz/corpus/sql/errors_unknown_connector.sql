-- An unknown connector type is reported with a suggestion.
CREATE STREAM p (id INTEGER) WITH ('type' = 'file_sorce', 'path' = 'd.csv', 'format' = 'csv');
SELECT id FROM p;
