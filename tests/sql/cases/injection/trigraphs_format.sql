-- Trigraphs (??= ??/ ??') and printf directives (%s %n %d) in literals are printed verbatim.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT '??=??/??''??(' AS tri, '%s%n%d%%%p' AS fmt, UPPER('%s??/') AS up, '??/' || '%n' AS cat FROM one;
