"""``sellerguard scan``: the command-line contract other tools rely on."""

from __future__ import annotations

import json
import mmap
from pathlib import Path

import pandas as pd
import pytest
from click.testing import CliRunner
from order_factory import Order, background, exports

from sellerguard.cli import main

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"


@pytest.fixture
def export_files(tmp_path: Path) -> list[Path]:
    orders = [
        *background(),
        Order(place=2, postal="999-9999"),
        Order(place=3, name="AAA", phone="000-0000-0000"),
    ]
    paths = []
    for name, data in exports(orders):
        path = tmp_path / name
        path.write_bytes(data)
        paths.append(path)
    return paths


def test_scan_writes_one_row_per_order_with_the_contract_columns(
    tmp_path: Path, export_files: list[Path]
) -> None:
    out = tmp_path / "result.csv"
    result = CliRunner().invoke(
        main, ["--lang", "en", "scan", *map(str, export_files), "--out", str(out)]
    )
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert list(table.columns[:4]) == ["order_id", "risk_score", "risk_level", "reasons"]
    assert len(table) == 42 and table["order_id"].is_unique
    assert set(table["risk_level"]) <= {"high", "medium", "low"}
    assert table["risk_score"].astype(int).between(0, 100).all()
    unknown = table[table["reasons"].fillna("").str.contains("[postcode_unknown]", regex=False)]
    assert len(unknown) == 1 and unknown["risk_level"].iloc[0] in ("medium", "high")
    assert "42 orders" in result.output and "0 rows could not be read" in result.output


def test_scan_json_and_japanese_reasons(tmp_path: Path, export_files: list[Path]) -> None:
    out = tmp_path / "result.json"
    result = CliRunner().invoke(
        main, ["scan", *map(str, export_files), "--out", str(out), "--format", "json"]
    )
    assert result.exit_code == 0, result.output
    records = json.loads(out.read_text(encoding="utf-8"))
    assert len(records) == 42
    flagged = [r for r in records if r["risk_level"] != "low"]
    assert flagged and all(r["reasons"].startswith("[") for r in flagged)
    assert any("郵便番号" in r["reasons"] for r in flagged)
    assert "注文 42 件" in result.output


@pytest.mark.skipif(not SAMPLES.is_dir(), reason="../shared/samples not beside the repository")
def test_scan_merges_both_sample_eras(tmp_path: Path) -> None:
    files = [
        SAMPLES / era / name
        for era in ("current", "historic")
        for name in ("all_orders.txt", "orders.txt")
    ]
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["--lang", "en", "scan", *map(str, files), "--out", str(out)])
    assert result.exit_code == 0, result.output
    table = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    labels = pd.concat(
        pd.read_csv(SAMPLES / era / "labels.csv", dtype=str) for era in ("current", "historic")
    )
    assert set(table["order_id"]) == set(labels["order_id"])


@pytest.mark.parametrize(
    ("content", "words"),
    [
        (b"", "empty"),
        (bytes(range(256)) * 20, "x.txt"),
        (b"sku\tprice\tquantity\nA-1\t100\t3\n", "x.txt"),
    ],
    ids=["empty", "binary", "no-order-id"],
)
def test_a_file_that_is_not_an_export_is_refused_without_traceback(
    tmp_path: Path, content: bytes, words: str
) -> None:
    bad = tmp_path / "x.txt"
    bad.write_bytes(content)
    result = CliRunner().invoke(
        main, ["--lang", "en", "scan", str(bad), "--out", str(tmp_path / "r.csv")]
    )
    assert result.exit_code == 2
    assert "x.txt" in result.output and words in result.output
    assert "Traceback" not in result.output
    assert not (tmp_path / "r.csv").exists()


