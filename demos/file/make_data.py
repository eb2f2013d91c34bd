#!/usr/bin/env python3
"""Write data/transactions.csv, the demo's bundled dataset (deterministic).

5000 card transactions over January 2026: txn_id, ts (ISO 8601, UTC),
account, category, amount (2 decimals), currency, merchant, status.
A handful of deliberately bad rows (a non-numeric amount, a bad timestamp,
a missing field) show where bad input goes.  Re-running gives the same bytes.
"""
import os, random
from datetime import datetime, timedelta

CATEGORIES = {  # category: (merchants, typical amount range)
    "groceries": (["FreshMart", "Green Basket", "Corner Grocer"], (5, 180)),
    "travel": (["SkyWays", "RailNet", "City Cabs", "Harbor Hotels"], (20, 1400)),
    "dining": (["Luigi's", "Noodle Bar", "Cafe Aurora", "Taco Stand"], (6, 160)),
    "utilities": (["PowerGrid Co", "AquaCity", "FiberLink"], (30, 250)),
    "electronics": (["VoltShop", "Pixel Store", "Bits, Bytes & Co", "GadgetHub"], (15, 2200)),
    "entertainment": (["CineMax", "StreamFlix", "Arena Tickets"], (8, 300)),
    "health": (["City Pharmacy", "Wellness Clinic"], (5, 400)),
    "clothing": (["Thread & Co", "Urban Wear", "Shoe Palace"], (12, 350)),
}
STATUSES = ["settled"] * 8 + ["pending", "declined"]
CURRENCIES = ["USD"] * 6 + ["EUR"] * 3 + ["GBP"]


def main():
    rng = random.Random(2026)
    start = datetime(2026, 1, 1)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data", "transactions.csv")
    os.makedirs(os.path.dirname(out), exist_ok=True)
    t = start
    with open(out, "w", newline="") as f:
        f.write("txn_id,ts,account,category,amount,currency,merchant,status\n")
        for i in range(1, 5001):
            t += timedelta(seconds=rng.randint(1, 1000), milliseconds=rng.randint(0, 999))
            cat = rng.choice(list(CATEGORIES))
            merchants, (lo, hi) = CATEGORIES[cat]
            amount = "%.2f" % rng.uniform(lo, hi)
            ts = t.strftime("%Y-%m-%dT%H:%M:%S.") + "%03d" % (t.microsecond // 1000)
            account = "ACC-%04d" % rng.randint(1, 400)
            merchant = rng.choice(merchants)
            if "," in merchant or '"' in merchant:   # RFC 4180 quoting
                merchant = '"' + merchant.replace('"', '""') + '"'
            row = [str(100000 + i), ts, account, cat, amount, rng.choice(CURRENCIES), merchant, rng.choice(STATUSES)]
            if i in (1234, 3777):
                row[4] = "12O"                     # bad amount: letter O for zero
            if i == 2500:
                row[1] = "2026-13-45T99:00:00"    # bad timestamp
            if i == 4321:
                row = row[:-1]                     # missing the status field
            f.write(",".join(row) + "\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
