"""``sellerguard draft`` and ``sellerguard report`` through click's runner, on demo exports."""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from datetime import date
from pathlib import Path

import pandas as pd
import pypdfium2 as pdfium
import pytest
from click.testing import CliRunner

from sellerguard.cli import main
from sellerguard.demo.generator import generate_demo
from sellerguard.store import Store
from sellerguard.workflow.filings import Filing, add_filing

PII_COLUMNS = ("buyer_name", "recipient_name", "ship_address_1", "ship_phone", "buyer_phone")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    """Historic demo exports imported into a store (scanned once, cached per revision)."""
    root = tmp_path_factory.mktemp("demo")
    generate_demo(root / "files", orders=500, seed=11, era="historic")
    files = sorted((root / "files" / "historic").glob("*.txt"))
    home = root / "home"
    store = Store.open(home)
    store.import_exports(files)
    items = store.items()
    pii: set[str] = set()
    for column in PII_COLUMNS:
        values = items[column].dropna().astype("str").str.strip()
        pii.update(values.loc[values.str.len() >= 4].tolist())
    flagged = store.scored_orders()
    flagged = flagged.loc[flagged["risk_level"].isin(["high", "medium"])]
    assert len(flagged) > 10
    return {"home": str(home), "files": [str(f) for f in files], "pii": pii, "flagged": flagged}


def run(demo: dict[str, object], *args: str, home: Path | None = None) -> object:
    runner = CliRunner()
    folder = str(home or demo["home"])
    return runner.invoke(main, list(args), env={"SELLERGUARD_HOME": folder})


@pytest.fixture
def own_home(demo: dict[str, object], tmp_path: Path) -> Path:
    """This test's own copy of the demo data directory (scan cache included)."""
    folder = tmp_path / "home"
    shutil.copytree(str(demo["home"]), folder)
    return folder


def text_of(path: Path) -> str:
    data = path.read_bytes()
    if path.suffix == ".pdf":
        document = pdfium.PdfDocument(data)
        return "\n".join(document[i].get_textpage().get_text_range() for i in range(len(document)))
    if path.suffix == ".xlsx":
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "\n".join(archive.read(n).decode("utf-8") for n in archive.namelist())
    return data.decode("utf-8-sig")


@pytest.mark.parametrize("fmt", ["pdf", "md", "csv", "xlsx", "json"])
def test_report_from_the_store_masks_pii_in_every_format(
    demo: dict[str, object], tmp_path: Path, fmt: str
) -> None:
    out = tmp_path / f"report.{fmt}"
    result = run(demo, "report", "--out", str(out))
    assert result.exit_code == 0, result.output
    assert str(out) in result.output
    text = text_of(out)
    flagged: pd.DataFrame = demo["flagged"]  # type: ignore[assignment]
    assert flagged["order_id"].iloc[0] in text
    leaked = [value for value in demo["pii"] if value in text]  # type: ignore[attr-defined]
    assert leaked == []


def test_report_includes_pii_only_on_request(demo: dict[str, object], tmp_path: Path) -> None:
    out = tmp_path / "with-pii.md"
    result = run(demo, "report", "--out", str(out), "--include-pii", "--lang", "en")
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    flagged: pd.DataFrame = demo["flagged"]  # type: ignore[assignment]
    names = flagged["buyer_name"].dropna().astype("str")
    assert any(name in text for name in names)
    assert "## The orders" in text


def test_report_from_files_uses_the_format_option_and_lists_file_hashes(
    demo: dict[str, object], tmp_path: Path
) -> None:
    out = tmp_path / "report.out"
    files: list[str] = demo["files"]  # type: ignore[assignment]
    result = run(demo, "report", *files, "--out", str(out), "--format", "json")
    assert result.exit_code == 0, result.output
    document = json.loads(out.read_text(encoding="utf-8"))
    hashes = {entry["sha256"] for entry in document["imports"]}
    expected = {hashlib.sha256(Path(f).read_bytes()).hexdigest() for f in files}
    assert expected == hashes


def test_report_with_an_unknown_extension_is_a_message_not_a_traceback(
    demo: dict[str, object], tmp_path: Path
) -> None:
    result = run(demo, "--lang", "en", "report", "--out", str(tmp_path / "r.docx"))
    assert result.exit_code == 2
    assert "not supported" in result.output
    assert "Traceback" not in result.output


def test_draft_cites_earlier_filings_and_counts(demo: dict[str, object], own_home: Path) -> None:
    store = Store.open(own_home)
    add_filing(store, Filing(date(2024, 5, 1), "amazon_phone", case_id="CASE-0001"))
    add_filing(store, Filing(date(2024, 5, 9), "police_9110"))
    files: list[str] = demo["files"]  # type: ignore[assignment]
    result = run(demo, "draft", *files, "--previous-case", "CASE-0002", home=own_home)
    assert result.exit_code == 0, result.output
    assert "3回目" in result.output
    assert "CASE-0001" in result.output and "CASE-0002" in result.output
    leaked = [value for value in demo["pii"] if value in result.output]  # type: ignore[attr-defined]
    assert leaked == []
    english = run(
        demo,
        "draft",
        "--lang",
        "en",
        "--previous-case",
        "CASE-0002",
        "--max-orders",
        "3",
        home=own_home,
    )
    assert english.exit_code == 0, english.output
    assert "[3rd report]" in english.output
    assert english.output.count("| purchased ") == 3
    assert "more (list attached separately)" in english.output


def test_draft_with_nothing_selected_exits_with_a_message(demo: dict[str, object]) -> None:
    result = run(demo, "draft", "--group", "no-such-group")
    assert result.exit_code == 2
    assert "対象の注文がありません" in result.output


def test_draft_suggests_other_channels_after_repeated_filings(
    demo: dict[str, object], own_home: Path
) -> None:
    store = Store.open(own_home)
    for day in (1, 8, 15):
        add_filing(store, Filing(date(2024, 5, day), "amazon_phone", outcome="no_action"))
    result = run(demo, "--lang", "en", "draft", home=own_home)
    assert result.exit_code == 0, result.output
    assert "[4th report]" in result.output
    assert "3 reports to Amazon have not solved it" in result.output
