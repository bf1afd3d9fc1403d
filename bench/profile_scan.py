"""Where a scan spends its time and memory, stage by stage, in one process.

python bench/profile_scan.py bench/data/1000000/all_orders.txt bench/data/1000000/orders.txt
"""

from __future__ import annotations

import resource
import sys
import time
from pathlib import Path


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    from sellerguard.address import assess_addresses, assess_phones
    from sellerguard.allocator import tune_for_batch
    from sellerguard.exports import read_exports
    from sellerguard.rules import SCAN_COLUMNS
    from sellerguard.rules.features import build_features, link_groups, name_facts
    from sellerguard.rules.scoring import score_features
    from sellerguard.settings import load_settings

    files = [Path(a) for a in sys.argv[1:]]
    stages: list[tuple[str, float, float]] = []
    clock = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        stages.append((name, now - clock, rss_mb()))
        print(f"{name:18} {now - clock:7.2f} s   peak {rss_mb():7.0f} MB", flush=True)
        clock = now

    tune_for_batch()  # as the scan command does
    order_set = read_exports(files, columns=SCAN_COLUMNS)
    lap("read+merge")
    orders = order_set.orders
    del order_set
    orders = orders.reset_index(drop=True)
    addresses = assess_addresses(orders)
    lap("addresses")
    phones = assess_phones(orders)
    lap("phones")
    names = name_facts(orders)
    lap("names")
    frame = build_features(orders, addresses, phones, names)
    lap("features")
    result = score_features(frame, load_settings())
    lap("rules")
    result["group_id"] = link_groups(result)
    lap("link groups")
    print(f"total {sum(s[1] for s in stages):.1f} s, {len(result):,} orders")


if __name__ == "__main__":
    main()
