"""The declared layouts: aliases, kinds and the messages every reason needs."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from sellerguard.exports import ITEM_COLUMNS, KINDS, LAYOUTS
from sellerguard.exports.columns import (
    _ALIASES,
    HEADER_ALIASES,
    PROVENANCE_COLUMNS,
    canonical_columns,
    detect_kind,
    normalise_header,
)
from sellerguard.i18n import LANGUAGES, t

SOURCE = Path(__file__).resolve().parents[2] / "sellerguard" / "exports"


def test_every_file_column_has_an_alias_and_no_alias_is_ambiguous() -> None:
    readable = set(ITEM_COLUMNS) - set(PROVENANCE_COLUMNS)
    assert readable <= set(_ALIASES)
    counts = Counter(normalise_header(a) for aliases in _ALIASES.values() for a in aliases)
    assert [alias for alias, n in counts.items() if n > 1] == []


@pytest.mark.parametrize(
    ("header", "column"),
    [
        ("amazon-order-id", "order_id"),
        ("\ufeffamazon-order-id", "order_id"),
        ('"order-id"', "order_id"),
        ("Order ID", "order_id"),
        ("order_id", "order_id"),
        ("注文番号", "order_id"),
        ("ＳＫＵ", "sku"),
        ("購入日", "purchase_date"),
        ("商品名", "product_name"),
        ("数量", "quantity"),
        ("出荷先郵便番号", "ship_postal_code"),
        ("都道府県", "ship_state"),
        ("購入者名", "buyer_name"),
        ("電話番号", "ship_phone"),
        ("payment-type", "payment_type"),
        ("last-update-date", "last_updated_date"),
        ("AmazonOrderId", "order_id"),
        ("OrderID", "order_id"),
        ("PurchaseDate", "purchase_date"),
        ("SellerSKU", "sku"),
        ("QuantityOrdered", "quantity"),
        ("delivery-Instructions", None),
    ],
)
def test_header_aliases(header: str, column: str | None) -> None:
    assert HEADER_ALIASES.get(normalise_header(header)) == column


def test_every_kind_has_a_layout() -> None:
    assert sorted(layout.kind for layout in LAYOUTS) == sorted(KINDS)


def test_first_occurrence_of_a_repeated_header_wins() -> None:
    assert canonical_columns(["order-id", "sku", "amazon-order-id", "x"]) == {
        0: "order_id",
        1: "sku",
    }


@pytest.mark.parametrize(
    ("columns", "kind"),
    [
        ({"order_id", "order_status", "item_status"}, "all_orders"),
        ({"order_id", "order_item_id", "buyer_name", "payment_method"}, "order_report"),
        ({"order_id", "order_item_id", "quantity", "payment_type"}, "pending"),
        ({"order_id", "return_date", "rma_id"}, "returns"),
        ({"order_id", "order_status", "payment_method", "order_total"}, "orders_api"),
        ({"order_id", "sku"}, None),
    ],
)
def test_kind_from_columns(columns: set[str], kind: str | None) -> None:
    assert detect_kind(columns) == kind


def raised_reasons() -> set[str]:
    text = "\n".join(p.read_text(encoding="utf-8") for p in SOURCE.glob("*.py"))
    return set(re.findall(r'UnreadableExport\(\s*"(\w+)"', text))


def problem_reasons() -> set[str]:
    text = (SOURCE / "read.py").read_text(encoding="utf-8")
    found = set(re.findall(r'"(too_\w+|truncated_row|missing_order_id|bad_\w+)"', text))
    return found


@pytest.mark.parametrize("lang", LANGUAGES)
def test_every_reason_has_a_message(lang: str) -> None:
    reasons = raised_reasons()
    assert {"empty", "binary", "no_order_id", "other_report"} <= reasons
    for reason in reasons:
        text = t(f"error.unreadable_export.{reason}", lang, found="x")
        assert text.strip()
    problems = problem_reasons()
    assert {"too_few_fields", "too_many_fields", "missing_order_id", "bad_date"} <= problems
    for reason in problems:
        assert t(f"exports.problem.{reason}", lang).strip()
    for kind in KINDS:
        assert t(f"exports.kind.{kind}", lang).strip()