def test_malformed_rows_are_reported_with_file_and_line_and_the_rest_is_read(
    tmp_path: Path, export_files: list[Path]
) -> None:
    all_orders = export_files[0]
    lines = all_orders.read_bytes().decode("utf-8").splitlines()
    lines[5] = "\t".join(lines[5].split("\t")[:6])  # a short row
    broken = tmp_path / "broken.txt"
    broken.write_text("\n".join(lines) + "\n", encoding="utf-8")
    out = tmp_path / "r.csv"
    result = CliRunner().invoke(main, ["--lang", "en", "scan", str(broken), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "broken.txt:6" in result.output
    assert "1 rows could not be read" in result.output
    table = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert len(table) == 41


@pytest.mark.parametrize("tz", ["Asia/Tokyo", "America/New_York", None])
def test_purchase_dates_are_written_like_strftime(tz: str | None) -> None:
    from sellerguard.scan_output import iso_seconds

    stamps = pd.Series(pd.date_range("1969-12-30 23:59:59", periods=5000, freq="86413s", tz=tz))
    stamps.iloc[7] = pd.NaT
    expected = stamps.dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    written = pd.Series(iso_seconds(stamps).to_pylist(), dtype="str")
    assert written.isna().tolist() == expected.isna().tolist()
    assert (written.dropna() == expected.dropna()).all()


@pytest.mark.parametrize("tz", ["Asia/Tokyo", None])
def test_purchase_dates_past_year_9999_are_written_in_full(tz: str | None) -> None:
    """Arrow's text of such a year is wider than the byte matrix: numpy writes them."""
    import numpy as np

    from sellerguard.scan_output import iso_seconds

    raw = ["10000-01-01T00:00:00", "2025-01-01T09:00:00", "NaT"]
    stamps = pd.Series(np.array(raw, dtype="datetime64[s]"))
    if tz:
        stamps = stamps.dt.tz_localize(tz)
    offset = "+0900" if tz else ""
    assert iso_seconds(stamps).to_pylist() == [
        f"10000-01-01T00:00:00{offset}",
        f"2025-01-01T09:00:00{offset}",
        None,
    ]


@pytest.mark.parametrize("other_id", [None, "S01-1234567-1234567", "503-123456-12345678"])
def test_result_order_by_number_equals_order_by_text(other_id: str | None) -> None:
    """Amazon ids sort as numbers (fast); any other id falls back to the text sort."""
    import numpy as np
    import pyarrow as pa
    import pyarrow.compute as pc

    from sellerguard.scan_output import _highest_first

    rng = np.random.default_rng(5)
    n = 3000
    ids = [
        f"{a:03d}-{b:07d}-{c:07d}"
        for a, b, c in zip(
            rng.integers(0, 1000, n),
            rng.integers(0, 10**7, n),
            rng.integers(0, 10**7, n),
            strict=True,
        )
    ]
    ids[:3] = ["000-0000000-0000000", "999-9999999-9999999", "250-0000001-0000000"]
    if other_id is not None:
        ids[10] = other_id
    orders = pd.DataFrame(
        {
            "order_id": pd.Series(ids, dtype="str"),
            "risk_score": pd.Series(rng.choice([0, 0, 0, 15, 40, 100], n), dtype="Int64"),
        }
    )
    keys = pa.table({"s": pa.array(orders["risk_score"].array), "o": pa.array(ids)})
    expected = pc.sort_indices(keys, sort_keys=[("s", "descending"), ("o", "ascending")])
    assert _highest_first(orders).tolist() == expected.to_pylist()


@pytest.mark.parametrize("rows", [0, 7, 100_001])
def test_csv_written_in_halves_is_the_one_piece_text(rows: int) -> None:
    """The result's CSV, its halves formatted at once, is byte for byte one write's."""
    import io

    import numpy as np
    import pyarrow as pa
    import pyarrow.csv as pacsv

    from sellerguard.scan_output import write_csv

    rng = np.random.default_rng(3)
    words = np.array(['a,"b"', "改行\nあり", "", "[R1] 住所; x"], dtype=object)
    table = pa.table(
        {
            "order_id": pa.array([f"250-{i:07d}-0000000" for i in range(rows)]),
            "risk_score": pa.array(rng.integers(0, 101, rows)),
            "reasons": pa.array(words[rng.integers(0, len(words), rows)].tolist(), pa.string()),
        }
    )
    whole = io.BytesIO()
    pacsv.write_csv(table, whole)
    halves = io.BytesIO()
    write_csv(table, halves)
    assert halves.getvalue() == whole.getvalue()
    assert whole.getvalue().count(b"order_id") == 1


def test_files_are_loaded_ahead_in_order_and_checked_from_their_beginning(
    tmp_path: Path, export_files: list[Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sellerguard import cli
    from sellerguard.errors import UnreadableExport

    loaded = list(cli._prefetched(export_files))
    assert [name for name, _ in loaded] == [path.name for path in export_files]
    assert all(isinstance(data, mmap.mmap) for _, data in loaded)  # mapped, not copied
    assert [data[:] for _, data in loaded] == [path.read_bytes() for path in export_files]

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(UnreadableExport) as empty_refused:  # cannot be mapped: read as a path
        list(cli._prefetched([empty]))
    assert empty_refused.value.reason == "empty"

    monkeypatch.setattr(cli, "PREFETCH_LIMIT", 0)  # too large to load ahead: read as a path
    assert list(cli._prefetched(export_files)) == export_files

    monkeypatch.undo()
    binary = tmp_path / "photo.jpg"
    binary.write_bytes(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(range(256)) * 64)
    sources = cli._prefetched([export_files[0], binary])
    name, data = next(sources)
    assert (name, data[:]) == (export_files[0].name, export_files[0].read_bytes())
    with pytest.raises(UnreadableExport) as refused:
        next(sources)
    assert refused.value.params["file"] == "photo.jpg"


def test_a_refused_second_file_is_named_like_the_first_would_be(
    tmp_path: Path, export_files: list[Path]
) -> None:
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    result = CliRunner().invoke(
        main,
        ["--lang", "en", "scan", str(export_files[0]), str(empty), "--out", str(tmp_path / "r")],
    )
    assert result.exit_code == 2
    assert "empty.txt" in result.output and "Traceback" not in result.output


def test_a_refused_file_ends_the_real_process_with_exit_2(tmp_path: Path) -> None:
    """The command exits while the Japan Post table may still be loading in a thread; the
    process must end with its own exit code, not abort inside pyarrow (exit 134)."""
    import subprocess
    import sys

    from sellerguard.address import load_reference_data

    load_reference_data()  # the table's cache file exists, so the thread reads it with pyarrow
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    command = [sys.executable, "-c", "from sellerguard.cli import main; main()", "--lang", "en"]
    good = SAMPLES / "current" / "orders.txt"
    command += ["scan", str(good), str(empty), "--out", str(tmp_path / "r.csv")]
    for _ in range(8):  # the abort depended on timing: it came in about two runs of five
        done = subprocess.run(command, capture_output=True, text=True, timeout=120)
        assert (done.returncode, done.stderr.strip()) == (
            2,
            "Cannot read empty.txt: the file is empty",
        )


def test_the_console_script_writes_everything_before_it_ends(tmp_path: Path) -> None:
    """After a scan the console script ends without the interpreter's teardown: the result
    file, the summary and the row problems must all be out by then."""
    import subprocess
    import sys

    good = SAMPLES / "current" / "orders.txt"
    short = tmp_path / "short.txt"
    lines = good.read_bytes().splitlines(keepends=True)
    short.write_bytes(b"".join(lines[:3]) + b"only\ttwo\n" + b"".join(lines[3:6]))
    out = tmp_path / "r.csv"
    command = [sys.executable, "-c", "from sellerguard.cli import run; run()", "--lang", "en"]
    done = subprocess.run(
        [*command, "scan", str(good), str(short), "--out", str(out)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    assert "short.txt:4: " in done.stderr
    table = pd.read_csv(out, dtype=str, encoding="utf-8-sig")
    assert f"{len(table)} orders" in done.stdout and "1 rows could not be read" in done.stdout
    assert len(table) == pd.read_csv(good, sep="\t", dtype=str)["order-id"].nunique()


def test_the_console_script_reports_a_refused_file_as_main_does(tmp_path: Path) -> None:
    import subprocess
    import sys

    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    command = [sys.executable, "-c", "from sellerguard.cli import run; run()", "--lang", "en"]
    done = subprocess.run(
        [*command, "scan", str(empty), "--out", str(tmp_path / "r.csv")],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert (done.returncode, done.stderr.strip()) == (2, "Cannot read empty.txt: the file is empty")
