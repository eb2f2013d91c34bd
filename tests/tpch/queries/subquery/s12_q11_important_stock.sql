-- TPC-H-shaped tables (tests/tpch/gen_tpch.py); paths are relative to this file:
-- the runners put the query next to a data/ directory.
CREATE TABLE region (r_regionkey INTEGER, r_name STRING, r_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/region.csv', 'format' = 'csv');
CREATE TABLE nation (n_nationkey INTEGER, n_name STRING, n_regionkey INTEGER, n_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/nation.csv', 'format' = 'csv');
CREATE TABLE supplier (s_suppkey INTEGER, s_name STRING, s_address STRING, s_nationkey INTEGER,
                       s_phone STRING, s_acctbal DECIMAL(15,2), s_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/supplier.csv', 'format' = 'csv');
CREATE TABLE customer (c_custkey INTEGER, c_name STRING, c_address STRING, c_nationkey INTEGER,
                       c_phone STRING, c_acctbal DECIMAL(15,2), c_mktsegment STRING, c_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/customer.csv', 'format' = 'csv');
CREATE TABLE part (p_partkey INTEGER, p_name STRING, p_mfgr STRING, p_brand STRING, p_type STRING,
                   p_size INTEGER, p_container STRING, p_retailprice DECIMAL(15,2), p_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/part.csv', 'format' = 'csv');
CREATE TABLE partsupp (ps_partkey BIGINT, ps_suppkey BIGINT, ps_availqty INTEGER,
                       ps_supplycost DECIMAL(15,2), ps_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/partsupp.csv', 'format' = 'csv');
CREATE TABLE orders (o_orderkey BIGINT, o_custkey INTEGER, o_orderstatus STRING, o_totalprice DECIMAL(15,2),
                     o_orderdate TIMESTAMP, o_orderpriority STRING, o_clerk STRING, o_shippriority INTEGER,
                     o_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/orders.csv', 'format' = 'csv');
CREATE TABLE lineitem (l_orderkey BIGINT, l_partkey INTEGER, l_suppkey INTEGER, l_linenumber INTEGER,
                       l_quantity DECIMAL(15,2), l_extendedprice DECIMAL(15,2), l_discount DECIMAL(15,2),
                       l_tax DECIMAL(15,2), l_returnflag STRING, l_linestatus STRING,
                       l_shipdate TIMESTAMP, l_commitdate TIMESTAMP, l_receiptdate TIMESTAMP,
                       l_shipinstruct STRING, l_shipmode STRING, l_comment STRING)
  WITH ('type' = 'file_source', 'path' = 'data/lineitem.csv', 'format' = 'csv');

-- TPC-H Q11: HAVING against an uncorrelated scalar subquery (a fraction of the nation's whole stock value),
-- joined above the aggregate.
SELECT ps_partkey, SUM(ps_supplycost * ps_availqty) AS stock_value
FROM partsupp, supplier, nation
WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey AND n_name = 'GERMANY'
GROUP BY ps_partkey
HAVING SUM(ps_supplycost * ps_availqty) > (SELECT SUM(ps_supplycost * ps_availqty) * 0.0001
                                           FROM partsupp, supplier, nation
                                           WHERE ps_suppkey = s_suppkey AND s_nationkey = n_nationkey
                                             AND n_name = 'GERMANY')
ORDER BY stock_value DESC, ps_partkey;
