-- VeloStream form: CREATE STREAM ... AS SELECT with namespaced properties, schema inferred from the CSV header and rows, written to a stdout_sink.
CREATE STREAM rich AS
  SELECT id, customer, price * qty AS total FROM orders2 WHERE qty >= 3
  WITH ('orders2.type' = 'file_source', 'orders2.path' = 'd.csv', 'orders2.format' = 'csv',
        'rich.type' = 'stdout_sink', 'rich.format' = 'csv');
