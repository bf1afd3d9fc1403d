"""Per-order features the rules read: linking keys, outcomes and group statistics.

Everything here works on whole columns. Linking keys are factorised once into integer codes
(-1 for missing) so that every group-by runs on integers, and group statistics are computed
once per key kind and merged back onto the orders.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Sequence

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sellerguard.address.names import distinct_name_keys
from sellerguard.address.normalise import (
    codes,
    combine_codes,
    renumber,
    spread,
    spread_codes,
    str_series,
)
from sellerguard.parallel import side_by_side

_CANCELLED = {"Cancelled", "Canceled", "キャンセル", "キャンセル済み"}
_SHIPPED = {"Shipped", "Shipping", "出荷済み", "Delivered", "PartiallyShipped"}
_PENDING = {"Pending", "保留中", "PendingAvailability"}


def _text(orders: pd.DataFrame, column: str) -> pd.Series:
    if column in orders.columns:
        return orders[column].astype("str")
    return pd.Series(pd.NA, index=orders.index, dtype="str")


def _flag(orders: pd.DataFrame, column: str) -> pd.Series:
    if column in orders.columns:
        return orders[column].astype("boolean").fillna(False).astype(bool)
    return pd.Series(False, index=orders.index)


def _dates(orders: pd.DataFrame, column: str) -> pd.Series:
    if column in orders.columns:
        return pd.to_datetime(orders[column])
    return pd.Series(pd.NaT, index=orders.index, dtype="datetime64[ns, Asia/Tokyo]")


def surname(names: pd.Series) -> pd.Series:
    """A rough family-name key: the first word, or the first two characters of a joined name.

    Japanese family names are mostly two characters; the estimate only has to tell a family
    (one surname) from unrelated people (many), so an occasional miss is harmless. Computed
    once per distinct name.
    """
    codes, uniques = pd.factorize(names.astype("str"))
    return spread(surname_keys(pd.Series(uniques, dtype="str")), codes, names.index)


def name_facts(orders: pd.DataFrame) -> pd.DataFrame:
    """The name keys of ``orders`` and their codes, each found once per distinct name.

    ``buyer_key`` (the buyer's name, else the recipient's) and ``recipient_key`` are the
    linking keys, ``surname`` the family-name key of the recipient (else the buyer). The codes
    are those :func:`build_features` would give the text: ``name_code`` of ``buyer_key``,
    ``recipient_code`` of ``recipient_key`` where known else ``buyer_key``, and
    ``surname_code``. Found from the distinct names (a few per cent of the orders), not by
    hashing a million keys again.
    """
    index = orders.index
    recipient_name = _text(orders, "recipient_name")
    buyers = distinct_name_keys(_text(orders, "buyer_name").fillna(recipient_name))
    recipients = distinct_name_keys(recipient_name)
    # One numbering of both columns' keys (and, below, of their surnames), renumbered by
    # first appearance over the orders.
    joint = codes(pd.concat([recipients.keys, buyers.keys], ignore_index=True))
    recipient_joint = spread_codes(joint[: len(recipients.keys)], recipients.ids)
    buyer_joint = spread_codes(joint[len(recipients.keys) :], buyers.ids)
    surnames = surname_keys(pd.concat([recipients.names, buyers.names], ignore_index=True))
    by_buyer = np.where(buyers.ids >= 0, len(recipients.names) + buyers.ids, -1)
    surname_ids = np.where(recipients.ids >= 0, recipients.ids, by_buyer)
    return pd.DataFrame(
        {
            "buyer_key": spread(buyers.keys, buyers.ids, index),
            "recipient_key": spread(recipients.keys, recipients.ids, index),
            "surname": spread(surnames, surname_ids, index),
            "name_code": spread_codes(codes(buyers.keys), buyers.ids),
            "recipient_code": renumber(
                np.where(recipient_joint >= 0, recipient_joint, buyer_joint)
            ),
            "surname_code": renumber(spread_codes(codes(surnames), surname_ids)),
        },
        index=index,
    )


def surname_keys(names: pd.Series) -> pd.Series:
    """:func:`surname` of each of ``names`` (distinct names; same index)."""
    raw = names.str.strip().str.replace("\u3000", " ", regex=False)
    first = raw.str.replace(" .*$", "", regex=True)  # the first word
    joined = ~raw.str.contains(" ", regex=False).fillna(False)
    return first.where(~joined, raw.str.slice(0, 2))


def distinct_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each row, how many distinct ``value`` codes its ``group`` has (0 for group -1).

    Missing values (-1) are not counted. One compiled pass (:mod:`.kernels`).
    """
    from sellerguard.rules import kernels

    return kernels.distinct_per_group(group, value)


