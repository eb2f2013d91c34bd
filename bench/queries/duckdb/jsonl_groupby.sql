-- DuckDB baseline for ../jsonl_groupby.sql (run from bench/queries/).
COPY (SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(price) AS avg_price,
             MIN(qty) AS min_qty, MAX(amount) AS max_amount
      FROM read_json('../data/events.jsonl', format = 'newline_delimited', columns = {'id': 'BIGINT', 'ts': 'TIMESTAMP', 'user_id': 'INTEGER', 'category': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'qty': 'INTEGER', 'price': 'DOUBLE', 'note': 'VARCHAR'})
      GROUP BY category) TO '../out/jsonl_groupby.duckdb.csv' (HEADER);
