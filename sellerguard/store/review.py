"""The review queue: flagged orders with the seller's verdicts, filtered and linked.

Works on the cached scored order table (``Store.scored_orders``) and the verdict table, all
vectorised, so that filtering 100,000 orders stays well under the Review page's budget.
:class:`ReviewIndex` holds what does not change between reruns of the page (the queue's
order, calendar days, filter choices, linking keys); :func:`review_index` builds it once per
scored table.
"""

from __future__ import annotations

import re
import threading
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
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
    return review_index(orders).queue(verdicts, choice)


def linked_orders(orders: pd.DataFrame, order_id: str) -> pd.DataFrame:
    """Every order sharing an address, phone, name or account key with ``order_id``.

    The order itself comes first; ``same_address``, ``same_phone``, ``same_name`` and
    ``same_account`` say which keys each linked order shares with it. Orders of the same
    linked group (``group_id``) are included even when linked only through another order.
    """
    return review_index(orders).linked(order_id)


@dataclass(frozen=True)
class ReviewOptions:
    """The choices the Review page's filters offer for one scored table."""

    first_day: date | None
    last_day: date | None
    skus: tuple[str, ...]
    order_statuses: tuple[str, ...]


def _tokens_pattern(values: Sequence[str]) -> str:
    """A regex matching any of ``values`` as a whole item of a "|"-joined list."""
    return r"(?:^|\|)(?:" + "|".join(re.escape(v) for v in values) + r")(?:\||$)"


def _flags(values: pd.Series) -> np.ndarray:
    return values.to_numpy(dtype=bool, na_value=False)


