"""Describe what the flagged orders have in common without revealing who the buyers are.

Patterns are named by rule title (from ``sellerguard.rules.RULES``); links are counted per
kind (same address, same phone ...) without ever printing the address or the phone.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import pandas as pd

from sellerguard.i18n import MissingMessage, t

LINK_COLUMNS: tuple[tuple[str, str], ...] = (
    ("address", "address_key"),
    ("building", "building_key"),
    ("phone", "phone_key"),
    ("name", "name_key"),
    ("account", "account_key"),
)
"""Link kinds and the scan column holding their normalised key."""


@dataclass(frozen=True)
class LinkCount:
    """How many orders share one kind of identifier with another selected order."""

    kind: str
    orders: int
    distinct_values: int


@cache
def _rule_titles() -> dict[str, tuple[str, str]]:
    try:
        from sellerguard.rules import RULES
    except ImportError:
        return {}
    return {
        str(rule.code): (str(rule.title.get("ja", rule.code)), str(rule.title.get("en", rule.code)))
        for rule in RULES
    }


def pattern_title(code: str, lang: str) -> str:
    """Return the rule title for a reason code in ``lang`` (the code itself if unknown)."""
    titles = _rule_titles().get(code)
    if titles is not None:
        return titles[0] if lang == "ja" else titles[1]
    try:
        return t(f"workflow.pattern.{code}", lang)
    except MissingMessage:
        return code


def reason_code_lists(orders: pd.DataFrame) -> pd.Series:
    """Return each order's reason codes as a list (empty when none)."""
    if "reason_codes" not in orders.columns:
        return pd.Series([[] for _ in range(len(orders))], index=orders.index, dtype="object")
    codes = orders["reason_codes"].astype("str").fillna("").str.split("|")
    return codes.map(lambda parts: [p for p in parts if p])


def patterns_of(orders: pd.DataFrame, lang: str) -> pd.Series:
    """Return each order's pattern as the titles of its reason codes, joined by "、"/", "."""
    joiner = "、" if lang == "ja" else ", "
    result = pd.Series("", index=orders.index, dtype="str")
    if "reason_codes" not in orders.columns or orders.empty:
        return result
    parts = orders["reason_codes"].astype("str").fillna("").str.split("|", expand=True)
    codes = {code for code in pd.unique(parts.to_numpy().ravel()) if isinstance(code, str) and code}
    titles = {code: pattern_title(code, lang) for code in codes}
    for column in parts.columns:
        title = parts[column].map(titles).astype("str")
        present = title.notna() & (title.str.len() > 0)
        glue = pd.Series(joiner, index=result.index, dtype="str").where(result.str.len() > 0, "")
        result = result.mask(present, result + glue + title)
    return result


def pattern_counts(orders: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return one row per reason code: ``code``, ``title``, ``orders`` (most frequent first)."""
    exploded = reason_code_lists(orders).explode().dropna()
    counts = exploded.value_counts()
    frame = pd.DataFrame(
        {
            "code": pd.Series(counts.index.astype("str"), dtype="str"),
            "orders": pd.Series(counts.to_numpy(), dtype="int64"),
        }
    )
    frame["title"] = frame["code"].map(lambda code: pattern_title(str(code), lang)).astype("str")
    return frame.sort_values(["orders", "code"], ascending=[False, True]).reset_index(drop=True)[
        ["code", "title", "orders"]
    ]


def link_counts(orders: pd.DataFrame) -> list[LinkCount]:
    """Count, per link kind, the orders sharing that identifier with another given order."""
    counts: list[LinkCount] = []
    for kind, column in LINK_COLUMNS:
        if column not in orders.columns:
            continue
        keys = orders[column].dropna()
        keys = keys.loc[keys.astype("str").str.len() > 0]
        sizes = keys.value_counts()
        shared = sizes.loc[sizes > 1]
        if shared.empty:
            continue
        counts.append(LinkCount(kind, int(shared.sum()), len(shared)))
    return counts
