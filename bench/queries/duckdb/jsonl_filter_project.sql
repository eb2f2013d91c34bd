-- DuckDB baseline for ../jsonl_filter_project.sql (run from bench/queries/).
COPY (SELECT id, ts, user_id, category, amount, qty * price AS gross
      FROM read_json('../data/events.jsonl', format = 'newline_delimited', columns = {'id': 'BIGINT', 'ts': 'TIMESTAMP', 'user_id': 'INTEGER', 'category': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'qty': 'INTEGER', 'price': 'DOUBLE', 'note': 'VARCHAR'})
      WHERE amount > 900.00) TO '../out/jsonl_filter_project.duckdb.jsonl' (FORMAT JSON);