def sum_per_group(group: np.ndarray, value: np.ndarray) -> np.ndarray:
    """For each row, the sum of ``value`` over its ``group`` (0 for group -1)."""
    from sellerguard.rules import kernels

    return kernels.sum_per_group(group, value)


def build_features(
    orders: pd.DataFrame,
    addresses: pd.DataFrame,
    phones: pd.DataFrame,
    names: pd.DataFrame,
) -> pd.DataFrame:
    """Join address/phone/name facts onto ``orders`` and derive outcome flags and keys.

    Parameters
    ----------
    orders
        The order table of ``OrderSet.orders`` (one row per order id).
    addresses, phones
        The frames ``assess_addresses`` / ``assess_phones`` return, same index as ``orders``.
    names
        ``buyer_key`` and ``recipient_key`` (normalised names), same index as ``orders``;
        or the frame :func:`name_facts` returns, whose surnames and codes are then used.

    Returns
    -------
    DataFrame
        ``orders`` plus the facts, the linking keys (``account_key``, ``name_key``,
        ``phone_key``, ``address_key``), their integer codes (``<kind>_code``) and outcome
        flags (``cancelled``, ``shipped``, ``unpaid``, ``auto_cancelled``, ``cod``, ...).
    """
    frame = pd.concat([orders, addresses, phones, names], axis=1)
    # Codes the facts brought, found once per distinct value; a key the store fills in
    # below (after retention) is coded from its text instead.
    coded = {"surname_code", "prefecture_code", "coarse_code", "address_code"}
    if "stored_phone_key" not in frame.columns:
        coded.add("phone_code")
    if "stored_name_key" not in frame.columns:
        coded |= {"name_code", "recipient_code"}
    if "stored_address_key" in frame.columns:
        coded.discard("address_code")
    coded &= set(frame.columns)
    # The account key and its code (nearly one account per order: the costliest key to
    # hash), and the family names where the name facts did not bring them, are made in a
    # helper thread from their own columns while this thread adds the other columns.
    email = _text(frame, "buyer_email")
    named = _text(frame, "recipient_name").fillna(_text(frame, "buyer_name"))
    known = frame["surname"] if "surname" in frame.columns else None
    code_account = "stored_account_key" not in frame.columns

    def people() -> tuple[pd.Series, np.ndarray | None, pd.Series]:
        account = email.str.strip().str.lower()
        return (
            account,
            codes(account) if code_account else None,
            surname(named) if known is None else known,
        )

    _, (account_key, account_code, surnames) = side_by_side(
        lambda: _add_keys_and_outcomes(frame), people, rows=len(frame)
    )
    frame["account_key"] = account_key
    if account_code is not None:
        frame["account_code"] = account_code
        coded.add("account_code")
    else:  # the store's kept key fills in where the e-mail is gone
        frame["account_key"] = account_key.fillna(frame["stored_account_key"].astype("str"))
    frame["surname"] = surnames
    for name, values in _codes_in_two_threads(frame, frozenset(coded)).items():
        frame[name] = values
    # Places: the full address where known, else postal code + city (integer codes combined,
    # so no million-row strings are built just to be factorised).
    address_code = frame["address_code"].to_numpy()
    offset = int(address_code.max(initial=-1)) + 1
    coarse_code = frame.pop("coarse_code").to_numpy()
    frame["place_code"] = np.where(address_code >= 0, address_code, offset + coarse_code)
    return frame


