#!/usr/bin/env python3
"""Deterministic generator of a TPC-H-shaped dataset, written as CSV.

Our own code, not TPC's dbgen (whose license forbids bundling it): the eight
tables, keys and value distributions follow the published TPC-H schema closely
enough for join-order work (same cardinalities per scale factor, same foreign
keys, partsupp's four suppliers per part, orders keyed sparsely, customers with
custkey % 3 == 0 placing no orders, 1..7 lines per order), but the text is our
own and the rows differ from dbgen's.

  region 5, nation 25, supplier SF*10k, customer SF*150k, part SF*200k,
  partsupp SF*800k, orders SF*1.5M, lineitem ~SF*6M

Conventions: CSV with a header, no quoting needed (no commas in text), money as
DECIMAL text with exactly 2 decimals, dates as 'YYYY-MM-DD 00:00:00'
timestamps, NULL as an unquoted empty field.

Skew (`--skew star`, the default) adds things a cost-based optimizer should
exploit and a written order typically gets wrong:
  * p_container = 'JUMBO VAULT' on a fraction --rare-part (0.002) of parts;
  * c_mktsegment = 'ELITE' on a fraction --rare-cust (0.004) of customers;
  * s_comment containing 'Customer Complaints' on ~0.5% of suppliers;
  * --hot-cust (0.25) of orders go to 16 "hot" customers (join-key skew).
`--nulls F` makes c_nationkey and s_comment NULL on a fraction F of rows
(nullable foreign key; tests use it, the benchmark does not).

Output is a function of (--sf, --seed, --skew, --rare-*, --hot-cust, --nulls)
only: every chunk of rows has its own seeded RNG, so -j does not change it.

usage: gen_tpch.py --sf 0.01 --out DIR [--seed 42] [--skew star|none] [-j N]
"""
import argparse, datetime, multiprocessing, os, random, sys

REGIONS = ["AFRICA", "AMERICA", "ASIA", "EUROPE", "MIDDLE EAST"]
NATIONS = [("ALGERIA", 0), ("ARGENTINA", 1), ("BRAZIL", 1), ("CANADA", 1), ("EGYPT", 4),
           ("ETHIOPIA", 0), ("FRANCE", 3), ("GERMANY", 3), ("INDIA", 2), ("INDONESIA", 2),
           ("IRAN", 4), ("IRAQ", 4), ("JAPAN", 2), ("JORDAN", 4), ("KENYA", 0),
           ("MOROCCO", 0), ("MOZAMBIQUE", 0), ("PERU", 1), ("CHINA", 2), ("ROMANIA", 3),
           ("SAUDI ARABIA", 4), ("VIETNAM", 2), ("RUSSIA", 3), ("UNITED KINGDOM", 3),
           ("UNITED STATES", 1)]
COLORS = ("almond azure beige bisque black blue blush brown burlywood chartreuse chocolate coral "
          "cornsilk cream cyan firebrick forest frosted gainsboro ghost goldenrod green grey "
          "honeydew hot indian ivory khaki lace lavender lawn lemon light lime linen magenta "
          "maroon metallic midnight mint misty moccasin navy olive orange orchid pale peach "
          "peru pink plum powder puff purple red rose rosy royal saddle salmon sandy seashell "
          "sienna sky slate smoke snow spring steel tan thistle tomato turquoise violet wheat "
          "white yellow").split()
