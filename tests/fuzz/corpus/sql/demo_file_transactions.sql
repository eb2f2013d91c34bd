-- VeloStream file demo: card transactions from a CSV file into two JSON Lines outputs.
-- Run from the repository root with `make demo`, or here with `make run`.

-- The source: a CSV file with a declared schema. Paths are relative to this file.
-- Rows that do not parse (4 are planted in the data) go to out/bad_rows.jsonl.
CREATE STREAM transactions (
  txn_id   BIGINT,
  ts       TIMESTAMP,
  account  STRING,
  category STRING,
  amount   DECIMAL(12,2),
  currency STRING,
  merchant STRING,
  status   STRING
) WITH ('type' = 'file_source', 'path' = 'd.csv', 'format' = 'csv',
        'has_headers' = 'true', 'event.time.field' = 'ts',
        'dead_letter.path' = 'out/bad_rows.jsonl');

-- (a) Large settled transactions, with a 2.5% fee computed in exact decimal arithmetic.
CREATE STREAM large_txns AS
  SELECT txn_id, ts, account, category, amount,
         ROUND(amount * 0.025, 2) AS fee,
         amount + ROUND(amount * 0.025, 2) AS total
  FROM transactions
  WHERE status = 'settled' AND amount > 100
  WITH ('large_txns.type' = 'file_sink', 'large_txns.path' = 'd.jsonl',
        'large_txns.format' = 'jsonl');

-- (b) Totals per category over the whole file.
CREATE TABLE category_totals AS
  SELECT category, COUNT(*) AS txns, SUM(amount) AS total,
         AVG(amount) AS avg_amount, MAX(amount) AS largest
  FROM transactions
  GROUP BY category
  WITH ('category_totals.type' = 'file_sink', 'category_totals.path' = 'd.jsonl',
        'category_totals.format' = 'jsonl');