def _add_keys_and_outcomes(frame: pd.DataFrame) -> None:
    """Add the name, phone, address and place keys and the outcomes to ``frame``."""
    _add_outcomes(frame)
    frame["name_key"] = frame["buyer_key"].astype("str")
    # After retention an order's raw buyer data is gone; the store passes the keys it kept
    # (``stored_<kind>_key``) so the order still links to the others. (The account key is
    # filled in the same way once it is made.)
    for column in ("name_key", "phone_key", "address_key"):
        stored = f"stored_{column}"
        if stored in frame.columns:
            frame[column] = frame[column].astype("str").fillna(frame[stored].astype("str"))
    recipient = frame["recipient_key"].astype("str")
    frame["recipient_key"] = recipient.fillna(frame["name_key"])
    frame["self_recipient"] = (
        (frame["recipient_key"] == frame["name_key"]).fillna(False).astype(bool).to_numpy()
    )
    frame["shipped_paid"] = (frame["shipped"] & ~frame["cod"] & ~frame["returned"]).to_numpy()
    # Where no street lines exist (all-orders report only), the closest thing to an address
    # is postal code + city; it links nothing by itself but separates places for counting.
    place = frame["address_key"].astype("str")
    coarse = place.isna().to_numpy()
    if coarse.any():
        place = place.copy()
        place[coarse] = (
            _text(frame, "postal_code")[coarse].fillna("")
            + "|"
            + _text(frame, "ship_city")[coarse].fillna("")
        )
    frame["place_key"] = place


def _add_outcomes(frame: pd.DataFrame) -> None:
    """Add the outcome flags, dates and delays of each order to ``frame``."""
    status = _text(frame, "status").fillna("")
    frame["cancelled"] = status.isin(_CANCELLED).to_numpy()
    frame["shipped"] = status.isin(_SHIPPED).to_numpy()
    frame["pending"] = status.isin(_PENDING).to_numpy()
    in_report = _flag(frame, "in_order_report")
    payment = _text(frame, "payment_method").str.upper().fillna("")
    frame["cod"] = (payment == "COD").to_numpy()
    frame["cvs"] = (payment == "CVS").to_numpy()
    frame["returned"] = _flag(frame, "returned").to_numpy()
    frame["business"] = _flag(frame, "is_business_order").to_numpy()

    purchased = _dates(frame, "purchase_date")
    updated = _dates(frame, "last_updated_date")
    delay = (updated - purchased).dt.total_seconds() / 86400.0
    frame["cancel_delay_days"] = delay.where(frame["cancelled"]).astype("Float64")
    # An order that never reached the order report was never paid (the report lists only
    # orders that became actionable); without the report at all we cannot tell.
    any_report = bool(in_report.any())
    frame["unpaid"] = (~in_report & frame["cancelled"] & any_report).to_numpy() | (
        frame["cvs"] & frame["cancelled"]
    ).to_numpy()
    frame["purchase_day"] = purchased.dt.floor("D")
    # Seconds since the epoch (UTC), for sliding windows in plain integers.
    utc = purchased.dt.tz_convert("UTC").dt.tz_localize(None)
    frame["purchase_seconds"] = utc.to_numpy().astype("datetime64[s]").astype(np.int64)


def _codes_in_two_threads(frame: pd.DataFrame, coded: frozenset[str]) -> dict[str, np.ndarray]:
    """Integer codes of the linking keys not ``coded`` yet, half of them in a helper thread.

    In a scan the facts bring most codes and only the SKU's is left; the rest is for frames
    whose keys the store filled in after retention, and for facts without codes.
    """

    def key(column: str) -> Callable[[], np.ndarray]:
        return lambda: codes(frame[column].astype("str"))

    def pair(first: str, second: str) -> Callable[[], np.ndarray]:
        return lambda: combine_codes(codes(_text(frame, first)), codes(_text(frame, second)))

    # Accounts (nearly one per order, the costliest) and the coarse places here; the other
    # keys, each with fewer distinct values, there.
    here = {
        "account_code": key("account_key"),
        "coarse_code": pair("postal_code", "ship_city"),
    }
    there = {
        "phone_code": key("phone_key"),
        "name_code": key("name_key"),
        "surname_code": key("surname"),
        "recipient_code": key("recipient_key"),
        "address_code": key("address_key"),
        "sku_code": lambda: codes(_text(frame, "sku")),
        "prefecture_code": lambda: codes(
            _text(frame, "prefecture").fillna(_text(frame, "ship_state"))
        ),
    }

    def run(jobs: dict[str, Callable[[], np.ndarray]]) -> dict[str, np.ndarray]:
        return {name: job() for name, job in jobs.items() if name not in coded}

    mine, theirs = side_by_side(lambda: run(here), lambda: run(there), rows=len(frame))
    return {**mine, **theirs}