TYPE1 = ["STANDARD", "SMALL", "MEDIUM", "LARGE", "ECONOMY", "PROMO"]
TYPE2 = ["ANODIZED", "BURNISHED", "PLATED", "POLISHED", "BRUSHED"]
TYPE3 = ["TIN", "NICKEL", "BRASS", "STEEL", "COPPER"]
CONT1 = ["SM", "LG", "MED", "JUMBO", "WRAP"]
CONT2 = ["CASE", "BOX", "BAG", "JAR", "PKG", "PACK", "CAN", "DRUM"]
SEGMENTS = ["AUTOMOBILE", "BUILDING", "FURNITURE", "MACHINERY", "HOUSEHOLD"]
PRIORITIES = ["1-URGENT", "2-HIGH", "3-MEDIUM", "4-NOT SPECIFIED", "5-LOW"]
INSTRUCT = ["DELIVER IN PERSON", "COLLECT COD", "NONE", "TAKE BACK RETURN"]
MODES = ["REG AIR", "AIR", "RAIL", "SHIP", "TRUCK", "MAIL", "FOB"]
WORDS = ("furiously quickly carefully slyly blithely ironic final regular special pending "
         "express bold even silent unusual deposits requests accounts packages theodolites "
         "foxes pinto beans instructions dependencies excuses platelets asymptotes courts "
         "dolphins multipliers sauternes warthogs frets dinos attainments somas tithes "
         "sleep wake are cajole haggle nag use boost affix detect integrate maintain nod "
         "among above across after against along around at before behind beneath").split()
ALNUM = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"

START = datetime.date(1992, 1, 1)
END = datetime.date(1998, 12, 31)
CURRENT = (datetime.date(1995, 6, 17) - START).days
ORDER_SPAN = (datetime.date(1998, 8, 2) - START).days - 151
DAYS = [(START + datetime.timedelta(days=i)).isoformat() + " 00:00:00"
        for i in range((END - START).days + 200)]

HEADERS = {
    "region": "r_regionkey,r_name,r_comment",
    "nation": "n_nationkey,n_name,n_regionkey,n_comment",
    "supplier": "s_suppkey,s_name,s_address,s_nationkey,s_phone,s_acctbal,s_comment",
    "customer": "c_custkey,c_name,c_address,c_nationkey,c_phone,c_acctbal,c_mktsegment,c_comment",
    "part": "p_partkey,p_name,p_mfgr,p_brand,p_type,p_size,p_container,p_retailprice,p_comment",
    "partsupp": "ps_partkey,ps_suppkey,ps_availqty,ps_supplycost,ps_comment",
    "orders": "o_orderkey,o_custkey,o_orderstatus,o_totalprice,o_orderdate,o_orderpriority,"
              "o_clerk,o_shippriority,o_comment",
    "lineitem": "l_orderkey,l_partkey,l_suppkey,l_linenumber,l_quantity,l_extendedprice,"
                "l_discount,l_tax,l_returnflag,l_linestatus,l_shipdate,l_commitdate,"
                "l_receiptdate,l_shipinstruct,l_shipmode,l_comment",
}
CHUNK = 5000


def money(cents):
    sign = "-" if cents < 0 else ""
    cents = abs(cents)
    return f"{sign}{cents // 100}.{cents % 100:02d}"


def text(r, lo, hi):
    return " ".join(r.choices(WORDS, k=r.randint(lo, hi)))


def address(r):
    return "".join(r.choices(ALNUM, k=r.randint(10, 25)))


def phone(r, nation):
    return f"{nation + 10}-{r.randint(100, 999)}-{r.randint(100, 999)}-{r.randint(1000, 9999)}"


