-- DuckDB baseline for ../csv_groupby.sql (run from bench/queries/).
COPY (SELECT category, COUNT(*) AS n, SUM(amount) AS total, AVG(price) AS avg_price,
             MIN(qty) AS min_qty, MAX(amount) AS max_amount
      FROM read_csv('../data/events.csv', header = true, auto_detect = false, columns = {'id': 'BIGINT', 'ts': 'TIMESTAMP', 'user_id': 'INTEGER', 'category': 'VARCHAR', 'amount': 'DECIMAL(12,2)', 'qty': 'INTEGER', 'price': 'DOUBLE', 'note': 'VARCHAR'})
      GROUP BY category) TO '../out/csv_groupby.duckdb.csv' (HEADER);
