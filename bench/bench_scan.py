"""Speed of ``sellerguard scan`` against pyarrow's bare parse of the same files, in one run.

Target (issue 2 §6): scanning 1,000,000 orders (all-orders report + order report, ≈ 570 MB)
takes at most 5× the time pyarrow needs just to parse the two files as strings, with peak
memory ≤ 3 GB.

    python bench/make_data.py --orders 1000000 --out bench/data/1000000   # once
    python bench/bench_scan.py --data bench/data/1000000

Each pair times pyarrow's parse and then the scan, one after the other, so both see the same
machine; the median ratio of the pairs (three by default) is the figure, since a shared
machine can slow either by a quarter from one minute to the next. The scans of the pairs
are not watched (sampling a process's memory map slows it); one more, untimed scan samples
the memory of the scan's process tree (the scan runs in one process; its threads share it).
"""

from __future__ import annotations

import argparse
import resource
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import pyarrow as pa
import pyarrow.csv as pacsv


class TreeMemory(threading.Thread):
    """Samples the summed PSS of a process and its descendants every 250 ms (Linux /proc).

    Reading ``smaps_rollup`` takes the process's memory lock: sampling more often slowed the
    scan it measures.
    """

    def __init__(self, pid: int) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.peak_pss_mb = 0.0
        self._done = threading.Event()

    def stop(self) -> None:
        self._done.set()
        self.join()

    def run(self) -> None:
        while not self._done.wait(0.25):
            total = sum(_pss_kb(pid) for pid in _tree(self.pid))
            self.peak_pss_mb = max(self.peak_pss_mb, total / 1024)


def _tree(pid: int) -> list[int]:
    pids, queue = [], [pid]
    while queue:
        current = queue.pop()
        pids.append(current)
        try:
            for task in Path(f"/proc/{current}/task").iterdir():
                children = (task / "children").read_text().split()
                queue.extend(int(child) for child in children)
        except OSError:
            continue
    return pids


def _pss_kb(pid: int) -> int:
    try:
        for line in Path(f"/proc/{pid}/smaps_rollup").read_text().splitlines():
            if line.startswith("Pss:"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


def pyarrow_parse(path: Path) -> tuple[float, int]:
    """Seconds pyarrow needs to parse ``path`` (tab-separated, every column as string)."""
    with path.open("rb") as handle:
        header = handle.readline()
    encoding = "utf8"
    try:
        header.decode("utf-8")
    except UnicodeDecodeError:
        encoding = "cp932"
    names = header.decode(encoding).lstrip("\ufeff").rstrip("\r\n").split("\t")
    started = time.perf_counter()
    table = pacsv.read_csv(
        path,
        read_options=pacsv.ReadOptions(encoding=encoding, block_size=1 << 24),
        parse_options=pacsv.ParseOptions(delimiter="\t", quote_char=False),
        convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in names}),
    )
    return time.perf_counter() - started, table.num_rows


def parse_in_new_process(files: list[Path]) -> tuple[float, int]:
    """:func:`pyarrow_parse` of every file, timed in a fresh Python process as the scan is.

    In a process that has parsed before, pyarrow reuses the memory it already holds and
    parses about twice as fast; the scan never starts that way, so neither does its yardstick.
    """
    out = subprocess.run(
        [sys.executable, __file__, "--parse-only", *map(str, files)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout.split()
    return float(out[0]), int(out[1])


def run_scan(files: list[Path], out: Path, sample: bool) -> tuple[float, str, float]:
    """Run ``sellerguard scan``; return its seconds, its summary line and (when ``sample``)
    the sampled peak PSS of its process tree in MB."""
    sellerguard = Path(sys.executable).with_name("sellerguard")
    started = time.perf_counter()
    process = subprocess.Popen(
        [str(sellerguard), "--lang", "en", "scan", *map(str, files), "--out", str(out)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    sampler = TreeMemory(process.pid) if sample else None
    if sampler is not None:
        sampler.start()
    stdout, stderr = process.communicate()
    if sampler is not None:
        sampler.stop()
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"scan failed ({process.returncode}):\n{stderr[-2000:]}")
    summary = stdout.strip().splitlines()[-1] if stdout.strip() else ""
    return seconds, summary, sampler.peak_pss_mb if sampler is not None else 0.0


def main() -> None:
    if sys.argv[1:2] == ["--parse-only"]:
        timed = [pyarrow_parse(Path(f)) for f in sys.argv[2:]]
        print(sum(seconds for seconds, _ in timed), sum(n for _, n in timed))
        return
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--data", type=Path, required=True, help="folder with all_orders.txt and orders.txt"
    )
    parser.add_argument(
        "--repeat",
        type=int,
        default=3,
        help="parse-then-scan pairs to time (default 3); the median ratio is the figure",
    )
    parser.add_argument(
        "--no-pss",
        action="store_true",
        help="skip the extra, untimed scan that samples the process tree's memory",
    )
    args = parser.parse_args()
    files = [args.data / "all_orders.txt", args.data / "orders.txt"]
    if not all(f.exists() for f in files):
        sys.exit(f"missing {files}; generate them with bench/make_data.py")
    size_mb = sum(f.stat().st_size for f in files) / 1e6

    ratios = []
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.csv"
        for repetition in range(1, max(1, args.repeat) + 1):
            parse_seconds, rows = parse_in_new_process(files)
            scan_seconds, summary, _ = run_scan(files, out, sample=False)
            ratio = scan_seconds / parse_seconds
            ratios.append(ratio)
            print(
                f"pair {repetition}: pyarrow parse (strings) {parse_seconds:.2f} s, "
                f"sellerguard scan {scan_seconds:.2f} s, ratio {ratio:.2f}x",
                flush=True,
            )
        result_rows = sum(1 for _ in out.open(encoding="utf-8-sig")) - 1
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        pss_mb = 0.0 if args.no_pss else run_scan(files, out, sample=True)[2]

    print(f"input: {size_mb:,.0f} MB, {rows:,} rows in 2 files; result: {result_rows:,} orders")
    print(
        f"ratio scan/parse: median {statistics.median(ratios):.2f}x over {len(ratios)} pairs"
        f" (best {min(ratios):.2f}x, worst {max(ratios):.2f}x; target <= 5x)"
    )
    print(f"scan peak memory:        {peak_mb:,.0f} MB (target <= 3072 MB; largest process)")
    if pss_mb:
        print(
            f"process tree, sampled:   {pss_mb:,.0f} MB peak PSS summed over the scan's"
            " processes (shared pages counted once; a separate, untimed run: sampling"
            " slows the scan)"
        )
    print(summary)


if __name__ == "__main__":
    main()
