"""The two real-layout samples in ../shared/samples read completely and merge."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sellerguard.exports import read_export, read_exports

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"

pytestmark = pytest.mark.skipif(not SAMPLES.is_dir(), reason="shared samples not present")

CASES = [
    ("current", "all_orders.txt", "all_orders", "utf-8", "LF"),
    ("current", "orders.txt", "order_report", "utf-8", "LF"),
    ("historic", "all_orders.txt", "all_orders", "cp932", "CRLF"),
    ("historic", "orders.txt", "order_report", "cp932", "CRLF"),
]


def physical_lines(path: Path) -> int:
    return path.read_bytes().count(b"\n")


@pytest.mark.parametrize(("era", "name", "kind", "encoding", "ending"), CASES)
def test_sample_reads_completely(
    era: str, name: str, kind: str, encoding: str, ending: str
) -> None:
    path = SAMPLES / era / name
    read = read_export(path)
    assert (read.kind, read.encoding, read.delimiter, read.line_ending) == (
        kind,
        encoding,
        "\t",
        ending,
    )
    assert read.problems == []
    assert read.rows_in == read.rows_read == physical_lines(path) - 1
    assert read.items["source_line"].tolist() == list(range(2, read.rows_in + 2))
    assert read.items["order_id"].str.fullmatch(r"\d{3}-\d{7}-\d{7}").all()
    assert read.items["purchase_date"].notna().all()
    assert read.items["quantity"].notna().all()
    postal = read.items["ship_postal_code"].dropna()
    assert postal.str.fullmatch(r"\d{3}-?\d{4}").all()
    assert postal.str.startswith("0").any()


@pytest.mark.parametrize("era", ["current", "historic"])
def test_sample_era_merges_to_the_labelled_orders(era: str) -> None:
    folder = SAMPLES / era
    merged = read_exports([folder / "all_orders.txt", folder / "orders.txt"])
    labels = pd.read_csv(folder / "labels.csv", dtype=str)
    assert sorted(merged.orders["order_id"]) == sorted(labels["order_id"])
    orders = merged.orders
    assert orders["status"].notna().all()
    assert orders["in_order_report"].sum() == read_export(folder / "orders.txt").rows_read
    both = orders[orders["in_order_report"]]
    assert both["sources"].str.contains("orders.txt:").all()
    assert both["sources"].str.contains("all_orders.txt:").all()
    assert both["buyer_name"].notna().all()


def test_historic_sample_has_cash_on_delivery_orders() -> None:
    merged = read_exports([SAMPLES / "historic" / "orders.txt"])
    methods = set(merged.orders["payment_method"].dropna())
    assert methods == {"COD", "Other"}
    cod = merged.orders[merged.orders["payment_method"] == "COD"]
    assert (cod["cod_collectible_amount"] > 0).all()


def test_current_sample_has_no_payment_method() -> None:
    merged = read_exports([SAMPLES / "current" / "orders.txt"])
    assert merged.orders["payment_method"].isna().all()
