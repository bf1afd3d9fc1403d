"""The heuristics, declared as data.

Each ``Rule`` has a stable ``code``, a default ``weight`` (points added to the 0–100 score at
strength 1), named ``params`` the seller may change, a title and an explanation in Japanese
and English, and a vectorised ``detect`` function. ``detect`` returns one row per order it
fires on (index = order row), with ``strength`` (how strongly, usually 1), ``link`` and
``key`` (the evidence the seller can clear: a link kind and its key) and the values its
explanation quotes. Documentation and the settings page are generated from ``RULES``.
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

import numpy as np
import pandas as pd

from sellerguard.address.normalise import combine_codes
from sellerguard.rules.features import (
    BestOfStats,
    GroupStats,
    distinct_per_group,
    group_stats,
    purchase_days,
    sum_per_group,
    window_codes,
    window_offsets,
)

Params = Mapping[str, float]


class Facts:
    """The feature frame plus cached group statistics, shared by all rules in one scan."""

    def __init__(self, frame: pd.DataFrame, watch: Mapping[str, frozenset[str]]) -> None:
        self.frame = frame
        self.watch = watch
        self._cache: dict[tuple[str, int, int], GroupStats] = {}
        #: Hits of the rules run so far in this scan (after the seller's cleared evidence).
        self.fired: dict[str, pd.DataFrame] = {}
        self._as_of = frame["last_updated_date"].max() if "last_updated_date" in frame else pd.NaT

    def stats(
        self, code: str, window_days: int = 0, offset: int = 0, among: np.ndarray | None = None
    ) -> GroupStats:
        """Group statistics by ``code`` (optionally confined to ``window_days`` buckets).

        With ``among`` (a row mask; windows only) the other rows are left out of every group,
        and the statistics are this caller's own (not cached). A rule whose condition can only
        hold in windows of groups that already meet it over the whole export passes the rows
        of those groups: each of their windows then holds exactly the orders it would, and the
        other orders cost nothing.
        """
        if among is not None:
            group = window_codes(
                self.frame, code, window_days, offset, epoch_days=self.epoch_days, among=among
            )
            return GroupStats(self.frame, group)
        cache_key = (code, window_days, offset)
        if cache_key not in self._cache:
            if window_days:
                group = window_codes(
                    self.frame, code, window_days, offset, epoch_days=self.epoch_days
                )
                self._cache[cache_key] = GroupStats(self.frame, group)
            else:
                self._cache[cache_key] = group_stats(self.frame, code)
        return self._cache[cache_key]

    def windowed(self, code: str, window_days: int, among: np.ndarray | None = None) -> GroupStats:
        """Windowed statistics: per order, the bucketing (of three offsets) with most orders.

        ``among`` as for :meth:`stats`.
        """
        key = (code, window_days, -1)
        if among is None and key in self._cache:
            return self._cache[key]
        options = [
            self.stats(code, window_days, offset, among) for offset in window_offsets(window_days)
        ]
        best = BestOfStats(self.frame, options)
        if among is None:
            self._cache[key] = best
        return best

    @functools.cached_property
    def sku_norm(self) -> np.ndarray:
        """The typical quantity of each order's SKU (median over paid, shipped orders; else all)."""
        frame = self.frame
        qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
        sku = frame["sku_code"].to_numpy()
        paid = frame["shipped"].to_numpy() & ~frame["cod"].to_numpy()
        base = pd.Series(qty).where(paid | ~paid.any())
        medians = base.groupby(sku).transform("median").fillna(1).to_numpy()
        return np.asarray(np.maximum(medians, 1.0))

    @functools.cached_property
    def epoch_days(self) -> np.ndarray:
        """Each order's purchase day counted from the first (-1 without a date)."""
        return purchase_days(self.frame)

    @functools.cached_property
    def sku_time_order(self) -> np.ndarray:
        """Rows of orders with a SKU and a purchase date, sorted by SKU, then by moment."""
        sku = self.frame["sku_code"].to_numpy()
        moment = self.frame["purchase_seconds"].to_numpy()
        dated = self.frame["purchase_date"].notna().to_numpy()
        order = np.lexsort((moment, sku))
        return np.asarray(order[(sku[order] >= 0) & dated[order]])

    @property
    def as_of(self) -> pd.Timestamp:
        """The export's moment: the latest update seen (falls back to the latest purchase)."""
        if pd.isna(self._as_of):
            return pd.Timestamp(self.frame["purchase_day"].max())
        return pd.Timestamp(self._as_of)


Detector = Callable[[Facts, Params], pd.DataFrame]


@dataclass(frozen=True)
class Rule:
    """One heuristic: what it is called, how much it weighs, how it explains itself."""

    code: str
    weight: int
    title: Mapping[str, str]
    explain: Mapping[str, str]
    detect: Detector
    params: Mapping[str, float] = field(default_factory=dict)
    param_help: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    #: Relative detection time on a large export (1 = one pass over a few columns); a scan
    #: shares the rules between two threads by it.
    cost: float = 1.0
    #: Reads the hits of the rules before it (``Facts.fired``): runs after all of them.
    reads_hits: bool = False


def _hits(
    facts: Facts,
    mask: np.ndarray | pd.Series,
    link: str,
    key: str,
    **values: pd.Series | float | str,
) -> pd.DataFrame:
    """The hit frame for the rows in ``mask``: strength 1 unless given, evidence, values.

    Only the selected rows are ever converted, so a rule that fires on a few orders costs
    little even over a million.
    """
    frame = facts.frame
    selected = np.asarray(mask, dtype=bool)
    keys = frame[key][selected].astype("str")
    keys = keys.fillna(frame["order_id"][selected])
    data: dict[str, object] = {"strength": 1.0, "link": link, "key": keys.to_numpy()}
    for name, value in values.items():
        if isinstance(value, pd.Series):
            data[name] = value[selected].to_numpy() if len(value) == len(selected) else value
        else:
            data[name] = value
    return pd.DataFrame(data, index=frame.index[selected])


