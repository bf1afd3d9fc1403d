"""Merge item rows from several exports into one table of orders keyed by order id.

The rules (docs/ARCHITECTURE.md §1): text values take the first non-empty value in source
precedence (order report > all-orders > Orders API > pending > returns; within a source the
first file and line), except ``payment_method`` where the Orders API wins; quantities and
values are summed over the items of the best source; ``sources`` keeps the provenance of
every row merged into the order.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from sellerguard.exports.columns import (
    ALL_ORDERS,
    ITEM_COLUMNS,
    ORDER_REPORT,
    ORDERS_API,
    PENDING,
    PROVENANCE_COLUMNS,
    RETURNS,
    SOURCE_PRECEDENCE,
    TIMEZONE,
)
from sellerguard.exports.detect import Source
from sellerguard.exports.read import ExportRead, read_export

#: Sources whose items count towards an order's quantity and value, best first.
_QUANTITY_SOURCES = (ORDER_REPORT, ALL_ORDERS, PENDING, RETURNS)

#: Order-level columns added to the item columns.
ORDER_EXTRA_COLUMNS: dict[str, str] = {
    "order_value": "Float64",
    "skus": "str",
    "status": "str",
    "in_order_report": "boolean",
    "in_pending_report": "boolean",
    "returned": "boolean",
    "sources": "str",
}


@dataclass
class OrderSet:
    """Orders merged from one or more exports.

    Attributes
    ----------
    items
        One row per item line per file (canonical item columns, duplicates removed).
    orders
        One row per distinct order id (RangeIndex, ``order_id`` a column).
    reads
        The per-file outcomes, in input order (empty when rebuilt from stored items).
    """

    items: pd.DataFrame
    orders: pd.DataFrame
    reads: list[ExportRead] = field(default_factory=list)

    @classmethod
    def from_items(cls, items: pd.DataFrame, reads: Sequence[ExportRead] = ()) -> OrderSet:
        """Build an order set from item rows (e.g. the store's), merging them into orders."""
        clean = dedupe_items(conform_items(items))
        return cls(items=clean, orders=merge_orders(clean), reads=list(reads))

    @classmethod
    def concat(cls, sets: Iterable[OrderSet]) -> OrderSet:
        """Merge several order sets into one, as if their files had been read together."""
        sets = list(sets)
        frames = [s.items for s in sets]
        items = pd.concat(frames, ignore_index=True) if frames else empty_items()
        return cls.from_items(items, [r for s in sets for r in s.reads])

    @property
    def problems(self) -> list[Any]:
        """Every row problem of every file read."""
        return [p for r in self.reads for p in r.problems]


def read_exports(sources: Iterable[Source]) -> OrderSet:
    """Read several exports and merge them into one order set.

    Parameters
    ----------
    sources
        Paths or ``(name, bytes)`` pairs, in any mix of kinds.

    Raises
    ------
    UnreadableExport
        For the first file that is not an order export.
    """
    reads = [read_export(source) for source in sources]
    frames = [r.items for r in reads if len(r.items)]
    items = pd.concat(frames, ignore_index=True) if frames else empty_items()
    clean = dedupe_items(items)
    return OrderSet(items=clean, orders=merge_orders(clean), reads=reads)


def empty_items() -> pd.DataFrame:
    """Return an item table with no rows and every canonical column."""
    return conform_items(pd.DataFrame(index=range(0)))


def conform_items(items: pd.DataFrame) -> pd.DataFrame:
    """Return ``items`` with exactly the canonical columns and dtypes (missing ones NA)."""
    out: dict[str, pd.Series[Any]] = {}
    n = len(items)
    for column, kind in ITEM_COLUMNS.items():
        dtype = _dtype(kind)
        if column in items.columns:
            series = items[column].reset_index(drop=True)
            out[column] = series if str(series.dtype) == dtype else series.astype(dtype)
        elif dtype == "str":
            out[column] = pd.Series([None] * n, dtype="str")
        else:
            out[column] = pd.Series([pd.NA] * n, dtype=dtype)
    return pd.DataFrame(out)


def _dtype(kind: str) -> str:
    return {
        "datetime": f"datetime64[ns, {TIMEZONE}]",
        "int": "Int64",
        "float": "Float64",
        "bool": "boolean",
    }.get(kind, "str")


def dedupe_items(items: pd.DataFrame) -> pd.DataFrame:
    """Drop item rows that repeat an earlier one of the same order, item and source kind.

    An item is identified by ``order_item_id`` when the layout has it, else by its SKU, ASIN
    and product name; of repeats the most recently updated row is kept (the first on ties),
    so reading one file twice, or two overlapping downloads, never doubles quantities.
    """
    if items.empty:
        return items.reset_index(drop=True)
    identity = items["order_item_id"].fillna(
        items["sku"].fillna("")
        + "\x1f"
        + items["asin"].fillna("")
        + "\x1f"
        + items["product_name"].fillna("")
    )
    if items["source_kind"].eq(RETURNS).any():
        returned = items["source_kind"].eq(RETURNS)
        extra = items["rma_id"].fillna(items["return_date"].astype("str").fillna(""))
        identity = identity.where(~returned, identity + "\x1f" + extra.fillna(""))
    keys = pd.DataFrame(
        {
            "order_id": items["order_id"],
            "identity": identity,
            "source_kind": items["source_kind"],
            "updated": items["last_updated_date"],
            "position": np.arange(len(items)),
        }
    )
    keys = keys.sort_values(
        ["updated", "position"], ascending=[False, True], na_position="last", kind="stable"
    )
    kept = keys.drop_duplicates(["order_id", "identity", "source_kind"])
    positions = np.sort(kept["position"].to_numpy())
    if len(positions) == len(items):
        return items.reset_index(drop=True)
    return items.iloc[positions].reset_index(drop=True)


def merge_orders(items: pd.DataFrame) -> pd.DataFrame:
    """Merge item rows into one row per order id (see the module docstring for the rules)."""
    columns = [c for c in ITEM_COLUMNS if c not in PROVENANCE_COLUMNS]
    if items.empty:
        frame = conform_items(items)[columns]
        for column, dtype in ORDER_EXTRA_COLUMNS.items():
            frame[column] = pd.Series(dtype=dtype)
        return frame.reset_index(drop=True)
    rank = items["source_kind"].map(SOURCE_PRECEDENCE).fillna(9).astype("int64").to_numpy()
    file_codes = pd.factorize(items["source_file"])[0]
    order = np.lexsort(
        (
            items["source_line"].fillna(0).to_numpy(dtype=np.int64),
            file_codes,
            rank,
            pd.factorize(items["order_id"], sort=True)[0],
        )
    )
    ordered = items.iloc[order].reset_index(drop=True)
    codes, uniques = pd.factorize(ordered["order_id"])
    n_orders = len(uniques)
    starts = np.flatnonzero(np.r_[True, codes[1:] != codes[:-1]])
    result: dict[str, Any] = {}
    for column in columns:
        result[column] = _first_valid(ordered[column], codes, n_orders)
    kinds = ordered["source_kind"].to_numpy(dtype=object)
    api = kinds == ORDERS_API
    if api.any():
        api_payment = _first_valid(ordered["payment_method"].where(api), codes, n_orders)
        result["payment_method"] = api_payment.fillna(result["payment_method"])
    orders = pd.DataFrame(result)
    orders["order_id"] = pd.Series(uniques, dtype="str")
    orders = _add_quantities(orders, ordered, codes, kinds, n_orders)
    orders["status"] = _status(ordered, codes, kinds, n_orders)
    for flag, kind in (
        ("in_order_report", ORDER_REPORT),
        ("in_pending_report", PENDING),
        ("returned", RETURNS),
    ):
        hits = np.zeros(n_orders, dtype=bool)
        hits[codes[kinds == kind]] = True
        orders[flag] = pd.array(hits, dtype="boolean")
    provenance = ordered["source_file"].fillna("") + ":" + ordered["source_line"].astype("str")
    orders["sources"] = pd.Series(
        [";".join(dict.fromkeys(part)) for part in np.split(provenance.to_numpy(), starts[1:])],
        dtype="str",
    )
    return orders


def _first_valid(values: pd.Series[Any], codes: np.ndarray[Any, Any], n: int) -> pd.Series[Any]:
    """Per group (rows sorted by group), the first non-NA value; NA when the group has none."""
    valid = values.notna().to_numpy()
    positions = np.flatnonzero(valid)
    group_of = codes[positions]
    first = positions[np.r_[True, group_of[1:] != group_of[:-1]]] if len(positions) else positions
    target = codes[first]
    picked = values.iloc[first]
    out = values.iloc[:0].reindex(range(n))
    if len(first):
        out.iloc[target] = picked.to_numpy() if picked.dtype == object else picked.array
    return out.reset_index(drop=True)


def _add_quantities(
    orders: pd.DataFrame,
    ordered: pd.DataFrame,
    codes: np.ndarray[Any, Any],
    kinds: np.ndarray[Any, Any],
    n: int,
) -> pd.DataFrame:
    """Quantity and value summed over the items of each order's best source; largest item."""
    best = np.full(n, len(_QUANTITY_SOURCES), dtype=np.int64)
    source_rank = np.full(len(kinds), len(_QUANTITY_SOURCES), dtype=np.int64)
    for rank, kind in enumerate(_QUANTITY_SOURCES):
        source_rank[kinds == kind] = rank
    np.minimum.at(best, codes, source_rank)
    chosen = (source_rank == best[codes]) & (source_rank < len(_QUANTITY_SOURCES))
    returned = ordered["source_kind"].eq(RETURNS)
    quantity = ordered["quantity"].where(~returned, ordered["return_quantity"])
    frame = pd.DataFrame(
        {
            "code": codes[chosen],
            "quantity": quantity[chosen].to_numpy(),
            "price": ordered["item_price"][chosen].to_numpy(),
        }
    )
    sums = _group_sums(frame, n)
    orders["quantity"] = sums["quantity"]
    value = sums["price"]
    if "order_total" in orders:
        value = value.fillna(orders["order_total"])
    orders["order_value"] = value
    largest = _largest_item(ordered, codes, chosen, quantity, n)
    for column in ("sku", "asin", "product_name"):
        picked = ordered[column].iloc[largest[largest >= 0]].to_numpy()
        current = orders[column].copy()
        current.iloc[np.flatnonzero(largest >= 0)] = picked
        orders[column] = current.where(current.notna(), orders[column])
    skus = ordered.loc[ordered["sku"].notna(), ["sku"]].assign(
        code=codes[ordered["sku"].notna().to_numpy()]
    )
    joined = (
        skus.drop_duplicates().sort_values(["code", "sku"]).groupby("code")["sku"].agg("|".join)
    )
    skus_col = pd.Series([None] * n, dtype="str")
    skus_col.iloc[joined.index.to_numpy()] = joined.to_numpy()
    orders["skus"] = skus_col
    return orders


def _group_sums(frame: pd.DataFrame, n: int) -> pd.DataFrame:
    """Sums of quantity and price per order code, NA where every value is NA."""
    grouped = frame.groupby("code", sort=True)
    quantity = grouped["quantity"].sum(min_count=1)
    price = grouped["price"].sum(min_count=1)
    out = pd.DataFrame(
        {
            "quantity": pd.Series([pd.NA] * n, dtype="Int64"),
            "price": pd.Series([pd.NA] * n, dtype="Float64"),
        }
    )
    out.loc[quantity.index.to_numpy(), "quantity"] = quantity.astype("Int64").to_numpy()
    out.loc[price.index.to_numpy(), "price"] = price.astype("Float64").to_numpy()
    return out


def _largest_item(
    ordered: pd.DataFrame,
    codes: np.ndarray[Any, Any],
    chosen: np.ndarray[Any, Any],
    quantity: pd.Series[Any],
    n: int,
) -> np.ndarray[Any, Any]:
    """Row position of each order's largest chosen item (by quantity, then price); -1 if none."""
    positions = np.flatnonzero(chosen)
    largest = np.full(n, -1, dtype=np.int64)
    if not len(positions):
        return largest
    q = quantity.to_numpy(dtype="float64", na_value=-1.0)[positions]
    p = ordered["item_price"].to_numpy(dtype="float64", na_value=-1.0)[positions]
    order = np.lexsort((positions, -p, -q, codes[positions]))
    sorted_positions = positions[order]
    group = codes[sorted_positions]
    first = np.r_[True, group[1:] != group[:-1]]
    largest[group[first]] = sorted_positions[first]
    return largest


def _status(
    ordered: pd.DataFrame, codes: np.ndarray[Any, Any], kinds: np.ndarray[Any, Any], n: int
) -> pd.Series[Any]:
    """The order's status: latest all-orders/Orders API status, else implied by the reports."""
    status = pd.Series([None] * n, dtype="str")
    lifecycle = (kinds == ALL_ORDERS) | (kinds == ORDERS_API)
    if lifecycle.any():
        frame = pd.DataFrame(
            {
                "code": codes[lifecycle],
                "status": ordered["order_status"][lifecycle].to_numpy(),
                "updated": ordered["last_updated_date"][lifecycle].to_numpy(),
                "api": kinds[lifecycle] == ORDERS_API,
            }
        )
        frame = frame[frame["status"].notna()]
        frame = frame.sort_values(
            ["code", "updated", "api"],
            ascending=[True, False, True],
            na_position="last",
            kind="stable",
        ).drop_duplicates("code")
        status.iloc[frame["code"].to_numpy()] = frame["status"].to_numpy()
    report = kinds == ORDER_REPORT
    if report.any():
        to_ship = ordered["quantity_to_ship"].to_numpy(dtype="float64", na_value=np.nan)
        shipped_rows = report & (to_ship == 0)
        unshipped = np.zeros(n, dtype=bool)
        unshipped[codes[report & ~(to_ship == 0)]] = True
        shipped = np.zeros(n, dtype=bool)
        shipped[codes[shipped_rows]] = True
        implied = np.where(unshipped, "Unshipped", np.where(shipped, "Shipped", None))
        fill = status.isna().to_numpy() & (unshipped | shipped)
        status.iloc[np.flatnonzero(fill)] = implied[fill]
    pending = np.zeros(n, dtype=bool)
    pending[codes[kinds == PENDING]] = True
    fill = status.isna().to_numpy() & pending
    status.iloc[np.flatnonzero(fill)] = "Pending"
    return status
