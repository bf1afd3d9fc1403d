"""Item rows between pandas and SQLite: the stored columns, their types and identity.

An item row's identity (``item_key``) is its source kind, order id, item id (or SKU/ASIN
when the report has no item id) and its rank among identical rows of the same file, so the
same row read again from another download replaces the stored one instead of adding to it.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from typing import Any, Literal

import numpy as np
import pandas as pd

ColumnType = Literal["text", "date", "int", "float", "bool"]

ITEM_COLUMNS: dict[str, ColumnType] = {
    "order_id": "text",
    "order_item_id": "text",
    "merchant_order_id": "text",
    "purchase_date": "date",
    "last_updated_date": "date",
    "payments_date": "date",
    "order_status": "text",
    "item_status": "text",
    "fulfillment_channel": "text",
    "sales_channel": "text",
    "sku": "text",
    "asin": "text",
    "product_name": "text",
    "quantity": "int",
    "quantity_shipped": "int",
    "quantity_to_ship": "int",
    "currency": "text",
    "item_price": "float",
    "item_tax": "float",
    "shipping_price": "float",
    "shipping_tax": "float",
    "order_total": "float",
    "buyer_email": "text",
    "buyer_name": "text",
    "buyer_phone": "text",
    "recipient_name": "text",
    "ship_address_1": "text",
    "ship_address_2": "text",
    "ship_address_3": "text",
    "ship_city": "text",
    "ship_state": "text",
    "ship_postal_code": "text",
    "ship_country": "text",
    "ship_phone": "text",
    "is_business_order": "bool",
    "payment_method": "text",
    "cod_collectible_amount": "float",
    "payment_method_fee": "float",
    "already_paid": "float",
    "return_date": "date",
    "return_reason": "text",
    "return_status": "text",
    "return_quantity": "int",
    "rma_id": "text",
    "refund_amount": "float",
    "source_kind": "text",
    "source_file": "text",
    "source_line": "int",
}

#: Raw buyer personal data, cleared by retention (linking keys stay as salted hashes).
PII_COLUMNS: tuple[str, ...] = (
    "buyer_email",
    "buyer_name",
    "buyer_phone",
    "recipient_name",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
    "ship_phone",
)

TIMEZONE = "Asia/Tokyo"


def _text(series: pd.Series) -> pd.Series:
    return series.astype("str")


def item_keys(items: pd.DataFrame) -> pd.Series:
    """Return the identity of each item row (see the module docstring)."""
    kind = items["source_kind"].astype("str").fillna("")
    order = items["order_id"].astype("str").fillna("")
    item = pd.Series("", index=items.index, dtype="str")
    for column in ("order_item_id", "sku", "asin"):
        if column in items.columns:
            values = items[column].astype("str")
            item = item.where(item != "", values.fillna(""))
    source = (
        items["source_file"].astype("str").fillna("")
        if "source_file" in items.columns
        else pd.Series("", index=items.index, dtype="str")
    )
    base = kind + "\x1f" + order + "\x1f" + item
    rank = pd.DataFrame({"base": base, "source": source}).groupby(["source", "base"]).cumcount()
    return base + "\x1f" + rank.astype("str")


def _nullable(values: pd.Series) -> list[Any]:
    """Values as Python objects, NA as None (vectorised, no per-value pandas calls)."""
    objects = values.astype(object)
    return objects.where(values.notna().to_numpy(), None).tolist()


def _iso_texts(series: pd.Series) -> list[Any]:
    """Timestamps as ISO 8601 text in Japan time (``2026-01-05T10:00:00+0900``), NA as None."""
    values = pd.to_datetime(series, errors="coerce")
    if values.dt.tz is None:
        values = values.dt.tz_localize(TIMEZONE)
    local = values.dt.tz_convert(TIMEZONE).dt.tz_localize(None).to_numpy("datetime64[s]")
    texts = np.char.add(np.datetime_as_string(local, unit="s").astype(str), "+0900")
    return pd.Series(texts, dtype=object).where(~np.isnat(local), None).tolist()


def to_records(items: pd.DataFrame) -> list[tuple[Any, ...]]:
    """Convert item rows to SQLite parameter tuples in ``ITEM_COLUMNS`` order (NA → NULL)."""
    columns: list[list[Any]] = []
    for name, kind in ITEM_COLUMNS.items():
        if name not in items.columns:
            columns.append([None] * len(items))
            continue
        series = items[name].reset_index(drop=True)
        if kind == "date":
            columns.append(_iso_texts(series))
        elif kind == "int":
            columns.append(_nullable(pd.to_numeric(series, errors="coerce").astype("Int64")))
        elif kind == "float":
            columns.append(_nullable(pd.to_numeric(series, errors="coerce").astype("Float64")))
        elif kind == "bool":
            columns.append(_nullable(series.astype("boolean").astype("Int64")))
        else:
            columns.append(_nullable(series.astype("str")))
    return list(zip(*columns, strict=True)) if columns else []


def from_rows(rows: Iterable[tuple[Any, ...]], names: list[str]) -> pd.DataFrame:
    """Build a typed item DataFrame (pandas ``str``, ``Int64``, ``Float64``, tz dates)."""
    frame = pd.DataFrame.from_records(list(rows), columns=names)
    out: dict[str, pd.Series] = {}
    for name in names:
        kind = ITEM_COLUMNS.get(name, "text")
        series = frame[name]
        if kind == "date":
            out[name] = pd.to_datetime(series, utc=True, format="ISO8601").dt.tz_convert(TIMEZONE)
        elif kind == "int":
            out[name] = pd.to_numeric(series).astype("Int64")
        elif kind == "float":
            out[name] = pd.to_numeric(series).astype("Float64")
        elif kind == "bool":
            out[name] = series.astype("boolean")
        else:
            out[name] = series.astype("str")
    return pd.DataFrame(out, index=pd.RangeIndex(len(frame)))


def salted_hash(salt: str, kind: str, values: pd.Series) -> pd.Series:
    """Salted SHA-256 of normalised identifiers (NA stays NA), one per distinct value."""
    text = values.astype("str")
    distinct = text.dropna().unique()
    table = {
        value: hashlib.sha256(f"{salt}\x1f{kind}\x1f{value}".encode()).hexdigest()
        for value in distinct
    }
    return text.map(table).astype("str")


def salted_hash_one(salt: str, kind: str, value: str) -> str:
    """Salted SHA-256 of one normalised identifier (same as :func:`salted_hash`)."""
    return hashlib.sha256(f"{salt}\x1f{kind}\x1f{value}".encode()).hexdigest()