class ReviewIndex:
    """A scored order table prepared for reviewing: each rerun of the page only filters.

    Holds, per row position, the queue's ranking (score, then earlier purchase, then order
    id), the calendar day in Japan, the filterable text columns and integer codes of the
    linking keys, plus the filter choices (:attr:`options`). The table itself is held
    weakly: the index lives exactly as long as the store keeps that table.
    """

    def __init__(self, orders: pd.DataFrame) -> None:
        self._table = weakref.ref(orders)
        self.size = len(orders)
        self.columns = tuple(orders.columns)
        self._ids = _text(orders, "order_id").reset_index(drop=True)
        self._level = _text(orders, "risk_level").reset_index(drop=True)
        self._reasons = _text(orders, "reason_codes").reset_index(drop=True)
        self._status = _text(orders, "status").reset_index(drop=True)
        skus = _text(orders, "skus").fillna(_text(orders, "sku")).fillna("")
        self._skus = skus.reset_index(drop=True)
        self._days: np.ndarray | None = None
        first_day = last_day = None
        if "purchase_date" in orders.columns:
            days = local_dates(orders["purchase_date"]).reset_index(drop=True)
            self._days = days.to_numpy(dtype="datetime64[ns]")
            known = days.dropna()
            if len(known):
                first_day, last_day = known.min().date(), known.max().date()
        sort = [c for c in ("risk_score", "purchase_date", "order_id") if c in orders.columns]
        if sort:
            ranked = (
                orders[sort]
                .reset_index(drop=True)
                .sort_values(sort, ascending=[c != "risk_score" for c in sort], kind="stable")
            )
            self._ranked = ranked.index.to_numpy(dtype=np.intp)
        else:
            self._ranked = np.arange(self.size, dtype=np.intp)
        self._keys: dict[str, tuple[np.ndarray, np.ndarray]] = {}
        for column in (*LINKS.values(), "group_id"):
            if column in orders.columns:
                codes, uniques = pd.factorize(_text(orders, column))
                self._keys[column] = (codes, np.asarray(uniques, dtype=object))
        self.options = ReviewOptions(
            first_day=first_day,
            last_day=last_day,
            skus=tuple(sorted(orders["sku"].dropna().astype("str").unique()))
            if "sku" in orders.columns
            else (),
            order_statuses=tuple(sorted(orders["status"].dropna().astype("str").unique()))
            if "status" in orders.columns
            else (),
        )

    @property
    def orders(self) -> pd.DataFrame:
        """The scored table this index describes."""
        orders = self._table()
        if orders is None:
            raise RuntimeError("the scored table of this review index is gone")
        return orders

    def position(self, order_id: str) -> int | None:
        """Row position of ``order_id`` in the table (the first, should it repeat)."""
        hits = np.flatnonzero(_flags(self._ids == order_id))
        return int(hits[0]) if len(hits) else None

    def row(
        self, order_id: str, verdicts: pd.DataFrame, columns: Sequence[str] | None = None
    ) -> pd.Series | None:
        """One order (``columns`` of it, or every column) with its ``review_state`` and
        ``verdict_note``; None when the table has no such order."""
        position = self.position(order_id)
        if position is None:
            return None
        return with_verdicts(self._columns(columns).iloc[[position]], verdicts).iloc[0]

    def _columns(self, columns: Sequence[str] | None, *always: str) -> pd.DataFrame:
        orders = self.orders
        if columns is None:
            return orders
        keep = dict.fromkeys(("order_id", *always, *columns))
        return orders[[c for c in keep if c in orders.columns]]

    def queue(
        self,
        verdicts: pd.DataFrame,
        choice: ReviewFilter | None = None,
        columns: Sequence[str] | None = None,
    ) -> pd.DataFrame:
        """Orders matching ``choice`` with their review state, highest score first.

        ``columns`` limits the table's columns (``order_id`` is always kept), which keeps a
        queue of thousands of orders cheap when the caller shows only a few of them.
        """
        choice = choice or ReviewFilter()
        orders = self._columns(columns)
        if self.size == 0 or "risk_level" not in self.columns:
            return with_verdicts(orders.iloc[0:0], verdicts)
        positions = self._ranked
        if choice.levels:
            positions = positions[_flags(self._level.isin(choice.levels))[positions]]
        if choice.rules:
            found = self._reasons.iloc[positions].str.contains(_tokens_pattern(choice.rules))
            positions = positions[_flags(found)]
        if self._days is not None:
            days = self._days[positions]
            if choice.start is not None:
                positions = positions[days >= np.datetime64(choice.start, "ns")]
                days = self._days[positions]
            if choice.end is not None:
                positions = positions[days <= np.datetime64(choice.end, "ns")]
        if choice.skus:
            found = self._skus.iloc[positions].str.contains(_tokens_pattern(choice.skus))
            positions = positions[_flags(found)]
        if choice.order_statuses:
            positions = positions[_flags(self._status.iloc[positions].isin(choice.order_statuses))]
        chosen = with_verdicts(orders.iloc[positions], verdicts)
        if choice.states:
            chosen = chosen.loc[chosen["review_state"].isin(choice.states)]
        return chosen.reset_index(drop=True)

    def linked(self, order_id: str, columns: Sequence[str] | None = None) -> pd.DataFrame:
        """Every order sharing a linking key or the linked group with ``order_id``.

        See :func:`linked_orders`; ``columns`` limits the columns taken from the table.
        """
        orders = self._columns(columns, "purchase_date")
        selected = _flags(self._ids == order_id)
        hits = np.flatnonzero(selected)
        if not len(hits):
            return orders.iloc[0:0]
        position = int(hits[0])
        mask = selected.copy()
        same: dict[str, np.ndarray] = {}
        for kind, column in LINKS.items():
            flag = self._same_key(column, position)
            same[kind] = flag
            mask |= flag
        mask |= self._same_key("group_id", position)
        rows = np.flatnonzero(mask)
        out = orders.iloc[rows].copy()
        for kind, flag in same.items():
            out[f"same_{kind}"] = flag[rows]
        out["is_selected"] = selected[rows]
        sort = [c for c in ("is_selected", "purchase_date", "order_id") if c in out.columns]
        ascending = [c != "is_selected" for c in sort]
        return out.sort_values(sort, ascending=ascending, kind="stable", ignore_index=True)

    def _same_key(self, column: str, position: int) -> np.ndarray:
        if column not in self._keys:
            return np.zeros(self.size, dtype=bool)
        codes, uniques = self._keys[column]
        code = codes[position]
        if code < 0 or not str(uniques[code]):
            return np.zeros(self.size, dtype=bool)
        return np.asarray(codes == code)


_indexes: dict[int, tuple[weakref.ref[pd.DataFrame], ReviewIndex]] = {}
_indexes_lock = threading.Lock()


def review_index(orders: pd.DataFrame) -> ReviewIndex:
    """The :class:`ReviewIndex` of ``orders``, built on the first call for that table.

    ``Store.scored_orders`` hands out the same table object until the scan changes, so
    every rerun and every browser tab shares one index; a new table gets a new one, and
    an index is forgotten when its table is.
    """
    key = id(orders)
    with _indexes_lock:
        entry = _indexes.get(key)
    if entry is not None and entry[0]() is orders:
        return entry[1]
    index = ReviewIndex(orders)
    with _indexes_lock:
        _indexes[key] = (weakref.ref(orders), index)
    weakref.finalize(orders, _forget_index, key, index)
    return index


def _forget_index(key: int, index: ReviewIndex) -> None:
    with _indexes_lock:
        entry = _indexes.get(key)
        if entry is not None and entry[1] is index:
            del _indexes[key]


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
