"""Score orders: run every enabled rule, add up weights, explain in both languages."""

from __future__ import annotations

import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
import pyarrow as pa

from sellerguard.address.normalise import str_series
from sellerguard.exports.values import join_groups
from sellerguard.parallel import side_by_side
from sellerguard.rules.declarations import LINK_WORDS, RULES, Facts, Rule
from sellerguard.rules.features import LINK_KINDS, build_features, link_groups, name_facts
from sellerguard.settings import RuleSettings, Settings, load_settings

if TYPE_CHECKING:
    from sellerguard.exports import OrderSet

LEVELS: tuple[str, ...] = ("high", "medium", "low")

#: The order columns a scan reads (address, phone and name facts, features, rules) and
#: ``sellerguard scan`` writes. A caller short of memory may pass only these (the command
#: does); a test checks that the scores, reasons and links stay the same.
SCAN_COLUMNS: tuple[str, ...] = (
    "order_id",
    "purchase_date",
    "last_updated_date",
    "status",
    "sku",
    "quantity",
    "buyer_email",
    "buyer_name",
    "buyer_phone",
    "recipient_name",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
    "ship_city",
    "ship_state",
    "ship_postal_code",
    "ship_country",
    "ship_phone",
    "is_business_order",
    "payment_method",
    "in_order_report",
    "returned",
    "return_reason",
    *(f"stored_{kind}_key" for kind in ("account", "name", "phone", "address")),
)


@dataclass(frozen=True)
class ScanContext:
    """What the seller already knows, fed back into a scan.

    Attributes
    ----------
    watch
        Link kind (``address``, ``phone``, ``name``, ``account``) → normalised keys the seller
        watches or confirmed as harassment; matching orders fire ``watchlist_match``.
    cleared
        Evidence strings (``rule_code:link_kind:key``) the seller marked legitimate; a reason
        with cleared evidence is dropped.
    """

    watch: Mapping[str, frozenset[str]] = field(default_factory=dict)
    cleared: frozenset[str] = frozenset()


@dataclass(frozen=True)
class ScanResult:
    """The scored order table and the settings that produced it."""

    orders: pd.DataFrame
    settings: Settings

    def flagged(self, level: str = "medium") -> pd.DataFrame:
        """Orders at ``level`` or above, highest score first."""
        wanted = LEVELS[: LEVELS.index(level) + 1]
        chosen = self.orders[self.orders["risk_level"].isin(wanted)]
        return chosen.sort_values(["risk_score", "purchase_date"], ascending=[False, True])

    def counts(self) -> dict[str, int]:
        """Number of orders at each level."""
        values = self.orders["risk_level"].value_counts()
        return {level: int(values.get(level, 0)) for level in LEVELS}


def _explain(rule: Rule, hits: pd.DataFrame, langs: Sequence[str]) -> dict[str, pd.Series]:
    """The explanation of ``rule`` for each hit row in each of ``langs``, formatted with its
    evidence values.

    Formatting runs once per distinct combination of evidence values, not once per order;
    the combinations are found once for all languages.
    """
    columns = [c for c in hits.columns if c not in ("strength", "key")]
    if not columns:
        return {
            lang: pd.Series(f"[{rule.code}] " + rule.explain[lang], index=hits.index, dtype="str")
            for lang in langs
        }
    combos = hits.groupby(columns, dropna=False, sort=False).ngroup().to_numpy()
    firsts = pd.Series(np.arange(len(hits))).groupby(combos).first().to_numpy()
    records = hits.iloc[firsts][columns].to_dict("records")
    picked = pa.array(combos)
    explained = {}
    for lang in langs:
        template = rule.explain[lang]
        texts = []
        for record in records:
            values = {str(name): value for name, value in record.items()}
            link = str(values.get("link"))
            values["link"] = LINK_WORDS.get(link, {}).get(lang, link)
            for name, value in values.items():
                if isinstance(value, float) and value.is_integer():
                    values[name] = int(value)
            texts.append(f"[{rule.code}] " + template.format_map(_Defaults(values)))
        explained[lang] = str_series(pa.array(texts, type=pa.string()).take(picked), hits.index)
    return explained


class _Defaults(dict[str, object]):
    def __missing__(self, key: str) -> str:
        return "?"


