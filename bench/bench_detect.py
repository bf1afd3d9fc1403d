"""Detection quality on labelled data: recall on harassment, false positives on legitimate orders.

Scans several generated demo datasets (different seeds, both eras) and the two labelled
samples in ../shared/samples, compares with labels.csv and prints the figures the issue asks
for (≥ 97 % of harassment orders flagged high|medium; ≤ 0.5 % of legitimate orders flagged
high|medium and ≤ 0.1 % flagged high), per dataset, per pattern and overall.

    python bench/bench_detect.py [--orders 20000] [--seeds 11 23 37] [--no-samples]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples"


def evaluate(name: str, files: list[Path], labels: Path) -> pd.DataFrame:
    from sellerguard.exports import read_exports
    from sellerguard.rules import scan

    started = time.perf_counter()
    result = scan(read_exports(files))
    elapsed = time.perf_counter() - started
    truth = pd.read_csv(labels, dtype={"order_id": "str", "pattern": "str"})
    merged = truth.merge(
        result.orders[["order_id", "risk_level", "reason_codes"]], on="order_id", how="left"
    )
    missing = merged["risk_level"].isna().sum()
    if missing:
        print(f"  {name}: {missing} labelled orders missing from the scan", file=sys.stderr)
    merged["dataset"] = name
    print(f"  {name}: {len(result.orders):,} orders scanned in {elapsed:.1f} s")
    return merged


def report(frame: pd.DataFrame) -> dict[str, float]:
    harassment = frame[frame["label"] == 1]
    legit = frame[frame["label"] == 0]
    flagged = frame["risk_level"].isin(["high", "medium"])
    figures = {
        "harassment": len(harassment),
        "legitimate": len(legit),
        "recall_medium_or_high": flagged[harassment.index].mean() * 100,
        "fp_medium_or_high": flagged[legit.index].mean() * 100,
        "fp_high": (legit["risk_level"] == "high").mean() * 100,
    }
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=20000)
    parser.add_argument("--seeds", type=int, nargs="+", default=[11, 23, 37])
    parser.add_argument("--no-samples", action="store_true")
    parser.add_argument("--misses", action="store_true", help="print missed / false orders")
    args = parser.parse_args()

    from sellerguard.demo import generate_demo

    frames = []
    with tempfile.TemporaryDirectory() as tmp:
        for seed in args.seeds:
            out = Path(tmp) / f"seed{seed}"
            generate_demo(out, orders=args.orders, seed=seed, era="both")
            for era_dir in sorted(p for p in out.iterdir() if p.is_dir()):
                files = sorted(f for f in era_dir.glob("*.txt"))
                frames.append(
                    evaluate(f"demo seed {seed} {era_dir.name}", files, era_dir / "labels.csv")
                )
        if not args.no_samples and SAMPLES.is_dir():
            for era in ("current", "historic"):
                folder = SAMPLES / era
                files = [folder / "all_orders.txt", folder / "orders.txt"]
                frames.append(evaluate(f"shared sample {era}", files, folder / "labels.csv"))

    everything = pd.concat(frames, ignore_index=True)
    print()
    print(
        f"{'dataset':38} {'harass':>7} {'legit':>7} {'recall%':>8} {'fp m+h%':>8} {'fp high%':>8}"
    )
    for name, part in everything.groupby("dataset", sort=False):
        f = report(part.reset_index(drop=True))
        print(
            f"{name:38} {f['harassment']:7d} {f['legitimate']:7d} {f['recall_medium_or_high']:8.2f} {f['fp_medium_or_high']:8.3f} {f['fp_high']:8.3f}"
        )
    f = report(everything)
    print(
        f"{'ALL':38} {f['harassment']:7d} {f['legitimate']:7d} {f['recall_medium_or_high']:8.2f} {f['fp_medium_or_high']:8.3f} {f['fp_high']:8.3f}"
    )
    print("\nper pattern (share flagged high|medium):")
    everything["flagged"] = everything["risk_level"].isin(["high", "medium"])
    table = everything.groupby(["label", "pattern"])["flagged"].agg(["size", "mean"])
    table["mean"] = (table["mean"] * 100).round(2)
    print(table.to_string())
    if args.misses:
        pd.set_option("display.width", 200)
        missed = everything[(everything.label == 1) & ~everything.flagged]
        false = everything[(everything.label == 0) & everything.flagged]
        print(
            "\nmissed:\n",
            missed[["dataset", "order_id", "pattern", "campaign", "risk_level", "reason_codes"]]
            .head(40)
            .to_string(),
        )
        print(
            "\nfalse positives:\n",
            false[["dataset", "order_id", "pattern", "risk_level", "reason_codes"]]
            .head(40)
            .to_string(),
        )
    ok = f["recall_medium_or_high"] >= 97 and f["fp_medium_or_high"] <= 0.5 and f["fp_high"] <= 0.1
    print("\ntargets met" if ok else "\ntargets NOT met")


if __name__ == "__main__":
    main()
