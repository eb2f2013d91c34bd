-- LIKE ... ESCAPE makes % and _ literal; plain % and _ patterns work as usual.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT 'a_b' LIKE 'a\_b' ESCAPE '\' AS e1, 'axb' LIKE 'a\_b' ESCAPE '\' AS e2, '10%' LIKE '10!%' ESCAPE '!' AS e3,
       '100' LIKE '10!%' ESCAPE '!' AS e4, 'a%c' LIKE 'a%c' AS lit, '' LIKE '' AS emp, '' LIKE '_' AS emp1,
       'ab' LIKE 'a%%b' AS dbl FROM one;
