"""Review page speed in a real browser with 100,000 orders in the store (target < 1.5 s each).

    python bench/bench_review.py [--orders 100000] [--runs 5]

1. Writes the demo exports (current era) into ``bench/data/review-<orders>/exports`` once,
   imports them into a store in ``bench/data/review-<orders>/home`` and scans it once (the
   scan is cached on disk, as it is for a seller after an import).
2. Starts ``streamlit run app.py`` on a free loopback port over that store and drives
   Debian's Chromium with Playwright, twice:
   - **everyday browser**: a browser profile on disk, as the seller's own browser has. Its
     cache keeps Streamlit's scripts and V8's compiled code for them once the dashboard has
     been opened before (one unmeasured visit here), so a new tab does not compile the
     frontend's ~5 MB of JavaScript again;
   - **private window**: Playwright's default in-memory context, like a private window.
     Chromium keeps no compiled-code cache there, so every new tab compiles the frontend
     again (about 0.3-0.4 s more on this machine).
   In each:
   - server start (everyday browser only): the first visit to /review right after the
     server started, with an empty browser cache (the server reads the cached scan from
     disk, or rescans when the scanning code changed since the scan);
   - first render: open /review in a new tab of the same browser on the running server,
     until the queue, the order detail and the verdict controls are drawn and the script
     has finished (the linked-order list, the order's raw details and the watchlist
     manager are drawn when their expander is opened, so they are not part of it);
   - from the sidebar: open the dashboard (the welcome page) in a new tab, then click
     Review in the sidebar, until drawn as above (the way a seller usually gets there);
   - level change: drop "medium" from the level filter until the new count is drawn;
   - SKU filter: pick a SKU of high-risk orders until the new count is drawn.
   Each step is timed until the page itself noted the moment it was drawn (an observer in
   the page stamps the next frame on the system clock, see ``DRAWN_LOG``); ``*_seen`` is
   the same step until Playwright's polling saw it, 0.3-0.5 s later, for comparison.
   Before each new tab the browser gets ``--settle`` seconds (default 1) to tear down the
   tab just closed; with ``--settle 0`` that teardown overlaps the next first render
   (0.4-0.8 s more on the loaded 2-core machine), which no seller opening a tab meets.
Prints every figure; nothing is asserted (this is a benchmark, not a test).
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
COUNT = '[data-testid="stMarkdownContainer"]:has-text("条件に合う注文")'
# Playwright notices a drawn page only when its next poll comes round (0.3-0.5 s later on this
# machine), so the page itself notes when it is drawn: each time the Review page is idle with
# its verdict button shown and a (new) match count, the time of the next frame, on the
# system clock. Cheap on purpose: textContent (no layout), only once the page is idle.
DRAWN_LOG = """
window.__sgDrawn = [];
window.__sgLast = null;
new MutationObserver(() => {
  const app = document.querySelector('[data-testid="stApp"]');
  const idle = app !== null && app.dataset.testScriptState === "notRunning";
  if (!idle || document.querySelector('.st-key-review_save button') === null) {
    window.__sgLast = null;
    return;
  }
  const count = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
    .map(e => e.textContent).find(t => t.includes("条件に合う注文")) || "";
  if (count === window.__sgLast) return;
  window.__sgLast = count;
  requestAnimationFrame(() =>
    window.__sgDrawn.push([(performance.timeOrigin + performance.now()) / 1000, count]));
}).observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""


def prepare_store(orders: int, folder: Path) -> tuple[Path, str]:
    """Generate, import and scan once; reuse what an earlier run left in ``folder``.

    Returns the data directory and a SKU of some high-risk orders (for the filter step).
    """
    from sellerguard.demo import generate_demo
    from sellerguard.store import Store

    home = folder / "home"
    os.environ["SELLERGUARD_HOME"] = str(home)
    store = Store.open(home)
    if store.order_count() == 0:
        exports = folder / "exports"
        started = time.perf_counter()
        manifest = generate_demo(exports, orders=orders, seed=7, era="current")
        print(f"generate {manifest.orders:,} orders: {time.perf_counter() - started:.1f} s")
        started = time.perf_counter()
        store.import_exports(manifest.export_files())
        print(f"import: {time.perf_counter() - started:.1f} s")
    print(f"orders in the store: {store.order_count():,}")
    started = time.perf_counter()
    scored = store.scored_orders()
    flagged = int(scored["risk_level"].isin(["high", "medium"]).sum())
    print(f"scan (or cached scan): {time.perf_counter() - started:.1f} s, {flagged:,} flagged")
    high = scored.loc[scored["risk_level"] == "high", "sku"].value_counts()
    return home, str(high.index[min(1, len(high) - 1)])


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def start_server(home: Path) -> tuple[subprocess.Popen[bytes], str]:
    port = free_port()
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "streamlit",
            "run",
            str(ROOT / "app.py"),
            "--server.address",
            "127.0.0.1",
            "--server.port",
            str(port),
            "--server.headless",
            "true",
        ],
        cwd=ROOT,
        env={**os.environ, "SELLERGUARD_HOME": str(home)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    while True:
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=5) as answer:
                if answer.read().strip() == b"ok":
                    return process, url
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:
            process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise SystemExit("streamlit exited before answering its health check")


def count_text(page: object) -> str:
    return str(page.locator(COUNT).first.inner_text())  # type: ignore[attr-defined]