#: Group statistics: name → (kind, feature column). ``distinct`` counts distinct codes of the
#: column in the group; ``sum`` adds up a boolean column.
GROUP_STATS: dict[str, tuple[str, str]] = {
    "orders": ("count", ""),
    "places": ("distinct", "place_code"),
    "prefectures": ("distinct", "prefecture_code"),
    "names": ("distinct", "name_code"),
    "recipients": ("distinct", "recipient_code"),
    "surnames": ("distinct", "surname_code"),
    "variants": ("distinct", "raw_address_code"),
    "phones": ("distinct", "phone_code"),
    "accounts": ("distinct", "account_code"),
    "cancelled": ("sum", "cancelled"),
    "cod": ("sum", "cod"),
    "unpaid": ("sum", "unpaid"),
    "shipped_paid": ("sum", "shipped_paid"),
    "self": ("sum", "self_recipient"),
    "business": ("sum", "business"),
    "returned": ("sum", "returned"),
}


#: Group statistics are computed on the rows that have a group alone when these are at
#: most this share of the orders.
_SPARSE_SHARE = 0.5


class GroupStats:
    """Statistics of the group each order belongs to, computed per column on first use.

    ``stats["g_places"]`` is a Series (same index as the frame): for every order, the number
    of distinct places in its group; zero for orders with no key. Only the statistics a rule
    asks for are ever computed.
    """

    def __init__(self, frame: pd.DataFrame, group: np.ndarray) -> None:
        self._frame = frame
        self._group = group
        self._values: dict[str, np.ndarray] = {}

    @property
    def group(self) -> np.ndarray:
        """Each order's group code (-1 for none)."""
        return self._group

    @functools.cached_property
    def _sizes(self) -> np.ndarray:
        """Each order's group size (0 for none)."""
        keyed = self._group >= 0
        sizes = np.bincount(self._group[keyed]) if keyed.any() else np.zeros(0, np.int64)
        result = np.zeros(len(self._group), dtype=np.int64)
        result[keyed] = sizes[self._group[keyed]]
        return result

    @functools.cached_property
    def _keyed(self) -> np.ndarray | None:
        """The rows with a group, when they are few enough to compute on them alone.

        A rule that looks in windows only at the groups that could meet its condition
        leaves most orders without a group; their statistics are 0 and need no pass.
        """
        keyed = np.flatnonzero(self._group >= 0)
        return keyed if len(keyed) <= _SPARSE_SHARE * len(self._group) else None

    def values(self, name: str) -> np.ndarray:
        """The statistic ``name`` (without the ``g_`` prefix) as an array."""
        if name not in self._values:
            kind, column = GROUP_STATS[name]
            computed: np.ndarray
            if kind == "count":
                computed = self._sizes.astype(np.float64)
            else:
                per_group = distinct_per_group if kind == "distinct" else sum_per_group
                value = self._frame[column].to_numpy()
                keyed = self._keyed
                if keyed is None:
                    computed = per_group(self._group, value)
                else:
                    found = per_group(self._group[keyed], value[keyed])
                    computed = np.zeros(len(self._group), dtype=found.dtype)
                    computed[keyed] = found
            self._values[name] = computed
        return self._values[name]

    def __getitem__(self, key: str) -> pd.Series:
        return pd.Series(self.values(key.removeprefix("g_")), index=self._frame.index)


class BestOfStats(GroupStats):
    """Per order, the statistics of whichever of several groupings gives it the most orders."""

    def __init__(self, frame: pd.DataFrame, options: list[GroupStats]) -> None:
        super().__init__(frame, np.full(len(frame), -1, dtype=np.int64))
        counts = [option.values("orders") for option in options]
        best = counts[0]
        self._picked: list[np.ndarray] = []
        # Where each later option wins (ties keep the earlier bucketing, like argmax).
        for count in counts[1:]:
            better = count > best
            best = np.where(better, count, best)
            self._picked = [picked & ~better for picked in self._picked] + [better]
        self._options = options

    def values(self, name: str) -> np.ndarray:
        if name not in self._values:
            chosen = self._options[0].values(name).copy()
            for option, picked in zip(self._options[1:], self._picked, strict=True):
                np.copyto(chosen, option.values(name), where=picked)
            self._values[name] = chosen
        return self._values[name]


