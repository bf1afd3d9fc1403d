"""Which scanned orders the workflow acts on: flagged ones, a group, a selection, a period."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

FLAGGED_LEVELS: tuple[str, ...] = ("high", "medium")
UNSHIPPED_STATUSES: tuple[str, ...] = ("Pending", "Unshipped", "PartiallyShipped")


def flagged_orders(orders: pd.DataFrame, levels: Sequence[str] = FLAGGED_LEVELS) -> pd.DataFrame:
    """Return the scanned orders whose ``risk_level`` is one of ``levels``.

    Parameters
    ----------
    orders
        ``ScanResult.orders`` (needs ``risk_level``).
    levels
        The risk levels that count as flagged.
    """
    if "risk_level" not in orders.columns:
        return orders.iloc[0:0]
    return orders.loc[orders["risk_level"].isin(list(levels)).fillna(False)]


def select_orders(
    orders: pd.DataFrame,
    *,
    group_id: str | None = None,
    order_ids: Iterable[str] | None = None,
    date_from: date | None = None,
    date_to: date | None = None,
    levels: Sequence[str] = FLAGGED_LEVELS,
) -> pd.DataFrame:
    """Select the orders a draft or report is about, sorted by purchase date.

    A linked group (``group_id``) or an explicit list of ``order_ids`` is taken whatever its
    risk level; otherwise the orders flagged at ``levels``. ``date_from``/``date_to``
    (inclusive, Japan time) narrow any of these.
    """
    if group_id is not None:
        chosen = orders.loc[(orders["group_id"] == group_id).fillna(False)]
    elif order_ids is not None:
        chosen = orders.loc[orders["order_id"].isin(list(order_ids)).fillna(False)]
    else:
        chosen = flagged_orders(orders, levels)
    if "purchase_date" in chosen.columns and (date_from is not None or date_to is not None):
        day = purchase_day(chosen)
        keep = pd.Series(True, index=chosen.index)
        if date_from is not None:
            keep &= (day >= pd.Timestamp(date_from)).fillna(False)
        if date_to is not None:
            keep &= (day <= pd.Timestamp(date_to)).fillna(False)
        chosen = chosen.loc[keep]
    if "purchase_date" in chosen.columns:
        chosen = chosen.sort_values(["purchase_date", "order_id"], na_position="last")
    return chosen


def purchase_day(orders: pd.DataFrame) -> pd.Series:
    """Return each order's purchase date (Japan time) as a naive midnight timestamp."""
    stamps = pd.to_datetime(orders["purchase_date"])
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
    return stamps.dt.normalize()


def unshipped_flagged_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Return the flagged orders still open (pending or unshipped): candidates to cancel."""
    flagged = flagged_orders(orders)
    if "status" not in flagged.columns:
        return flagged.iloc[0:0]
    return flagged.loc[flagged["status"].isin(list(UNSHIPPED_STATUSES)).fillna(False)]


def targeted_skus(orders: pd.DataFrame) -> list[str]:
    """Return the SKUs the flagged orders hit, most hit first (ties by SKU)."""
    flagged = flagged_orders(orders)
    column = "skus" if "skus" in flagged.columns else "sku"
    if column not in flagged.columns or flagged.empty:
        return []
    skus = flagged[column].dropna().str.split("|").explode().str.strip()
    skus = skus.loc[skus.str.len() > 0]
    counts = skus.value_counts()
    ordered = sorted(counts.items(), key=lambda item: (-int(item[1]), str(item[0])))
    return [str(sku) for sku, _ in ordered]


def flagged_groups(orders: pd.DataFrame) -> pd.DataFrame:
    """Return the linked groups among flagged orders: group_id, orders, first, last (dates).

    Largest groups first; empty when the scan has no ``group_id``.
    """
    flagged = flagged_orders(orders)
    columns = {"group_id": "str", "orders": "int64", "first": "object", "last": "object"}
    if "group_id" not in flagged.columns or flagged["group_id"].isna().all():
        return pd.DataFrame({c: pd.Series(dtype=d) for c, d in columns.items()})
    grouped = flagged.loc[flagged["group_id"].notna()].assign(day=purchase_day)
    summary = grouped.groupby("group_id", sort=False).agg(
        orders=("order_id", "size"), first=("day", "min"), last=("day", "max")
    )
    summary = summary.reset_index().sort_values(["orders", "group_id"], ascending=[False, True])
    summary["first"] = summary["first"].dt.date
    summary["last"] = summary["last"].dt.date
    return summary.reset_index(drop=True).astype({"group_id": "str", "orders": "int64"})
