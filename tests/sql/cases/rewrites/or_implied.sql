-- An OR of conjunctions over both inputs of an inner join (TPC-H Q7's nation pair, Q19's brands):
-- what each branch says about one input alone, ORed, also filters that input's scan; the OR itself
-- stays at the join. A branch saying nothing about an input (b.qty > 2 alone) leaves it unfiltered.
-- A LEFT join's preserved side is never filtered by its ON condition. NULL region and qty (id 4)
-- make the OR unknown, not true.
CREATE TABLE orders (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
CREATE TABLE o2 (id INTEGER, customer STRING, region STRING, price DECIMAL(7,2), qty INTEGER)
  WITH ('type' = 'file_source', 'path' = '../../data/orders.csv', 'format' = 'csv');
SELECT a.id AS a_id, b.id AS b_id FROM orders a JOIN o2 b ON a.region = b.region
WHERE (a.customer = 'alice' AND b.customer = 'carol') OR (a.customer = 'carol' AND b.qty > 2)
ORDER BY a_id, b_id;
SELECT a.id AS a_id, b.id AS b_id FROM orders a, o2 b
WHERE (a.qty > 5 AND b.price < 10) OR (a.qty IS NULL AND b.qty IS NULL) OR (a.price > 50 AND b.id = a.id)
ORDER BY a_id, b_id;
SELECT a.id AS a_id, b.id AS b_id FROM orders a LEFT JOIN o2 b
ON a.region = b.region AND ((a.qty > 2 AND b.qty < 5) OR (a.qty < 2 AND b.price > 50))
ORDER BY a_id, b_id;
