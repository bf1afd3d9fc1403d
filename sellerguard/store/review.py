"""The review queue: flagged orders with the seller's verdicts, filtered and linked.

Works on the cached scored order table (``Store.scored_orders``) and the verdict table, all
vectorised, so that filtering 100,000 orders stays well under the Review page's budget.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

import pandas as pd

#: Review states: no verdict yet, or one of the verdicts.
REVIEW_STATES: tuple[str, ...] = ("unreviewed", "harassment", "legitimate", "unsure")
RISK_LEVELS: tuple[str, ...] = ("high", "medium", "low")
#: Link kinds shown for linked orders, with the scan column holding each key.
LINKS: dict[str, str] = {
    "address": "address_key",
    "phone": "phone_key",
    "name": "name_key",
    "account": "account_key",
}


@dataclass(frozen=True)
class ReviewFilter:
    """What the seller chose to see. Empty tuples mean "any"."""

    levels: tuple[str, ...] = ("high", "medium")
    rules: tuple[str, ...] = ()
    start: date | None = None
    end: date | None = None
    skus: tuple[str, ...] = ()
    states: tuple[str, ...] = ()
    order_statuses: tuple[str, ...] = ()


def _text(orders: pd.DataFrame, column: str) -> pd.Series:
    if column in orders.columns:
        return orders[column].astype("str")
    return pd.Series(pd.NA, index=orders.index, dtype="str")


def local_dates(stamps: pd.Series) -> pd.Series:
    """Calendar days in Japan of timestamps (tz-aware or naive), as ``datetime64`` midnight."""
    values = pd.to_datetime(stamps, errors="coerce")
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
    return values.dt.normalize()


def with_verdicts(orders: pd.DataFrame, verdicts: pd.DataFrame) -> pd.DataFrame:
    """Add ``review_state`` and ``verdict_note`` to ``orders`` (by order id)."""
    out = orders.copy()
    if verdicts.empty:
        out["review_state"] = pd.Series("unreviewed", index=orders.index, dtype="str")
        out["verdict_note"] = pd.Series("", index=orders.index, dtype="str")
        return out
    table = verdicts.drop_duplicates("order_id", keep="last").set_index("order_id")
    ids = _text(orders, "order_id")
    out["review_state"] = ids.map(table["verdict"]).fillna("unreviewed").astype("str")
    out["verdict_note"] = ids.map(table["note"]).fillna("").astype("str")
    return out


def review_queue(
    orders: pd.DataFrame, verdicts: pd.DataFrame, choice: ReviewFilter | None = None
) -> pd.DataFrame:
    """Orders matching ``choice`` with their review state, highest score first.

    Ties are broken by the earlier purchase, then the order id, so the order is stable.
    """
    choice = choice or ReviewFilter()
    if orders.empty or "risk_level" not in orders.columns:
        return with_verdicts(orders.iloc[0:0], verdicts)
    mask = pd.Series(True, index=orders.index)
    if choice.levels:
        mask &= _text(orders, "risk_level").isin(choice.levels).fillna(False)
    subset = orders.loc[mask]
    keep = pd.Series(True, index=subset.index)
    if choice.rules:
        pattern = r"(?:^|\|)(?:" + "|".join(re.escape(code) for code in choice.rules) + r")(?:\||$)"
        keep &= _text(subset, "reason_codes").str.contains(pattern, regex=True).fillna(False)
    if choice.start is not None or choice.end is not None:
        days = local_dates(subset["purchase_date"]) if "purchase_date" in subset else None
        if days is not None:
            if choice.start is not None:
                keep &= (days >= pd.Timestamp(choice.start)).fillna(False)
            if choice.end is not None:
                keep &= (days <= pd.Timestamp(choice.end)).fillna(False)
    if choice.skus:
        skus = _text(subset, "skus").fillna(_text(subset, "sku")).fillna("")
        pattern = r"(?:^|\|)(?:" + "|".join(re.escape(s) for s in choice.skus) + r")(?:\||$)"
        keep &= skus.str.contains(pattern, regex=True).fillna(False)
    if choice.order_statuses:
        keep &= _text(subset, "status").isin(choice.order_statuses).fillna(False)
    chosen = with_verdicts(subset.loc[keep], verdicts)
    if choice.states:
        chosen = chosen.loc[chosen["review_state"].isin(choice.states)]
    sort = [c for c in ("risk_score", "purchase_date", "order_id") if c in chosen.columns]
    ascending = [c != "risk_score" for c in sort]
    return chosen.sort_values(sort, ascending=ascending, kind="stable", ignore_index=True)


def linked_orders(orders: pd.DataFrame, order_id: str) -> pd.DataFrame:
    """Every order sharing an address, phone, name or account key with ``order_id``.

    The order itself comes first; ``same_address``, ``same_phone``, ``same_name`` and
    ``same_account`` say which keys each linked order shares with it. Orders of the same
    linked group (``group_id``) are included even when linked only through another order.
    """
    ids = _text(orders, "order_id")
    hit = orders.loc[ids == order_id]
    if hit.empty:
        return orders.iloc[0:0]
    row = hit.iloc[0]
    mask = ids == order_id
    same: dict[str, pd.Series] = {}
    for kind, column in LINKS.items():
        if column in orders.columns and pd.notna(row[column]) and str(row[column]):
            flag = (_text(orders, column) == str(row[column])).fillna(False)
        else:
            flag = pd.Series(False, index=orders.index)
        same[kind] = flag
        mask |= flag
    if "group_id" in orders.columns and pd.notna(row["group_id"]):
        mask |= (_text(orders, "group_id") == str(row["group_id"])).fillna(False)
    out = orders.loc[mask].copy()
    for kind, flag in same.items():
        out[f"same_{kind}"] = flag.loc[mask].astype(bool)
    out["is_selected"] = (ids.loc[mask] == order_id).to_numpy()
    sort = [c for c in ("is_selected", "purchase_date", "order_id") if c in out.columns]
    ascending = [c != "is_selected" for c in sort]
    return out.sort_values(sort, ascending=ascending, kind="stable", ignore_index=True)


_CODE_PREFIX = re.compile(r"^\[(?P<code>[a-z0-9_]+)\]\s*")


def reasons(order: pd.Series, lang: str) -> list[tuple[str, str]]:
    """The plain-word reasons of one scored order: ``(rule code, sentence)`` each.

    The scan writes each reason as ``[rule_code] explanation``; the code is split off so
    the page can show the rule's title next to the sentence.
    """
    text = order.get(f"reasons_{lang}")
    if text is None or pd.isna(text) or not str(text):
        return []
    out: list[tuple[str, str]] = []
    for part in str(text).split("; "):
        part = part.strip()
        if not part:
            continue
        match = _CODE_PREFIX.match(part)
        if match:
            out.append((match.group("code"), part[match.end() :]))
        else:
            out.append(("", part))
    return out