def wait_count_change(page: object, before: str) -> None:
    page.wait_for_function(  # type: ignore[attr-defined]
        """([selector, before]) => {
            const app = document.querySelector('[data-testid="stApp"]');
            const texts = [...document.querySelectorAll('[data-testid="stMarkdownContainer"]')]
                .map(e => e.innerText).filter(t => t.includes("条件に合う注文"));
            return app && app.dataset.testScriptState === "notRunning"
                && texts.length > 0 && texts[0] !== before;
        }""",
        arg=[COUNT, before],
    )


def drawn_after(page: object, since: float, before: str | None = None) -> float:
    """Seconds from ``since`` (``time.time()``) until the page noted itself drawn (with a
    match count other than ``before``); call once Playwright has seen it drawn."""
    log = page.evaluate("window.__sgDrawn")  # type: ignore[attr-defined]
    for stamp, count in log:
        if stamp >= since and (before is None or count.strip() != before.strip()):
            return float(stamp) - since
    raise SystemExit(f"the page did not note itself drawn: {log}")


def measure(
    url: str, runs: int, sku: str, settle: float = 1.0, private: bool = False
) -> dict[str, list[float]]:
    """Time the Review page in an everyday browser profile, or in a private window."""
    from playwright.sync_api import ViewportSize, sync_playwright

    viewport: ViewportSize = {"width": 1400, "height": 1000}
    steps = ("first_render", "from_sidebar", "level_filter", "sku_filter")
    figures: dict[str, list[float]] = {name: [] for name in steps}
    figures.update({f"{name}_seen": [] for name in steps})
    with sync_playwright() as playwright, tempfile.TemporaryDirectory() as profile:
        browser = None
        if private:
            browser = playwright.chromium.launch(
                executable_path="/usr/bin/chromium", args=CHROMIUM_ARGS
            )
            context = browser.new_context(viewport=viewport)
        else:
            context = playwright.chromium.launch_persistent_context(
                profile,
                executable_path="/usr/bin/chromium",
                args=CHROMIUM_ARGS,
                viewport=viewport,
            )
        context.set_default_timeout(int(os.environ.get("BENCH_TIMEOUT_MS", "600000")))
        context.add_init_script(DRAWN_LOG)
        page = context.new_page()
        started = time.perf_counter()
        page.goto(f"{url}/review")  # the server just started, or the browser's first visit
        page.locator(".st-key-review_save button").wait_for()
        page.wait_for_selector(IDLE)
        figures["first_visit"] = [time.perf_counter() - started]
        page.close()
        for _ in range(runs):
            time.sleep(settle)  # let the browser tear down the tab just closed
            page = context.new_page()  # a new tab of the same browser, as a seller opens one
            started, since = time.perf_counter(), time.time()
            page.goto(f"{url}/review")
            page.locator(".st-key-review_save button").wait_for()
            page.wait_for_selector(IDLE)
            figures["first_render_seen"].append(time.perf_counter() - started)
            figures["first_render"].append(drawn_after(page, since))

            before = count_text(page)
            remove = page.locator('.st-key-review_levels [aria-label="Remove 中"]')
            started, since = time.perf_counter(), time.time()
            remove.click()
            wait_count_change(page, before)
            figures["level_filter_seen"].append(time.perf_counter() - started)
            figures["level_filter"].append(drawn_after(page, since, before))

            before = count_text(page)
            sku_input = page.locator(".st-key-review_skus input")
            sku_input.fill(sku)
            option = page.locator('[role="option"]', has_text=sku).first
            option.wait_for()
            started, since = time.perf_counter(), time.time()
            option.click()
            page.keyboard.press("Escape")  # the multiselect sends its value when it closes
            wait_count_change(page, before)
            figures["sku_filter_seen"].append(time.perf_counter() - started)
            figures["sku_filter"].append(drawn_after(page, since, before))
            page.close()

            time.sleep(settle)
            page = context.new_page()  # the usual way in: the dashboard, then Review
            page.goto(url)
            page.locator("h1").first.wait_for()
            page.wait_for_selector(IDLE)
            link = page.locator('[data-testid="stSidebarNav"] a[href$="/review"]')
            started, since = time.perf_counter(), time.time()
            link.click()
            page.locator(".st-key-review_save button").wait_for()
            page.wait_for_selector(IDLE)
            figures["from_sidebar_seen"].append(time.perf_counter() - started)
            figures["from_sidebar"].append(drawn_after(page, since))
            page.close()
        context.close()
        if browser is not None:
            browser.close()
    return figures


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--orders", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument(
        "--settle",
        type=float,
        default=1.0,
        help="seconds between closing a tab and opening the next (default 1)",
    )
    args = parser.parse_args()
    home, sku = prepare_store(args.orders, ROOT / "bench" / "data" / f"review-{args.orders}")
    process, url = start_server(home)
    try:
        everyday = measure(url, args.runs, sku, args.settle)
        private = measure(url, args.runs, sku, args.settle, private=True)
    finally:
        process.terminate()
        process.wait()
    print(f"load average during the run: {os.getloadavg()[0]:.1f} ({os.cpu_count()} cores)")
    print(f"settle between tabs: {args.settle:g} s")
    everyday["server_start_first_render"] = everyday.pop("first_visit")
    private.pop("first_visit")
    for title, figures in (("everyday browser", everyday), ("private window", private)):
        print(f"{title}:")
        for name, values in figures.items():
            shown = ", ".join(f"{v:.2f}" for v in values)
            under = sum(v < 1.5 for v in values)
            print(
                f"  {name}: median {statistics.median(values):.2f} s "
                f"(runs: {shown}; {under} of {len(values)} under 1.5 s)"
            )


if __name__ == "__main__":
    main()