def retail_cents(pk):
    return 90000 + (pk // 10) % 20001 + 100 * (pk % 1000)


class Cfg:
    def __init__(self, a):
        self.sf, self.seed, self.skew = a.sf, a.seed, a.skew
        self.rare_part, self.rare_cust, self.hot_cust, self.nulls = a.rare_part, a.rare_cust, a.hot_cust, a.nulls
        self.S = max(4, int(10000 * a.sf))
        self.C = max(3, int(150000 * a.sf))
        self.P = max(1, int(200000 * a.sf))
        self.O = max(1, int(1500000 * a.sf))
        self.clerks = max(1, int(1000 * a.sf))

    def rng(self, table, chunk):
        return random.Random(f"{self.seed}:{table}:{chunk}")


def supp_for(cfg, pk, i):
    S = cfg.S
    return (pk + i * (S // 4 + (pk - 1) // S)) % S + 1


def gen_supplier(cfg, c):
    r, out = cfg.rng("supplier", c), []
    for k in range(c * CHUNK + 1, min(cfg.S, (c + 1) * CHUNK) + 1):
        n = r.randrange(25)
        cm = text(r, 4, 10)
        if cfg.skew == "star" and r.random() < 0.005:
            cm = "wake Customer Complaints " + cm
        if cfg.nulls and r.random() < cfg.nulls:
            cm = ""
        out.append(f"{k},Supplier#{k:09d},{address(r)},{n},{phone(r, n)},{money(r.randint(-99999, 999999))},{cm}\n")
    return "".join(out)


def gen_customer(cfg, c):
    r, out = cfg.rng("customer", c), []
    for k in range(c * CHUNK + 1, min(cfg.C, (c + 1) * CHUNK) + 1):
        n = r.randrange(25)
        seg = r.choice(SEGMENTS)
        if cfg.skew == "star" and r.random() < cfg.rare_cust:
            seg = "ELITE"
        nk = "" if cfg.nulls and r.random() < cfg.nulls else str(n)
        out.append(f"{k},Customer#{k:09d},{address(r)},{nk},{phone(r, n)},{money(r.randint(-99999, 999999))},"
                   f"{seg},{text(r, 4, 12)}\n")
    return "".join(out)


def gen_part(cfg, c):
    r, out = cfg.rng("part", c), []
    for k in range(c * CHUNK + 1, min(cfg.P, (c + 1) * CHUNK) + 1):
        m = r.randint(1, 5)
        cont = r.choice(CONT1) + " " + r.choice(CONT2)
        if cfg.skew == "star" and r.random() < cfg.rare_part:
            cont = "JUMBO VAULT"
        out.append(f"{k},{' '.join(r.sample(COLORS, 5))},Manufacturer#{m},Brand#{m}{r.randint(1, 5)},"
                   f"{r.choice(TYPE1)} {r.choice(TYPE2)} {r.choice(TYPE3)},{r.randint(1, 50)},{cont},"
                   f"{money(retail_cents(k))},{text(r, 2, 6)}\n")
    return "".join(out)


def gen_partsupp(cfg, c):
    r, out = cfg.rng("partsupp", c), []
    for pk in range(c * CHUNK + 1, min(cfg.P, (c + 1) * CHUNK) + 1):
        for i in range(4):
            out.append(f"{pk},{supp_for(cfg, pk, i)},{r.randint(1, 9999)},{money(r.randint(100, 100000))},"
                       f"{text(r, 5, 14)}\n")
    return "".join(out)


def orderkey(i):   # TPC-H style sparse keys: 8 used out of every 32
    return (i // 8) * 32 + i % 8 + 1


def gen_orders(cfg, c):
    """Orders and their lineitems together (o_totalprice depends on the lines)."""
    r, oo, lo = cfg.rng("orders", c), [], []
    C, P = cfg.C, cfg.P
    hot = [k for k in range(1, min(C, 48) + 1) if k % 3][:16]
    for i in range(c * CHUNK, min(cfg.O, (c + 1) * CHUNK)):
        ok = orderkey(i)
        if cfg.skew == "star" and hot and r.random() < cfg.hot_cust:
            ck = r.choice(hot)
        else:
            ck = r.randint(1, C)
            while ck % 3 == 0:
                ck = r.randint(1, C)
        od = r.randrange(ORDER_SPAN)
        total, nf, nlines = 0, 0, r.randint(1, 7)
        for ln in range(1, nlines + 1):
            pk = r.randint(1, P)
            sk = supp_for(cfg, pk, r.randrange(4))
            q = r.randint(1, 50)
            ext = q * retail_cents(pk)
            disc, tax = r.randint(0, 10), r.randint(0, 8)
            # cents * (100 - disc) * (100 + tax) / 10^4, rounded half up
            total += (ext * (100 - disc) * (100 + tax) + 5000) // 10000
            sd = od + r.randint(1, 121)
            cd = od + r.randint(30, 90)
            rd = sd + r.randint(1, 30)
            rf = r.choice("RA") if rd <= CURRENT else "N"
            ls = "O" if sd > CURRENT else "F"
            nf += ls == "F"
            lo.append(f"{ok},{pk},{sk},{ln},{q}.00,{money(ext)},0.{disc:02d},0.{tax:02d},{rf},{ls},"
                      f"{DAYS[sd]},{DAYS[cd]},{DAYS[rd]},{r.choice(INSTRUCT)},{r.choice(MODES)},{text(r, 2, 6)}\n")
        st = "F" if nf == nlines else ("O" if nf == 0 else "P")
        oo.append(f"{ok},{ck},{st},{money(total)},{DAYS[od]},{r.choice(PRIORITIES)},"
                  f"Clerk#{r.randint(1, cfg.clerks):09d},0,{text(r, 3, 10)}\n")
    return "".join(oo), "".join(lo)


_CFG = None


def _init(cfg):
    global _CFG
    _CFG = cfg


def _work(job):
    table, c = job
    return {"supplier": gen_supplier, "customer": gen_customer, "part": gen_part,
            "partsupp": gen_partsupp, "orders": gen_orders}[table](_CFG, c)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--sf", type=float, default=0.01)
    ap.add_argument("--out", required=True)
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--skew", choices=["star", "none"], default="star")
    ap.add_argument("--rare-part", type=float, default=0.002)
    ap.add_argument("--rare-cust", type=float, default=0.004)
    ap.add_argument("--hot-cust", type=float, default=0.25)
    ap.add_argument("--nulls", type=float, default=0.0)
    ap.add_argument("-j", "--jobs", type=int, default=os.cpu_count() or 1)
    a = ap.parse_args()
    cfg = Cfg(a)
    os.makedirs(a.out, exist_ok=True)

    def open_t(name):
        f = open(os.path.join(a.out, name + ".csv.tmp"), "w", encoding="utf-8", newline="")
        f.write(HEADERS[name] + "\n")
        return f

    with open_t("region") as f:
        r = cfg.rng("region", 0)
        for k, n in enumerate(REGIONS):
            f.write(f"{k},{n},{text(r, 3, 8)}\n")
    with open_t("nation") as f:
        r = cfg.rng("nation", 0)
        for k, (n, rk) in enumerate(NATIONS):
            f.write(f"{k},{n},{rk},{text(r, 4, 12)}\n")

    def chunks(n):
        return (n + CHUNK - 1) // CHUNK

    plan = [("supplier", cfg.S), ("customer", cfg.C), ("part", cfg.P), ("partsupp", cfg.P)]
    jobs = [(t, c) for t, n in plan for c in range(chunks(n))] + [("orders", c) for c in range(chunks(cfg.O))]
    files = {t: open_t(t) for t in ["supplier", "customer", "part", "partsupp", "orders", "lineitem"]}
    _init(cfg)
    pool = multiprocessing.Pool(a.jobs, _init, (cfg,)) if a.jobs > 1 else None
    it = pool.imap(_work, jobs, chunksize=1) if pool else map(_work, jobs)
    for (t, _), res in zip(jobs, it):
        if t == "orders":
            files["orders"].write(res[0])
            files["lineitem"].write(res[1])
        else:
            files[t].write(res)
    if pool:
        pool.close()
        pool.join()
    for f in files.values():
        f.close()
    for t in HEADERS:
        os.replace(os.path.join(a.out, t + ".csv.tmp"), os.path.join(a.out, t + ".csv"))
    with open(os.path.join(a.out, "GENERATED"), "w") as f:
        f.write(" ".join(sys.argv[1:]) + "\n")


if __name__ == "__main__":
    main()
