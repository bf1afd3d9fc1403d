"""The store under real processes: an import killed midway, two processes writing at once."""

from __future__ import annotations

import signal
import sqlite3
import subprocess
import sys
import textwrap
from pathlib import Path

from sellerguard.store import Store

FACTORY = textwrap.dedent(
    """
    import hashlib, sys
    import pandas as pd
    from sellerguard.store import FileImport, Store

    def items(prefix, n, file):
        return pd.DataFrame({
            "order_id": pd.Series([f"{prefix}-{i:07d}" for i in range(n)], dtype="str"),
            "order_item_id": pd.Series([f"i{i}" for i in range(n)], dtype="str"),
            "purchase_date": pd.Series([pd.Timestamp("2026-02-01", tz="Asia/Tokyo")] * n),
            "order_status": pd.Series(["Shipped"] * n, dtype="str"),
            "sku": pd.Series(["SKU"] * n, dtype="str"),
            "source_kind": pd.Series(["all_orders"] * n, dtype="str"),
            "source_file": pd.Series([file] * n, dtype="str"),
        })

    def record(name, n):
        sha = hashlib.sha256(name.encode()).hexdigest()
        return FileImport(name=name, sha256=sha, kind="all_orders", encoding="utf-8",
                          rows_in=n, rows_read=n)
    """
)


def run_python(code: str, **kwargs: object) -> subprocess.Popen[str]:
    return subprocess.Popen(  # type: ignore[call-overload,no-any-return]
        [sys.executable, "-c", FACTORY + textwrap.dedent(code)],
        text=True,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        **kwargs,
    )


def test_import_killed_midway_leaves_previous_state(tmp_path: Path) -> None:
    home = tmp_path / "home"
    first = run_python(
        f"""
        store = Store.open({str(home)!r})
        store.import_items(items("A", 10, "a.txt"), [record("a.txt", 10)])
        """
    )
    assert first.wait() == 0, first.stderr.read() if first.stderr else ""
    child = run_python(
        f"""
        store = Store.open({str(home)!r})
        def progress(fraction):
            if 0.5 < fraction < 1.0:
                print("inside", flush=True)
                sys.stdin.read()  # wait here, mid-transaction, until killed
        store.import_items(items("B", 40_000, "b.txt"), [record("b.txt", 40_000)],
                           progress=progress)
        print("finished", flush=True)
        """,
        stdin=subprocess.PIPE,
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "inside"
    child.send_signal(signal.SIGKILL)
    child.wait()
    store = Store.open(home)
    assert list(store.imported_files()["name"]) == ["a.txt"]
    assert store.order_count() == 10
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    # and the store still takes the same import afterwards
    again = run_python(
        f"""
        store = Store.open({str(home)!r})
        store.import_items(items("B", 40_000, "b.txt"), [record("b.txt", 40_000)])
        """
    )
    assert again.wait() == 0, again.stderr.read() if again.stderr else ""
    assert store.order_count() == 40_010


def test_two_processes_writing_at_once(tmp_path: Path) -> None:
    home = tmp_path / "home"
    Store.open(home)
    code = f"""
        name = sys.argv[1]
        store = Store.open({str(home)!r})
        for batch in range(15):
            file = f"{{name}}-{{batch}}.txt"
            store.import_items(items(f"{{name}}{{batch}}", 200, file), [record(file, 200)])
            store.set_verdict([f"{{name}}{{batch}}-0000000"], "harassment", note=name)
            store.set_setting(f"last.{{name}}", batch)
        print("done", flush=True)
    """
    writers = [
        subprocess.Popen(
            [sys.executable, "-c", FACTORY + textwrap.dedent(code), name],
            text=True,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for name in ("tab1", "tab2")
    ]
    outputs = [writer.communicate() for writer in writers]
    for writer, (out, err) in zip(writers, outputs, strict=True):
        assert writer.returncode == 0, err
        assert out.strip() == "done"
    store = Store.open(home)
    assert store.order_count() == 2 * 15 * 200
    assert len(store.imported_files()) == 30
    assert len(store.verdicts()) == 30
    assert store.get_setting("last.tab1") == 14
    assert store.get_setting("last.tab2") == 14
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
