-- DuckDB baseline for ../csv_filter_project.sql (run from bench/queries/).
COPY (SELECT id, ts, user_id, category, amount, qty * price AS gross
      FROM read_csv('../data/events.csv', header = true, auto_detect = false, columns = {'id': 'BIGINT', 'ts': 'TIMESTAMP', 'user_id': 'INTEGER', 'category': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'qty': 'INTEGER', 'price': 'DOUBLE', 'note': 'VARCHAR'})
      WHERE amount > 900.00) TO '../out/csv_filter_project.duckdb.csv' (HEADER);
