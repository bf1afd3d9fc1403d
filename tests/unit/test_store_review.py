"""The review queue: filters, verdict states, linked orders and reasons (pure functions)."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sellerguard.store.review import (
    ReviewFilter,
    linked_orders,
    reasons,
    review_queue,
    with_verdicts,
)


@pytest.fixture
def scored() -> pd.DataFrame:
    rows = [
        # id, score, level, codes, day, sku(s), status, address, phone, name, group
        (
            "o1",
            90,
            "high",
            "repeat_cancel|cvs_lock",
            "2026-02-01 23:30",
            "A|B",
            "Cancelled",
            "ad1",
            "p1",
            "n1",
            "g1",
        ),
        (
            "o2",
            90,
            "high",
            "cvs_lock",
            "2026-01-15 10:00",
            "B",
            "Cancelled",
            "ad1",
            "p2",
            "n2",
            "g1",
        ),
        (
            "o3",
            45,
            "medium",
            "postcode_unknown",
            "2026-02-03 10:00",
            "C",
            "Shipped",
            "ad3",
            "p1",
            "n3",
            "g1",
        ),
        ("o4", 10, "low", "", "2026-02-04 10:00", "A", "Shipped", "ad4", None, "n4", None),
        (
            "o5",
            60,
            "high",
            "watchlist_match",
            "2026-03-01 10:00",
            "A",
            "Pending",
            "ad5",
            "p5",
            "n1",
            "g2",
        ),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "order_id",
            "risk_score",
            "risk_level",
            "reason_codes",
            "purchase_date",
            "skus",
            "status",
            "address_key",
            "phone_key",
            "name_key",
            "group_id",
        ],
    )
    frame["purchase_date"] = pd.to_datetime(frame["purchase_date"]).dt.tz_localize("Asia/Tokyo")
    frame["sku"] = frame["skus"].str.split("|").str[0]
    for column in (
        "order_id",
        "risk_level",
        "reason_codes",
        "skus",
        "sku",
        "status",
        "address_key",
        "phone_key",
        "name_key",
        "group_id",
    ):
        frame[column] = frame[column].astype("str")
    frame["risk_score"] = frame["risk_score"].astype("Int64")
    frame["reasons_en"] = pd.Series(
        ["[repeat_cancel] 3 cancellations; [cvs_lock] unpaid for 6 days", "", "", "", ""],
        dtype="str",
    )
    return frame


def verdicts(*rows: tuple[str, str, str]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["order_id", "verdict", "note"]).astype("str")


def test_default_queue_is_flagged_orders_highest_score_first(scored: pd.DataFrame) -> None:
    queue = review_queue(scored, verdicts())
    assert list(queue["order_id"]) == ["o2", "o1", "o5", "o3"]  # ties: earlier purchase first
    assert set(queue["review_state"]) == {"unreviewed"}


def test_rule_filter_matches_whole_codes(scored: pd.DataFrame) -> None:
    queue = review_queue(scored, verdicts(), ReviewFilter(rules=("cvs_lock",)))
    assert list(queue["order_id"]) == ["o2", "o1"]
    none = review_queue(scored, verdicts(), ReviewFilter(rules=("cvs",)))
    assert none.empty


def test_date_range_uses_the_day_in_japan(scored: pd.DataFrame) -> None:
    queue = review_queue(
        scored, verdicts(), ReviewFilter(start=date(2026, 2, 1), end=date(2026, 2, 1))
    )
    assert list(queue["order_id"]) == ["o1"]  # 23:30 in Japan is still 1 February


def test_sku_level_and_order_status_filters(scored: pd.DataFrame) -> None:
    by_sku = review_queue(scored, verdicts(), ReviewFilter(levels=(), skus=("A",)))
    assert list(by_sku["order_id"]) == ["o1", "o5", "o4"]
    by_status = review_queue(scored, verdicts(), ReviewFilter(order_statuses=("Pending",)))
    assert list(by_status["order_id"]) == ["o5"]


def test_states_come_from_verdicts(scored: pd.DataFrame) -> None:
    given = verdicts(("o1", "harassment", "refused"), ("o3", "legitimate", ""))
    queue = review_queue(scored, given, ReviewFilter(states=("unreviewed",)))
    assert list(queue["order_id"]) == ["o2", "o5"]
    marked = with_verdicts(scored, given).set_index("order_id")
    assert marked.loc["o1", "review_state"] == "harassment"
    assert marked.loc["o1", "verdict_note"] == "refused"
    assert marked.loc["o4", "verdict_note"] == ""


def test_linked_orders_say_what_they_share(scored: pd.DataFrame) -> None:
    linked = linked_orders(scored, "o1")
    assert list(linked["order_id"]) == ["o1", "o2", "o3", "o5"]
    rows = linked.set_index("order_id")
    assert rows.loc["o2", "same_address"] and not rows.loc["o2", "same_phone"]
    assert rows.loc["o3", "same_phone"] and not rows.loc["o3", "same_address"]
    assert rows.loc["o5", "same_name"]
    assert bool(rows.loc["o1", "is_selected"]) and not rows.loc["o2", "is_selected"]


def test_linked_orders_of_a_lonely_order(scored: pd.DataFrame) -> None:
    linked = linked_orders(scored, "o4")
    assert list(linked["order_id"]) == ["o4"]
    assert linked_orders(scored, "missing").empty


def test_reasons_split_rule_codes_from_sentences(scored: pd.DataFrame) -> None:
    assert reasons(scored.iloc[0], "en") == [
        ("repeat_cancel", "3 cancellations"),
        ("cvs_lock", "unpaid for 6 days"),
    ]
    assert reasons(scored.iloc[1], "en") == []


def test_settings_overrides_keep_only_what_the_seller_changed(tmp_path: Path) -> None:
    from sellerguard.settings import load_settings
    from sellerguard.store.scans import settings_overrides

    base = load_settings(tmp_path / "no-settings.toml")
    chosen = base.to_dict()
    assert settings_overrides(chosen, base) == {}
    chosen["thresholds"]["high"] = base.high + 5
    chosen["rules"]["repeat_cancel"]["weight"] = 77
    assert settings_overrides(chosen, base) == {
        "thresholds": {"high": base.high + 5},
        "rules": {"repeat_cancel": {"weight": 77}},
    }
