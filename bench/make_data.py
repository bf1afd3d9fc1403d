"""Write a large labelled demo dataset for the benchmarks (into bench/data/, git-ignored).

    python bench/make_data.py --orders 1000000 --out bench/data/1000000

By default only the current era is written (what the 1,000,000-order speed benchmark
scans: all_orders.txt + orders.txt), straight into --out so that
``bench/bench_scan.py --data bench/data/1000000`` finds it; ``--era both`` adds the
historic one and keeps one sub-folder per era. Prints the time taken and the size of every
file.
"""

from __future__ import annotations

import argparse
import time
from datetime import date
from pathlib import Path

from sellerguard.demo import generate_demo

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=1_000_000, help="distinct orders")
    parser.add_argument("--out", type=Path, default=None, help="default: bench/data/<orders>")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--era", choices=["current", "historic", "both"], default="current")
    parser.add_argument(
        "--end", type=date.fromisoformat, default=date(2026, 11, 20), help="last day (YYYY-MM-DD)"
    )
    args = parser.parse_args()
    out = args.out or ROOT / "bench" / "data" / str(args.orders)

    started = time.perf_counter()
    manifest = generate_demo(out, orders=args.orders, seed=args.seed, era=args.era, end=args.end)
    elapsed = time.perf_counter() - started

    print(
        f"{manifest.orders:,} orders ({manifest.harassment_orders:,} harassment) in {elapsed:.1f} s"
    )
    scanned = 0
    for era in manifest.eras:
        for kind, written in era.files.items():
            path = written.replace(out / written.name) if len(manifest.eras) == 1 else written
            size = path.stat().st_size
            if kind in {"all_orders", "order_report"}:
                scanned += size
            print(f"  {path}: {era.rows[kind]:,} rows, {size / 1e6:,.1f} MB")
        if len(manifest.eras) == 1:
            era.folder.rmdir()
    print(f"all-orders + order report: {scanned / 1e6:,.1f} MB")


if __name__ == "__main__":
    main()