def order_facts(orders: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """Address, phone and name facts for ``orders`` (each once per distinct value).

    The phones and names (about a fifth of the work) are assessed in a helper thread while
    this thread assesses the addresses (themselves split over the cores), so no core
    waits for the other's share.
    """
    from sellerguard.address import assess_addresses

    addresses, (phones, names) = side_by_side(
        lambda: assess_addresses(orders), lambda: _people_facts(orders), rows=len(orders)
    )
    return addresses, phones, names


def _people_facts(orders: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Phone facts and name keys (with their codes) of ``orders``."""
    from sellerguard.address import assess_phones

    return assess_phones(orders), name_facts(orders)


def score_features(
    frame: pd.DataFrame, settings: Settings, context: ScanContext | None = None
) -> pd.DataFrame:
    """Run every enabled rule over the feature frame and add the score columns."""
    context = context or ScanContext()
    facts = Facts(frame, context.watch)
    n = len(frame)
    score = np.zeros(n, dtype=np.float64)
    codes: list[pd.Series] = []
    texts: dict[str, list[pd.Series]] = {"ja": [], "en": []}
    evidence: list[pd.Series] = []
    position = pd.Series(np.arange(n), index=frame.index)
    enabled = [
        (rule, chosen)
        for rule in RULES
        if (chosen := settings.rule(rule.code)).enabled and chosen.weight != 0
    ]
    langs = list(texts)
    found = _detect_independent(
        facts, [(r, c) for r, c in enabled if not r.reads_hits], context.cleared, langs
    )
    for rule, chosen in enabled:
        if rule.code in found:
            described = found[rule.code]
        else:
            described = _describe(rule, rule.detect(facts, chosen.params), context.cleared, langs)
        if described is None:
            continue
        hits = described.hits
        facts.fired[rule.code] = hits
        rows = position.loc[hits.index].to_numpy()
        np.add.at(score, rows, chosen.weight * hits["strength"].to_numpy(dtype=float))
        codes.append(pd.Series(rule.code, index=hits.index, dtype="str"))
        evidence.append(described.marks)
        for lang in langs:
            texts[lang].append(described.texts[lang])

    result = frame  # the feature frame is this scan's own: add the score columns in place
    result["risk_score"] = pd.array(np.clip(np.rint(score), 0, 100).astype(np.int64), dtype="Int64")
    levels = np.where(score >= settings.high, 0, np.where(score >= settings.medium, 1, 2))
    result["risk_level"] = str_series(pa.array(LEVELS, type=pa.string()).take(levels), frame.index)
    # Four independent Arrow joins: two in a helper thread, two here.
    (reason_codes, reasons_ja), (reasons_en, joined_evidence) = side_by_side(
        lambda: (_join(codes, frame.index, "|"), _join(texts["ja"], frame.index, "; ")),
        lambda: (_join(texts["en"], frame.index, "; "), _join(evidence, frame.index, "|")),
        rows=n,
    )
    result["reason_codes"] = reason_codes
    result["reasons_ja"] = reasons_ja
    result["reasons_en"] = reasons_en
    result["evidence"] = joined_evidence
    return result


@dataclass
class _Described:
    """A rule's hits (after the seller's cleared evidence) with their evidence marks and
    explanations."""

    hits: pd.DataFrame
    marks: pd.Series
    texts: dict[str, pd.Series]


def _describe(
    rule: Rule, hits: pd.DataFrame, cleared: frozenset[str], langs: Sequence[str]
) -> _Described | None:
    """Drop the hits the seller cleared and explain the rest; None when no hit is left."""
    if hits.empty:
        return None
    marks = rule.code + ":" + hits["link"].astype("str") + ":" + hits["key"].astype("str")
    if cleared:
        keep = ~marks.isin(cleared).to_numpy()
        hits, marks = hits[keep], marks[keep]
        if hits.empty:
            return None
    return _Described(hits, marks.astype("str"), _explain(rule, hits, langs))


def _detect_independent(
    facts: Facts,
    rules: list[tuple[Rule, RuleSettings]],
    cleared: frozenset[str],
    langs: Sequence[str],
) -> dict[str, _Described | None]:
    """Hits of rules that read only the features, found and described by two threads.

    Both threads take rules from one queue, the costliest left first, whenever they are
    free: a thread whose rules ran faster than their ``cost`` said (a group statistic the
    other thread had already made) takes more of the rest instead of waiting at the end.
    Each thread also explains the hits it found.
    """
    queue = iter(sorted(rules, key=lambda pair: -pair[0].cost))
    lock = threading.Lock()

    def detect() -> dict[str, _Described | None]:
        found: dict[str, _Described | None] = {}
        while True:
            with lock:
                rule, chosen = next(queue, (None, None))
            if rule is None or chosen is None:
                return found
            found[rule.code] = _describe(rule, rule.detect(facts, chosen.params), cleared, langs)

    mine, theirs = side_by_side(detect, detect, rows=len(facts.frame))
    return {**mine, **theirs}


def _join(parts: list[pd.Series], index: pd.Index, sep: str) -> pd.Series:
    """Concatenate per-rule strings for each order (rule order kept); "" where none.

    One stable sort of all hits by row, then one Arrow join per order (``join_groups``).
    """
    parts = [part for part in parts if len(part)]
    if not parts:
        return str_series(pa.array([""] * len(index), type=pa.string()), index)
    position = pd.Series(np.arange(len(index)), index=index)
    rows = np.concatenate([position.loc[part.index].to_numpy() for part in parts])
    texts = pa.concat_arrays(
        [pa.array(part.astype("str").array, type=pa.large_string()) for part in parts]
    )
    order = np.argsort(rows, kind="stable")
    joined = join_groups(rows[order], len(index), sep, texts.take(pa.array(order)))
    return str_series(joined.fill_null("").cast(pa.string()), index)


def scan(
    order_set: OrderSet,
    settings: Settings | None = None,
    context: ScanContext | None = None,
) -> ScanResult:
    """Flag the orders of ``order_set``: facts, features, rules, scores and linked groups.

    Parameters
    ----------
    order_set
        What ``sellerguard.exports.read_exports`` (or the store) returns.
    settings
        Thresholds and rule overrides; the defaults plus the seller's file when omitted.
    context
        The seller's watchlist and cleared evidence, from the store.
    """
    return scan_orders(order_set.orders, settings, context)


def scan_orders(
    orders: pd.DataFrame,
    settings: Settings | None = None,
    context: ScanContext | None = None,
) -> ScanResult:
    """``scan`` over an order table alone (``OrderSet.orders``), for callers that let the
    item tables go first to save memory."""
    settings = settings or load_settings()
    orders = orders.reset_index(drop=True)
    addresses, phones, names = order_facts(orders)
    frame = build_features(orders, addresses, phones, names)
    # The linked groups need only the linking codes: they are found in a helper thread while
    # the rules run (score_features adds columns to the frame, so the thread gets its own).
    codes = frame[[f"{kind}_code" for kind in LINK_KINDS]]
    result, groups = side_by_side(
        lambda: score_features(frame, settings, context),
        lambda: link_groups(codes),
        rows=len(frame),
    )
    result["group_id"] = groups
    return ScanResult(orders=result, settings=settings)