# --- undeliverable addresses -----------------------------------------------------------------

#: Problems that need the street lines (the order report); postal-code problems do not.
_NEEDS_STREET = {"block_missing", "address_nonsense", "postcode_missing"}


def _address_problem(problem: str) -> Detector:
    def detect(facts: Facts, params: Params) -> pd.DataFrame:
        frame = facts.frame
        mask = (frame["address_problem"] == problem).fillna(False).to_numpy()
        if problem in _NEEDS_STREET:
            mask = mask & frame["ship_address_1"].notna().to_numpy()
        # The quoted values are built for the hit rows only.
        quoted = frame.loc[mask, ["ship_postal_code", *_PLACE_COLUMNS]].astype("str")
        return _hits(
            facts,
            mask,
            "address",
            "place_key",
            postal_code=quoted["ship_postal_code"].fillna("-"),
            jp_place=(
                quoted["prefecture"].fillna("")
                + quoted["city"].fillna("")
                + quoted["town"].fillna("")
            ),
            given=quoted["ship_state"].fillna("") + quoted["ship_city"].fillna(""),
        )

    return detect


_PLACE_COLUMNS = ("prefecture", "city", "town", "ship_state", "ship_city")


def _address_rule(code: str, weight: int, ja: str, en: str, title_ja: str, title_en: str) -> Rule:
    problem = "nonsense" if code == "address_nonsense" else code
    return Rule(
        code=code,
        weight=weight,
        title={"ja": title_ja, "en": title_en},
        explain={"ja": ja, "en": en},
        detect=_address_problem(problem),
    )


# --- names and phones ------------------------------------------------------------------------

_NONSENSE_NAME = r"^(?:[A-Za-z]{1,3}|(.)\1+|[ァ-ンぁ-んー]|[0-9０-９]+|テスト|test|ダミー|dummy|なし|無し|名無し|ななし|xxx+)$"


