-- Declared statistics name a column of the table and give a value of its
-- type: a misspelled column gets a suggestion, a bad bound says what it needs.
CREATE TABLE o (id INTEGER, ts TIMESTAMP, amount DECIMAL(7,2), name STRING, q INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv',
        'stats.ndv.idd' = '10', 'stats.min.ts' = 'yesterday', 'stats.max.amount' = '12.5.1', 'stats.ndv.id' = '0',
        'stats.min.name' = 'a', 'stats.min.q' = '5', 'stats.max.q' = '2');
SELECT id FROM o;
