-- Operator precedence and associativity, unary minus, % on negatives (sign of the dividend), integer division truncating toward zero.
CREATE STREAM one (x INTEGER) WITH ('type' = 'file_source', 'path' = '../../data/one.csv', 'format' = 'csv');
SELECT 2 + 3 * 4 AS p, (2 + 3) * 4 AS p2, 10 - 2 - 3 AS l, 100 / 10 / 5 AS dd, 2 * 3 % 4 AS pm, - - 5 AS uu, -2 * -3 AS neg,
       -7 % 3 AS m1, 7 % -3 AS m2, -7 % -3 AS m3, -7 / 2 AS d1, 1 + 2 || 'x' AS cc, -x + 1 AS nx FROM one;
SELECT TRUE OR FALSE AND FALSE AS prec, NOT FALSE AND FALSE AS notp, 1 + 1 = 2 AND 2 * 2 = 4 AS both FROM one;