def _name_nonsense(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    # Once per distinct name: the pattern needs Python's regex engine (a back-reference).
    codes, uniques = pd.factorize(frame["recipient_key"].astype("str"))
    odd = pd.Series(uniques, dtype="str").str.fullmatch(_NONSENSE_NAME, case=False)
    lookup = np.append(odd.fillna(False).to_numpy(dtype=bool), False)
    mask = lookup[codes]
    return _hits(facts, mask, "name", "name_key")


def _phone_problem(problem: str) -> Detector:
    def detect(facts: Facts, params: Params) -> pd.DataFrame:
        frame = facts.frame
        mask = (frame["phone_problem"] == problem).fillna(False).to_numpy()
        return _hits(facts, mask, "phone", "phone_key")

    return detect


# --- one identity, many places ---------------------------------------------------------------


def _bad_orders(stats: GroupStats) -> np.ndarray:
    """Each group's orders that were unpaid, cancelled, returned or COD to oneself.

    Cash on delivery counts only when addressed to the buyer's own name: a gift sender pays
    for parcels to other people; a harvester has them sent to "himself" everywhere.
    """
    cod_self = np.minimum(stats.values("cod"), stats.values("self"))
    bad = cod_self + stats.values("unpaid") + stats.values("cancelled") + stats.values("returned")
    return np.asarray(bad)


def _bad_share(stats: GroupStats) -> np.ndarray:
    """Share of a group's orders that were bad (:func:`_bad_orders`)."""
    return np.asarray(_bad_orders(stats) / np.maximum(stats.values("orders"), 1))


def _identity_many_places(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    min_places = params["min_places"]
    share = params["bad_share"]
    parts = []
    # By account (the relay address identifies one Amazon account) over the whole export.
    acc = facts.stats("account_code")
    mask = (
        (acc.values("places") >= min_places)
        & (_bad_share(acc) >= share)
        & (frame["account_code"].to_numpy() >= 0)
    )
    parts.append(
        _hits(
            facts,
            mask,
            "account",
            "account_key",
            places=acc["g_places"],
            kind_ja="アカウント",
            kind_en="account",
        )
    )
    # By buyer name within a few days: a person cannot live at several addresses at once.
    # A window holds no more places, prefectures, parcels to oneself or bad orders than the
    # name has over the whole export (and it needs at least ``bad_share`` of ``min_places``
    # orders bad), so only names that have enough there are looked at in windows.
    days = int(params["window_days"])
    whole = facts.stats("name_code")
    long_name = frame["name_key"].astype("str").str.len().fillna(0).to_numpy() >= 3
    candidates = (
        long_name
        & (whole.values("places") >= min_places)
        & (whole.values("prefectures") >= 2)
        & (whole.values("self") >= min_places)
        # (divided, not ``share * min_places``: rounded division keeps the order of the
        # window's own ``bad / orders >= share``, where a product may round up past it)
        & (_bad_orders(whole) / max(min_places, 1) >= share)
    )
    nam = facts.windowed("name_code", days, among=candidates)
    bad = _bad_share(nam)
    mask = (
        (nam["g_places"] >= min_places)
        & (nam["g_prefectures"] >= 2)
        & (bad >= share)
        & (nam["g_self"] >= min_places)
    ).to_numpy() & candidates
    parts.append(
        _hits(
            facts, mask, "name", "name_key", places=nam["g_places"], kind_ja="氏名", kind_en="name"
        )
    )
    hits = pd.concat([p for p in parts if len(p)]) if any(len(p) for p in parts) else parts[0]
    hits = hits[~hits.index.duplicated(keep="first")]
    hits["strength"] = np.minimum(1.5, hits["places"].astype(float) / min_places)
    return hits


def _one_shot(facts: Facts, link_code: str, member_code: str) -> np.ndarray:
    """Rows whose member (a name) appears with this link key (address, phone) only once.

    Families, share-house residents and relatives order again and again under their own
    names; harassers' names are mostly used once.
    """
    frame = facts.frame
    link = frame[link_code].to_numpy()
    member = frame[member_code].to_numpy()
    valid = (link >= 0) & (member >= 0)
    pairs = combine_codes(link, member)
    counts = np.bincount(pairs)[pairs]
    return np.asarray(valid & (counts == 1))


def _distinct_where(facts: Facts, group: np.ndarray, column: str, rows: np.ndarray) -> np.ndarray:
    """Per row: distinct values of ``column`` among the ``rows`` of its ``group``."""
    return distinct_per_group(group, np.where(rows, facts.frame[column].to_numpy(), -1))


# --- one address, many names -----------------------------------------------------------------


def _address_many_names(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    days = int(params["window_days"])
    min_names = params["min_names"]
    best_names = np.zeros(len(frame), dtype=np.int64)
    best_surnames = np.zeros(len(frame), dtype=np.int64)
    once = _one_shot(facts, "address_code", "recipient_code")
    # A window holds no more names, surnames or spellings than the address has over the
    # whole export, so only addresses that have enough there are looked at in windows.
    address = frame["address_code"].to_numpy()
    candidates = (
        (address >= 0)
        & (_distinct_where(facts, address, "recipient_code", once) >= min_names)
        & (_distinct_where(facts, address, "surname_code", once) >= min_names - 1)
        & (facts.stats("address_code").values("variants") >= 2)
    )
    options = [
        facts.stats("address_code", days, offset, among=candidates)
        for offset in window_offsets(days)
    ]
    for option in options:
        names = _distinct_where(facts, option.group, "recipient_code", once)
        better = names > best_names
        best_names = np.where(better, names, best_names)
        surnames = _distinct_where(facts, option.group, "surname_code", once)
        best_surnames = np.where(better, surnames, best_surnames)
    stats = BestOfStats(frame, options)
    mask = (
        (best_names >= min_names)
        & (best_surnames >= min_names - 1)
        & (stats["g_variants"].to_numpy() >= 2)
        & (stats["g_business"].to_numpy() * 2 < stats["g_orders"].to_numpy())
        & candidates
    )
    hits = _hits(
        facts,
        mask,
        "address",
        "address_key",
        names=pd.Series(best_names),
        variants=stats["g_variants"],
    )
    hits["strength"] = np.minimum(1.5, hits["names"].astype(float) / min_names)
    return hits


# --- one phone, many names and places --------------------------------------------------------


def _phone_many_names(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    stats = facts.stats("phone_code")
    min_names = params["min_names"]
    group = frame["phone_code"].to_numpy()
    # One-shot buyers, not recipients: a gift sender is one buyer shipping to many people.
    once = _one_shot(facts, "phone_code", "name_code")
    one_shot = _distinct_where(facts, group, "name_code", once)
    surnames = _distinct_where(facts, group, "surname_code", once)
    mask = (
        (one_shot >= min_names)
        & (surnames >= min_names - 1)
        & (stats["g_places"].to_numpy() >= params["min_places"])
        & (stats["g_business"].to_numpy() * 2 < stats["g_orders"].to_numpy())
        & (group >= 0)
    )
    hits = _hits(
        facts, mask, "phone", "phone_key", names=pd.Series(one_shot), places=stats["g_places"]
    )
    hits["strength"] = np.minimum(1.5, hits["names"].astype(float) / min_names)
    return hits


# --- repeated cancellations ------------------------------------------------------------------


_REPEAT_KINDS = (
    ("account", "account_code"),
    ("phone", "phone_code"),
    ("address", "address_code"),
    ("name", "name_code"),
)


def _repeat_cancel(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    minimum = params["min_cancellations"]
    share = params["min_share"]
    cancelled = frame["cancelled"].to_numpy() | frame["pending"].to_numpy()
    best = np.zeros(len(frame))
    chosen = np.full(len(frame), -1, dtype=np.int64)
    for number, (_, code) in enumerate(_REPEAT_KINDS):
        stats = facts.stats(code)
        count = stats.values("cancelled")
        ratio = count / np.maximum(stats.values("orders"), 1)
        fires = (count >= minimum) & (ratio >= share) & cancelled & (frame[code].to_numpy() >= 0)
        better = fires & (count > best)
        best = np.where(better, count, best)
        chosen = np.where(better, number, chosen)
    mask = best > 0
    rows = np.flatnonzero(mask)
    kinds = chosen[mask]
    link = np.array([kind for kind, _ in _REPEAT_KINDS], dtype=object)[kinds]
    keys = np.empty(len(rows), dtype=object)
    for number, (kind, _) in enumerate(_REPEAT_KINDS):
        picked = kinds == number
        if picked.any():
            column = frame[f"{kind}_key"].iloc[rows[picked]]
            keys[picked] = column.astype("str").to_numpy(dtype=object)
    return pd.DataFrame(
        {
            "strength": np.minimum(1.5, best[mask] / minimum),
            "link": link,
            "key": keys,
            "cancellations": best[mask].astype(int),
        },
        index=frame.index[mask],
    )


# --- convenience-store stock lock ------------------------------------------------------------


def _auto_cancelled(facts: Facts, params: Params) -> np.ndarray:
    frame = facts.frame
    delay = frame["cancel_delay_days"].astype("Float64").fillna(-1).to_numpy(dtype=float)
    unpaid = frame["unpaid"].to_numpy()
    if "in_order_report" not in frame or not frame["in_order_report"].fillna(False).any():
        # No order report at all (e.g. an SP-API pull without the restricted role): whether
        # an order was paid is unknown, and the automatic cancellation ~6 days after
        # purchase is itself the sign.
        unpaid = frame["cancelled"].to_numpy()
    lifecycle = unpaid & (delay >= params["min_days"]) & (delay <= params["max_days"])
    return np.asarray(lifecycle | (frame["cvs"].to_numpy() & frame["cancelled"].to_numpy()))


def _cvs_lock(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    mask = _auto_cancelled(facts, params)
    delay = frame["cancel_delay_days"].astype("Float64").fillna(0).round(1)
    return _hits(facts, mask, "sku", "sku", days=delay, quantity=frame["quantity"].astype("Int64"))


def _cvs_lock_quantity(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
    norm = facts.sku_norm
    mask = _auto_cancelled(facts, params) & (
        qty >= np.maximum(params["min_quantity"], params["factor"] * norm)
    )
    return _hits(
        facts,
        mask,
        "sku",
        "sku",
        quantity=pd.Series(qty.astype(int)),
        norm=pd.Series(norm.round(1)),
    )


def _cvs_lock_repeat(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    locked = _auto_cancelled(facts, params)
    seconds = params["window_days"] * 86400.0
    count = _count_in_window(facts, locked, seconds)
    qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
    large = locked & (qty >= np.maximum(2.0, 2.0 * facts.sku_norm))
    large_count = _count_in_window(facts, large, seconds)
    volume = _count_in_window(facts, np.ones(len(frame), dtype=bool), seconds)
    mask = locked & (
        (large & (large_count >= params["min_repeats"]))
        | ((count >= params["min_repeats"] + 1) & (count >= params["min_share"] * volume))
    )
    hits = _hits(facts, mask, "sku", "sku", repeats=pd.Series(count), days=params["window_days"])
    hits["strength"] = np.minimum(1.5, hits["repeats"].astype(float) / params["min_repeats"])
    return hits


def _count_in_window(facts: Facts, selected: np.ndarray, seconds: float) -> np.ndarray:
    """For each selected order, how many selected orders of its SKU fall within ±``seconds``."""
    frame = facts.frame
    result = np.zeros(len(frame), dtype=np.int64)
    order = facts.sku_time_order
    rows = order[selected[order]]  # the selected orders, sorted by SKU then purchase moment
    if len(rows) == 0:
        return result
    times = frame["purchase_seconds"].to_numpy()[rows]
    sku = frame["sku_code"].to_numpy()[rows].astype(np.int64)
    # One integer axis with a gap wider than the window between SKUs: ±seconds never
    # reaches another SKU's orders.
    start = int(times.min())
    width = int(times.max()) - start + int(np.ceil(seconds)) + 1
    key = sku * width + (times - start)
    lo = np.searchsorted(key, key - seconds, side="left")
    hi = np.searchsorted(key, key + seconds, side="right")
    result[rows] = hi - lo
    return result


def _pending_hold(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    age = (facts.as_of - pd.to_datetime(frame["purchase_date"])).dt.total_seconds() / 86400.0
    qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
    norm = facts.sku_norm
    mask = (
        frame["pending"].to_numpy()
        & (age.fillna(0).to_numpy() >= params["min_days"])
        & (qty >= np.maximum(params["min_quantity"], params["factor"] * norm))
    )
    return _hits(facts, mask, "sku", "sku", days=age.round(1), quantity=pd.Series(qty.astype(int)))


# --- abnormal quantity and bursts ------------------------------------------------------------


def _quantity_abnormal(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
    norm = facts.sku_norm
    acc = facts.stats("account_code")
    paid_history = acc["g_shipped_paid"].to_numpy() >= 2
    large = qty >= np.maximum(params["min_quantity"], params["factor"] * norm)
    paid_and_shipped = (
        frame["shipped"].to_numpy() & ~frame["cod"].to_numpy() & ~frame["returned"].to_numpy()
    )
    strength = np.where(
        frame["cancelled"].to_numpy() | frame["unpaid"].to_numpy() | frame["pending"].to_numpy(),
        1.0,
        np.where(frame["cod"].to_numpy(), 0.8, 0.5),
    )
    locked = _auto_cancelled(facts, {"min_days": 4.5, "max_days": 8.0})
    # An unpaid auto-cancelled order's quantity is judged by cvs_lock_quantity instead.
    mask = large & ~paid_and_shipped & ~locked & ~(frame["business"].to_numpy() & paid_history)
    hits = _hits(
        facts,
        mask,
        "sku",
        "sku",
        quantity=pd.Series(qty.astype(int)),
        norm=pd.Series(norm.round(1)),
    )
    hits["strength"] = strength[mask]
    return hits


def _sku_burst(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    seconds = params["window_hours"] * 3600.0
    everything = np.ones(len(frame), dtype=bool)
    bad = (
        frame["cancelled"].to_numpy()
        | frame["unpaid"].to_numpy()
        | frame["pending"].to_numpy()
        | frame["cod"].to_numpy() & frame["returned"].to_numpy()
    )
    total = _count_in_window(facts, everything, seconds)
    bad_count = _count_in_window(facts, bad, seconds)
    qty = frame["quantity"].astype("Float64").fillna(1).to_numpy(dtype=float)
    above = qty >= np.maximum(2.0, params["factor"] * facts.sku_norm)
    burst = (bad_count >= params["min_orders"]) & (total >= params["min_orders"])
    mask = above & burst
    # Accounts seen for the first time (or unknown: never reached the order report).
    account = frame["account_code"].to_numpy()
    moment = frame["purchase_seconds"].to_numpy()
    first_seen = pd.Series(moment).groupby(account).transform("min").to_numpy()
    new = (account < 0) | (moment == first_seen)
    new_count = _count_in_window(facts, bad & new, seconds)
    hits = _hits(
        facts,
        mask,
        "sku",
        "sku",
        orders=pd.Series(bad_count),
        new_accounts=pd.Series(new_count),
        hours=params["window_hours"],
    )
    # A large order arriving inside the burst belongs to it even when it was paid.
    hits["strength"] = np.where(bad[mask], 1.0, 0.9)
    return hits


# --- cash on delivery (exports from before 2024-06-06) ---------------------------------------


def _cod_refused(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    returned = frame["returned"].to_numpy()
    reason = frame["return_reason"].astype("str") if "return_reason" in frame else None
    refused = (
        reason.str.contains(_REFUSAL, case=False, regex=True).fillna(False).to_numpy()
        if reason is not None
        else np.zeros(len(frame), dtype=bool)
    )
    mask = frame["cod"].to_numpy() & (returned | frame["cancelled"].to_numpy())
    hits = _hits(facts, mask, "address", "place_key")
    # Refused or undeliverable: the full pattern. Another return (defective ...) or a
    # cancellation before shipping: a weak hint only.
    hits["strength"] = np.where((returned & refused)[mask], 1.0, 0.4)
    return hits


_REFUSAL = r"REFUS|UNDELIVER|拒否|受取|受け取り|不在|保管期限|宛先不明|あて所|転居"


def _cod_to_strangers(facts: Facts, params: Params) -> pd.DataFrame:
    """Cash-on-delivery parcels to other people's names, in bulk, within a day or two.

    A harvester has COD parcels sent to real people (names and addresses collected
    elsewhere): one account sends many, or several accounts hit one SKU the same day. A gift
    sender occasionally pays COD for a few presents from one account.
    """
    frame = facts.frame
    days = int(params["window_days"])
    strangers = (
        frame["cod"].to_numpy()
        & ~frame["self_recipient"].to_numpy()
        & (frame["recipient_code"].to_numpy() >= 0)
    )
    best_by_account = np.zeros(len(frame), dtype=np.int64)
    best_accounts = np.zeros(len(frame), dtype=np.int64)
    best_on_sku = np.zeros(len(frame), dtype=np.int64)
    # Exports since cash on delivery ended (2024-06-06) have no COD order: nothing to count.
    for offset in range(days) if strangers.any() else ():
        account_group = facts.stats("account_code", days, offset).group
        recipients = _distinct_where(facts, account_group, "recipient_code", strangers)
        best_by_account = np.maximum(best_by_account, recipients)
        sku_group = facts.stats("sku_code", days, offset).group
        on_sku = _distinct_where(facts, sku_group, "recipient_code", strangers)
        accounts = _distinct_where(facts, sku_group, "account_code", strangers)
        better = on_sku > best_on_sku
        best_on_sku = np.where(better, on_sku, best_on_sku)
        best_accounts = np.where(better, accounts, best_accounts)
    by_account = best_by_account >= params["min_recipients"]
    by_sku = (best_on_sku >= params["min_recipients"] - 1) & (best_accounts >= 2)
    mask = strangers & (by_account | by_sku)
    count = np.maximum(best_by_account, best_on_sku)
    hits = _hits(facts, mask, "account", "account_key", recipients=pd.Series(count), days=days)
    hits["strength"] = np.minimum(1.5, hits["recipients"].astype(float) / params["min_recipients"])
    return hits


def _lock_same_place(facts: Facts, params: Params) -> pd.DataFrame:
    """Unpaid, auto-cancelled orders repeated to one postal code within a month."""
    frame = facts.frame
    locked = _auto_cancelled(facts, params)
    days = int(params["window_days"])
    best = np.zeros(len(frame), dtype=np.int64)
    rows = locked & (frame["place_code"].to_numpy() >= 0)
    for offset in window_offsets(days):
        group = facts.stats("place_code", days, offset).group
        # One row per order, so counting the locked rows counts the locked orders.
        best = np.maximum(best, sum_per_group(group, rows).astype(np.int64))
    mask = rows & (best >= params["min_repeats"])
    return _hits(facts, mask, "address", "place_key", repeats=pd.Series(best), days=days)


#: Rules whose hits mark an identity (account, phone) as a harasser's.
_IDENTITY_RULES = (
    "repeat_cancel",
    "phone_many_names",
    "identity_many_places",
    "cod_to_strangers",
)


def _linked_to_flagged(facts: Facts, params: Params) -> pd.DataFrame:
    """Orders sharing an account or phone with orders an identity rule flagged, nearby in time.

    A harasser sometimes pays for one order to look normal; it belongs with the others.
    """
    frame = facts.frame
    days = params["window_days"]
    flagged = np.zeros(len(frame), dtype=bool)
    position = pd.Series(np.arange(len(frame)), index=frame.index)
    for code in _IDENTITY_RULES:
        hits = facts.fired.get(code)
        if hits is not None and len(hits):
            flagged[position.loc[hits.index].to_numpy()] = True
    if not flagged.any():
        return _hits(facts, flagged, "account", "account_key")
    moment = frame["purchase_seconds"].to_numpy()
    seconds = (moment - moment.min()).astype(np.float64)
    result = np.zeros(len(frame), dtype=bool)
    by_phone = np.zeros(len(frame), dtype=bool)
    for kind, code in (("account", "account_code"), ("phone", "phone_code")):
        group = frame[code].to_numpy()
        keyed = group >= 0
        seed = flagged & keyed
        if not seed.any():
            continue
        # Earliest and latest flagged moment per key (codes are dense, so arrays indexed by
        # code); a linked order falls within the window around them.
        first = np.full(int(group.max()) + 1, np.inf)
        last = np.full(len(first), -np.inf)
        np.minimum.at(first, group[seed], seconds[seed])
        np.maximum.at(last, group[seed], seconds[seed])
        key = np.maximum(group, 0)
        near = (seconds >= first[key] - days * 86400) & (seconds <= last[key] + days * 86400)
        fresh = keyed & ~flagged & ~result & near
        if kind == "phone":
            by_phone = fresh
        result |= fresh
    hits = _hits(facts, result, "account", "account_key")
    phone_rows = by_phone[result]
    hits["link"] = np.where(phone_rows, "phone", "account")
    if phone_rows.any():
        phone_keys = frame["phone_key"][by_phone].astype("str").to_numpy()
        hits.loc[phone_rows, "key"] = phone_keys
    return hits


# --- the seller's own knowledge --------------------------------------------------------------


def _watchlist(facts: Facts, params: Params) -> pd.DataFrame:
    frame = facts.frame
    parts = []
    for kind, column in (
        ("address", "address_key"),
        ("phone", "phone_key"),
        ("name", "name_key"),
        ("account", "account_key"),
    ):
        keys = facts.watch.get(kind)
        if not keys:
            continue
        mask = frame[column].astype("str").isin(keys).fillna(False).to_numpy()
        hits = _hits(facts, mask, kind, column)
        parts.append(
            hits.assign(
                kind_ja={
                    "address": "住所",
                    "phone": "電話番号",
                    "name": "氏名",
                    "account": "アカウント",
                }[kind],
                kind_en=kind,
            )
        )
    if not parts:
        return _hits(
            facts, np.zeros(len(frame), dtype=bool), "", "order_id", kind_ja="", kind_en=""
        )
    hits = pd.concat(parts)
    return hits[~hits.index.duplicated(keep="first")]


RULES: tuple[Rule, ...] = (
    _address_rule(
        "postcode_unknown",
        45,
        "郵便番号 {postal_code} は日本郵便のデータに存在しません（架空の住所の可能性）。",
        "Postal code {postal_code} does not exist in Japan Post's data (possibly an invented address).",
        "存在しない郵便番号",
        "Postal code does not exist",
    ),
    _address_rule(
        "postcode_other_prefecture",
        45,
        "郵便番号 {postal_code} は {jp_place} のもので、入力された都道府県（{given}）と一致しません。",
        "Postal code {postal_code} belongs to {jp_place}, not to the prefecture given ({given}).",
        "郵便番号と都道府県が不一致",
        "Postal code of another prefecture",
    ),
    _address_rule(
        "postcode_other_city",
        40,
        "郵便番号 {postal_code} は {jp_place} のもので、入力された市区町村（{given}）と一致しません。",
        "Postal code {postal_code} belongs to {jp_place}, not to the city given ({given}).",
        "郵便番号と市区町村が不一致",
        "Postal code of another city",
    ),
    _address_rule(
        "postcode_other_town",
        35,
        "郵便番号 {postal_code} は {jp_place} のもので、住所の町域と一致しません。",
        "Postal code {postal_code} belongs to {jp_place}; the address names another town.",
        "郵便番号と町域が不一致",
        "Postal code of another town",
    ),
    _address_rule(
        "postcode_missing",
        35,
        "郵便番号がありません。",
        "The postal code is missing.",
        "郵便番号なし",
        "Postal code missing",
    ),
    _address_rule(
        "postcode_malformed",
        35,
        "郵便番号 {postal_code} は7桁の形式ではありません。",
        "Postal code {postal_code} is not seven digits.",
        "郵便番号の形式が不正",
        "Malformed postal code",
    ),
    _address_rule(
        "block_missing",
        35,
        "番地（丁目・番・号）がなく、配達できない住所です。",
        "The block number (番地) is missing, so the parcel cannot be delivered.",
        "番地なし",
        "Block number missing",
    ),
    _address_rule(
        "address_nonsense",
        45,
        "住所が意味をなしていません（記号や無意味な文字列）。",
        "The address is nonsense (symbols or meaningless text).",
        "意味のない住所",
        "Nonsense address",
    ),
    Rule(
        code="name_nonsense",
        weight=20,
        title={"ja": "不自然な氏名", "en": "Implausible name"},
        explain={
            "ja": "氏名が不自然です（1文字、記号、「テスト」など）。",
            "en": "The name is implausible (one character, letters only, 'test' ...).",
        },
        detect=_name_nonsense,
    ),
    Rule(
        code="phone_invalid",
        weight=20,
        title={"ja": "無効な電話番号", "en": "Invalid phone number"},
        explain={
            "ja": "電話番号が日本の番号として成り立ちません。",
            "en": "The phone number is not a valid Japanese number.",
        },
        detect=_phone_problem("phone_invalid"),
    ),
    Rule(
        code="phone_placeholder",
        weight=30,
        title={"ja": "ダミーの電話番号", "en": "Placeholder phone number"},
        explain={
            "ja": "電話番号がダミー（000…、同じ数字の繰り返しなど）です。",
            "en": "The phone number is a placeholder (000…, one digit repeated ...).",
        },
        detect=_phone_problem("phone_placeholder"),
    ),
    Rule(
        code="phone_service",
        weight=20,
        title={"ja": "配達先に使えない電話番号", "en": "Service number as ship phone"},
        explain={
            "ja": "お届け先の電話番号がフリーダイヤル・ナビダイヤル・IP電話などのサービス番号です。",
            "en": "The ship phone is a service number (freephone, navi-dial, IP phone ...).",
        },
        detect=_phone_problem("phone_service"),
    ),
    Rule(
        code="identity_many_places",
        weight=45,
        title={"ja": "同一人物から多数の住所へ", "en": "One identity, many addresses"},
        explain={
            "ja": "同じ{kind_ja}から{places}か所の異なる住所へ注文があり、代引き・未払い・キャンセルが多くを占めます。",
            "en": "One {kind_en} ordered to {places} different addresses, mostly cash on delivery, unpaid or cancelled.",
        },
        detect=_identity_many_places,
        cost=16,
        params={"min_places": 3, "bad_share": 0.6, "window_days": 4},
        param_help={
            "min_places": {"ja": "異なる住所の最少数", "en": "Minimum distinct addresses"},
            "bad_share": {
                "ja": "代引き・未払い・キャンセルの割合",
                "en": "Share of COD / unpaid / cancelled orders",
            },
            "window_days": {"ja": "氏名で見る期間（日）", "en": "Window for names (days)"},
        },
    ),
    Rule(
        code="address_many_names",
        weight=40,
        title={"ja": "同じ住所に多数の名義", "en": "One address, many names"},
        explain={
            "ja": "同じ住所に短期間で{names}人の異なる名義（姓もばらばら）から注文があり、住所の書き方が{variants}通りあります。",
            "en": "{names} different names (different surnames) ordered to one address within a short time, typed {variants} different ways.",
        },
        detect=_address_many_names,
        cost=6,
        params={"min_names": 4, "window_days": 30},
        param_help={
            "min_names": {"ja": "名義の最少数", "en": "Minimum distinct names"},
            "window_days": {"ja": "期間（日）", "en": "Window (days)"},
        },
    ),
    Rule(
        code="phone_many_names",
        weight=40,
        title={"ja": "同じ電話番号に多数の名義と住所", "en": "One phone, many names and addresses"},
        explain={
            "ja": "同じ電話番号が{names}人の異なる名義（姓もばらばら）と{places}か所の住所で使われています。",
            "en": "One phone number is used by {names} different names (different surnames) at {places} addresses.",
        },
        detect=_phone_many_names,
        cost=4,
        params={"min_names": 3, "min_places": 3},
        param_help={
            "min_names": {"ja": "名義の最少数", "en": "Minimum distinct names"},
            "min_places": {"ja": "住所の最少数", "en": "Minimum distinct addresses"},
        },
    ),
    Rule(
        code="repeat_cancel",
        weight=40,
        title={"ja": "キャンセルの繰り返し", "en": "Repeated cancellations"},
        explain={
            "ja": "同じ{link}で{cancellations}回キャンセル（または未払い）が繰り返されています。",
            "en": "The same {link} has cancelled (or left unpaid) {cancellations} orders.",
        },
        detect=_repeat_cancel,
        cost=3,
        params={"min_cancellations": 3, "min_share": 0.5},
        param_help={
            "min_cancellations": {"ja": "キャンセル回数の最少数", "en": "Minimum cancellations"},
            "min_share": {"ja": "注文に占めるキャンセルの割合", "en": "Share of orders cancelled"},
        },
    ),
    Rule(
        code="cvs_lock",
        weight=20,
        title={"ja": "未払いのまま自動キャンセル", "en": "Unpaid, then auto-cancelled"},
        explain={
            "ja": "保留中のまま支払われず、購入から約{days}日後にキャンセルされました（コンビニ払いの未払いと同じ経過）。",
            "en": "Stayed pending unpaid and was cancelled about {days} days after purchase (the convenience-store non-payment lifecycle).",
        },
        detect=_cvs_lock,
        params={"min_days": 4.5, "max_days": 8.0},
        param_help={
            "min_days": {"ja": "キャンセルまでの最短日数", "en": "Earliest cancellation (days)"},
            "max_days": {"ja": "キャンセルまでの最長日数", "en": "Latest cancellation (days)"},
        },
    ),
    Rule(
        code="cvs_lock_quantity",
        weight=25,
        title={"ja": "在庫を押さえる大量の未払い注文", "en": "Unpaid order locking stock"},
        explain={
            "ja": "未払いで自動キャンセルされた注文の数量が{quantity}個で、この商品の通常（{norm}個）を大きく超えています。",
            "en": "The unpaid, auto-cancelled order was for {quantity} units, far above this SKU's usual {norm}.",
        },
        detect=_cvs_lock_quantity,
        params={"min_days": 4.5, "max_days": 8.0, "min_quantity": 4, "factor": 3.0},
        param_help={
            "min_quantity": {"ja": "最少数量", "en": "Minimum quantity"},
            "factor": {"ja": "通常数量の何倍か", "en": "Times the usual quantity"},
        },
    ),
    Rule(
        code="cvs_lock_repeat",
        weight=30,
        title={"ja": "同じ商品で未払いの繰り返し", "en": "Repeated unpaid orders on one SKU"},
        explain={
            "ja": "同じ商品で{days}日以内に未払い・自動キャンセルの注文が{repeats}件繰り返されています（保留テロの典型）。",
            "en": "{repeats} unpaid, auto-cancelled orders on this SKU within {days} days (the stock-lock pattern).",
        },
        detect=_cvs_lock_repeat,
        cost=5,
        params={
            "min_days": 4.5,
            "max_days": 8.0,
            "window_days": 30,
            "min_repeats": 2,
            "min_share": 0.15,
        },
        param_help={
            "window_days": {"ja": "期間（日）", "en": "Window (days)"},
            "min_repeats": {
                "ja": "最少件数（大量注文の場合）",
                "en": "Minimum orders (large quantities)",
            },
            "min_share": {
                "ja": "少量の場合、商品の注文に占める未払いの割合",
                "en": "For small quantities, share of the SKU's orders left unpaid",
            },
        },
    ),
    Rule(
        code="pending_hold",
        weight=30,
        title={"ja": "大量の注文が保留中のまま", "en": "Large order still pending"},
        explain={
            "ja": "{quantity}個の注文が{days}日間支払われず保留中です（在庫を押さえられています）。",
            "en": "An order for {quantity} units has been pending unpaid for {days} days, locking stock.",
        },
        detect=_pending_hold,
        params={"min_days": 1.0, "min_quantity": 3, "factor": 3.0},
        param_help={
            "min_days": {"ja": "保留の最短日数", "en": "Minimum days pending"},
            "min_quantity": {"ja": "最少数量", "en": "Minimum quantity"},
            "factor": {"ja": "通常数量の何倍か", "en": "Times the usual quantity"},
        },
    ),
    Rule(
        code="quantity_abnormal",
        weight=25,
        title={"ja": "異常な数量", "en": "Abnormal quantity"},
        explain={
            "ja": "数量{quantity}個は、この商品の通常（{norm}個）を大きく超え、支払い・出荷も済んでいません。",
            "en": "{quantity} units is far above this SKU's usual {norm}, and the order was not paid and shipped.",
        },
        detect=_quantity_abnormal,
        params={"min_quantity": 4, "factor": 4.0},
        param_help={
            "min_quantity": {"ja": "最少数量", "en": "Minimum quantity"},
            "factor": {"ja": "通常数量の何倍か", "en": "Times the usual quantity"},
        },
    ),
    Rule(
        code="sku_burst",
        weight=35,
        title={"ja": "同じ商品への集中注文", "en": "Burst of orders on one SKU"},
        explain={
            "ja": "同じ商品に{hours}時間以内で{orders}件の大量・未払い・キャンセル注文が集中しています（うち{new_accounts}件は初めての、または身元の分からないアカウントから）。",
            "en": "{orders} large, unpaid or cancelled orders hit this SKU within {hours} hours ({new_accounts} from accounts new to the shop or unknown).",
        },
        detect=_sku_burst,
        cost=5,
        params={"window_hours": 3.0, "min_orders": 3, "factor": 2.0},
        param_help={
            "window_hours": {"ja": "期間（時間）", "en": "Window (hours)"},
            "min_orders": {"ja": "最少件数", "en": "Minimum orders"},
            "factor": {"ja": "通常数量の何倍か", "en": "Times the usual quantity"},
        },
    ),
    Rule(
        code="cod_refused",
        weight=35,
        title={"ja": "代引きの受取拒否・キャンセル", "en": "Cash on delivery refused"},
        explain={
            "ja": "代金引換の注文が受取拒否（返品）またはキャンセルされました（代引き嫌がらせの典型。2024年6月6日以前）。",
            "en": "A cash-on-delivery order was refused (returned) or cancelled (the COD harassment pattern, before 2024-06-06).",
        },
        detect=_cod_refused,
    ),
    Rule(
        code="cod_to_strangers",
        weight=45,
        title={"ja": "他人宛ての代引きが大量", "en": "Bulk cash on delivery to other people"},
        explain={
            "ja": "{days}日以内に、購入者本人以外の{recipients}人宛てに代金引換の注文が集中しています（集めた住所への代引き嫌がらせの典型）。",
            "en": "Within {days} days, cash-on-delivery orders went to {recipients} people other than the buyer (the harvested-address COD pattern).",
        },
        detect=_cod_to_strangers,
        cost=6,
        params={"min_recipients": 5, "window_days": 2},
        param_help={
            "min_recipients": {"ja": "宛先人数の最少数", "en": "Minimum recipients"},
            "window_days": {"ja": "期間（日）", "en": "Window (days)"},
        },
    ),
    Rule(
        code="lock_same_place",
        weight=30,
        title={
            "ja": "同じ郵便番号で未払いの繰り返し",
            "en": "Repeated unpaid orders to one postal code",
        },
        explain={
            "ja": "同じ郵便番号あての未払い・自動キャンセルの注文が{days}日以内に{repeats}件あります。",
            "en": "{repeats} unpaid, auto-cancelled orders went to this postal code within {days} days.",
        },
        detect=_lock_same_place,
        cost=6,
        params={"min_days": 4.5, "max_days": 8.0, "window_days": 30, "min_repeats": 2},
        param_help={
            "window_days": {"ja": "期間（日）", "en": "Window (days)"},
            "min_repeats": {"ja": "最少件数", "en": "Minimum orders"},
        },
    ),
    Rule(
        code="linked_to_flagged",
        weight=35,
        title={"ja": "嫌がらせと判定された注文と同一人物", "en": "Same person as flagged orders"},
        explain={
            "ja": "同じ{link}の注文が、キャンセルの繰り返しや電話番号の使い回しなどで判定されています（支払い済みでも同じ人物の注文です）。",
            "en": "Other orders with the same {link} were flagged (repeated cancellations, a shared phone ...); this one belongs with them even if paid.",
        },
        detect=_linked_to_flagged,
        cost=4,
        reads_hits=True,
        params={"window_days": 30},
        param_help={
            "window_days": {"ja": "前後の期間（日）", "en": "Window before and after (days)"}
        },
    ),
    Rule(
        code="watchlist_match",
        weight=70,
        title={"ja": "要注意リストに一致", "en": "Matches the watchlist"},
        explain={
            "ja": "この{kind_ja}は要注意リスト（または嫌がらせと確認した注文）に一致します。",
            "en": "This {kind_en} is on the watchlist (or belongs to a confirmed harassment order).",
        },
        detect=_watchlist,
    ),
)

RULES_BY_CODE: Mapping[str, Rule] = MappingProxyType({rule.code: rule for rule in RULES})

#: Words for the link kinds inside explanations.
LINK_WORDS: Mapping[str, Mapping[str, str]] = MappingProxyType(
    {
        "account": {"ja": "アカウント", "en": "account"},
        "phone": {"ja": "電話番号", "en": "phone number"},
        "address": {"ja": "住所", "en": "address"},
        "name": {"ja": "氏名", "en": "name"},
        "sku": {"ja": "商品", "en": "SKU"},
    }
)