def group_stats(frame: pd.DataFrame, code: str) -> GroupStats:
    """Lazy statistics of the groups given by the integer column ``code`` (see ``GROUP_STATS``)."""
    return GroupStats(frame, frame[code].to_numpy())


def window_offsets(days: int) -> tuple[int, int, int]:
    """Three bucket-edge offsets for ``days``-long windows: a burst shorter than two thirds
    of the window falls wholly inside one of the three bucketings."""
    return (0, max(days // 3, 1), max(2 * days // 3, 1))


def purchase_days(frame: pd.DataFrame) -> np.ndarray:
    """Each order's purchase day as days since the first (-1 without a date)."""
    day = frame["purchase_day"]
    return np.asarray((day - day.min()).dt.days.fillna(-1).to_numpy(dtype=np.int64))


def window_codes(
    frame: pd.DataFrame,
    code: str,
    days: int,
    offset: int = 0,
    epoch_days: np.ndarray | None = None,
    among: np.ndarray | None = None,
) -> np.ndarray:
    """Codes of (``code`` group, ``days``-long time bucket): groups confined to a window.

    ``offset`` shifts the bucket edges by that many days (see :func:`window_offsets`);
    ``epoch_days`` is :func:`purchase_days` when the caller keeps it. Orders without a key
    or a purchase date get -1, and so do the orders outside ``among`` (a row mask) if given.
    """
    if epoch_days is None:
        epoch_days = purchase_days(frame)
    bucket = np.where(epoch_days >= 0, (epoch_days + offset) // max(days, 1), -1)
    group = frame[code].to_numpy()
    valid = (group >= 0) & (bucket >= 0)
    if among is not None:
        valid &= among
    result = np.full(len(group), -1, dtype=np.int64)
    result[valid] = combine_codes(group[valid], bucket[valid])
    return result


#: The keys whose shared values link orders into groups (``link_groups``).
LINK_KINDS: tuple[str, ...] = ("account", "phone", "address")


def link_groups(frame: pd.DataFrame, kinds: Sequence[str] = LINK_KINDS) -> pd.Series:
    """Connected components of orders that share an account, phone or address key.

    Returns a ``str`` Series: ``G<n>`` for orders linked to at least one other order, NA for
    orders that stand alone. Only orders with a shared key take part, so the work is small.
    """
    n = len(frame)
    shared = np.zeros(n, dtype=bool)
    columns = []
    for kind in kinds:
        group = frame[f"{kind}_code"].to_numpy()
        sizes = np.bincount(group[group >= 0]) if (group >= 0).any() else np.zeros(0, np.int64)
        in_shared = (group >= 0) & (sizes[np.maximum(group, 0)] > 1 if len(sizes) else False)
        shared |= in_shared
        columns.append(np.where(in_shared, group, -1))
    rows = np.flatnonzero(shared)
    if len(rows) == 0:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    # Every row ends up labelled with the smallest row of its component: each group takes
    # its smallest label, then labels jump to their label's label, until nothing changes.
    label = np.arange(len(rows), dtype=np.int64)
    members = []
    for column in columns:
        group = column[rows]
        keyed = np.flatnonzero(group >= 0)
        order = keyed[np.argsort(group[keyed], kind="stable")]
        sorted_group = group[order]
        starts = np.flatnonzero(np.r_[True, sorted_group[1:] != sorted_group[:-1]])
        members.append((order, starts, np.diff(np.r_[starts, len(order)])))
    while True:
        before = label.copy()
        for order, starts, lengths in members:
            if len(order):
                smallest = np.minimum.reduceat(label[order], starts)
                label[order] = np.repeat(smallest, lengths)
        while not np.array_equal(jumped := label[label], label):
            label = jumped
        if np.array_equal(before, label):
            break
    component = pd.factorize(label)[0] + 1
    names = pc.binary_join_element_wise("G", pa.array(component).cast(pa.string()), "")
    picked = np.full(n, -1, dtype=np.int64)
    picked[rows] = np.arange(len(rows))
    return str_series(names.take(pa.array(picked, mask=picked < 0)), frame.index)
