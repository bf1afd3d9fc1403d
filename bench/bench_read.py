"""Time the export readers against pyarrow's own parse of the same files (issue 2 §6).

Usage::

    .venv/bin/python bench/bench_read.py                 # generate 1,000,000 orders in /tmp
    .venv/bin/python bench/bench_read.py --orders 200000
    .venv/bin/python bench/bench_read.py --demo            # sellerguard's demo generator
    .venv/bin/python bench/bench_read.py FILE [FILE ...]  # time existing exports

Generated files repeat the rows of the shared samples (../shared/samples/current) under
fresh order ids, so they have the real layouts, Japanese text and about 570 MB for
1,000,000 orders; ``--demo`` uses ``sellerguard demo``'s generator (current era) instead. Prints the pyarrow parse time
(all columns as strings, multi-threaded), read_export per file, read_exports (read + merge)
and the peak resident memory of each step (each step runs in a fresh process). Wall and CPU
seconds are both shown: on a shared machine the CPU figures are the steadier comparison.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SAMPLES = ROOT.parent / "shared" / "samples" / "current"


def generate(out_dir: Path, orders: int) -> list[Path]:
    """Write an all-orders report and an order report with ``orders`` distinct orders.

    Order ``i`` copies sample order ``i mod N`` in both files (when the sample's order report
    has it), so the two files describe the same orders as real downloads do.
    """
    out_dir.mkdir(parents=True, exist_ok=True)
    tables = {}
    for name in ("all_orders.txt", "orders.txt"):
        lines = (SAMPLES / name).read_text(encoding="utf-8").splitlines()
        rows: dict[str, list[str]] = {}
        for row in lines[1:]:
            order_id, rest = row.split("\t", 1)
            rows.setdefault(order_id, []).append(rest)
        tables[name] = (lines[0], rows)
    sample_ids = list(tables["all_orders.txt"][1])
    paths = []
    for name, (header, rows) in tables.items():
        target = out_dir / name
        with target.open("w", encoding="utf-8", newline="\n") as fh:
            fh.write(header + "\n")
            batch: list[str] = []
            for i in range(orders):
                new_id = f"{900 + i // 10_000_000:03d}-{i // 10_000 % 1000:07d}-{i % 10_000:07d}"
                batch.extend(
                    f"{new_id}\t{rest}" for rest in rows.get(sample_ids[i % len(sample_ids)], ())
                )
                if len(batch) >= 100_000:
                    fh.write("\n".join(batch) + "\n")
                    batch.clear()
            if batch:
                fh.write("\n".join(batch) + "\n")
        paths.append(target)
    return paths


STEP = r"""
import json, sys, time
from pathlib import Path
step, files = sys.argv[1], [Path(p) for p in sys.argv[2:]]
import pyarrow as pa, pyarrow.csv as pacsv
import_start = time.perf_counter()
if step != "pyarrow":
    import sellerguard.exports
import_seconds = time.perf_counter() - import_start
start = time.perf_counter()
cpu_start = time.process_time()
if step == "pyarrow":
    rows = 0
    for f in files:
        with f.open("rb") as fh:
            head = fh.readline().decode("utf-8-sig").rstrip("\r\n").split("\t")
        t = pacsv.read_csv(f, parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
                           convert_options=pacsv.ConvertOptions(column_types={h: pa.string() for h in head}))
        rows += t.num_rows
    info = {"rows": rows}
elif step == "read_export":
    from sellerguard.exports import read_export
    info = {}
    for f in files:
        t0 = time.perf_counter()
        r = read_export(f)
        info[f.name] = {"rows_read": r.rows_read, "seconds": round(time.perf_counter() - t0, 2)}
else:
    from sellerguard.exports import read_exports
    s = read_exports(files)
    info = {"items": len(s.items), "orders": len(s.orders)}
info["seconds"] = round(time.perf_counter() - start, 2)
info["cpu_seconds"] = round(time.process_time() - cpu_start, 2)
info["import_seconds"] = round(import_seconds, 2)
# VmHWM: this process image's own peak (ru_maxrss would include the forking parent's)
hwm = [l for l in open("/proc/self/status") if l.startswith("VmHWM")][0].split()[1]
info["peak_rss_mb"] = round(int(hwm) / 1024)
print(json.dumps(info))
"""


def run_step(step: str, files: list[Path], repeat: int = 1) -> dict[str, object]:
    """Run one step ``repeat`` times, each in a fresh interpreter; keep the fastest run.

    The fastest of several runs is the steadiest figure on a machine shared with others.
    """
    runs = []
    for _ in range(repeat):
        done = subprocess.run(
            [sys.executable, "-c", STEP, step, *map(str, files)],
            check=True,
            capture_output=True,
            text=True,
        )
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    best: dict[str, object] = min(runs, key=lambda r: float(r["cpu_seconds"]))
    best["seconds"] = min(float(r["seconds"]) for r in runs)
    return best


def main() -> None:
    """Generate or take the files, run each step, print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--orders", type=int, default=1_000_000)
    parser.add_argument("--out", type=Path, default=Path("/tmp/sellerguard-bench"))
    parser.add_argument("--demo", action="store_true", help="use the demo generator")
    parser.add_argument("--repeat", type=int, default=1, help="runs per step (fastest kept)")
    args = parser.parse_args()
    if args.files:
        files = args.files
    elif args.demo:
        from sellerguard.demo.generator import generate_demo

        generate_demo(args.out, orders=args.orders, era="current")
        files = [args.out / "current" / "all_orders.txt", args.out / "current" / "orders.txt"]
    else:
        files = generate(args.out, args.orders)
    size = sum(f.stat().st_size for f in files) / 1e6
    print(f"files: {', '.join(f.name for f in files)} ({size:.0f} MB)")
    baseline = run_step("pyarrow", files, args.repeat)
    print(f"pyarrow parse (strings):  {baseline}")
    single = run_step("read_export", files, args.repeat)
    print(f"read_export per file:     {single}")
    merged = run_step("read_exports", files, args.repeat)
    print(f"read_exports (read+merge): {merged}")
    for measure in ("seconds", "cpu_seconds"):
        ratio = float(str(merged[measure])) / float(str(baseline[measure]))
        print(f"read_exports / pyarrow ({measure}) = {ratio:.2f}x")


if __name__ == "__main__":
    main()
