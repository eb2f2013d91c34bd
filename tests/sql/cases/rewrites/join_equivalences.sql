-- join_equivalences: i.pk = ps.pk AND ps.pk = p.pk lets the plan join items to parts directly on
-- i.pk = p.pk (INTEGER to INTEGER through a BIGINT), before partsupp. The rows are those of the
-- written joins: a NULL key on any side matches nothing, partsupp's duplicate (10, 1) doubles
-- items 1 and 6, and only the class's one equality per join is needed (EXPLAIN: explain/).
CREATE TABLE items (id INTEGER, pk INTEGER, sk INTEGER, qty INTEGER)
  WITH ('type' = 'file_source', 'path' = 'eq_items.csv', 'format' = 'csv', 'stats.rows' = '100000');
CREATE TABLE partsupp (pk BIGINT, sk INTEGER, cost DECIMAL(6,2))
  WITH ('type' = 'file_source', 'path' = 'eq_partsupp.csv', 'format' = 'csv', 'stats.rows' = '800000');
CREATE TABLE parts (pk INTEGER, name STRING, kind STRING)
  WITH ('type' = 'file_source', 'path' = 'eq_parts.csv', 'format' = 'csv', 'stats.rows' = '200000');
SELECT i.id, p.name, ps.cost, i.qty
FROM items i, partsupp ps, parts p
WHERE i.pk = ps.pk AND i.sk = ps.sk AND ps.pk = p.pk AND p.kind = 'ECONOMY'
ORDER BY i.id, ps.cost;
SELECT p.name, COUNT(*) AS n, SUM(i.qty * ps.cost) AS value
FROM items i JOIN partsupp ps ON i.pk = ps.pk AND i.sk = ps.sk JOIN parts p ON p.pk = ps.pk
GROUP BY p.name
ORDER BY p.name;
-- A constant travels through the class: i.pk = 20 also filters the scans of parts and
-- partsupp (a BIGINT), before any join.
SELECT i.id, p.name, ps.cost
FROM items i, parts p, partsupp ps
WHERE i.pk = p.pk AND p.pk = ps.pk AND i.sk = ps.sk AND i.pk = 20
ORDER BY i.id, ps.cost;
-- Ranges and IN lists travel too: i.pk BETWEEN 15 AND 40 and p.pk NOT IN (30) filter all
-- three scans (partsupp's BIGINT pk included), and the rows are the written query's.
SELECT i.id, p.name, ps.cost
FROM items i, parts p, partsupp ps
WHERE i.pk = p.pk AND p.pk = ps.pk AND i.sk = ps.sk AND i.pk BETWEEN 15 AND 40 AND p.pk NOT IN (30) AND 20 <= ps.pk
ORDER BY i.id, ps.cost;
