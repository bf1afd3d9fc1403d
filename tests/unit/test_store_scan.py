"""Scanning the store: verdicts and the watchlist fed back, and the cached scored table."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

from sellerguard.store import Store
from sellerguard.store import scans as store_scans
from sellerguard.store.store import split_evidence

ORDER_REPORT_HEADER = (
    "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\t"
    "buyer-phone-number\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\t"
    "recipient-name\tship-address-1\tship-address-2\tship-city\tship-state\t"
    "ship-postal-code\tship-country\tship-phone-number"
)


def one_order(
    order_id: str, phone: str, name: str = "高橋 健", address: str = "本町2-3-4"
) -> bytes:
    """An order report (UTF-8) with one order, shipped to Sendai, paid."""
    line = (
        f"{order_id}\titem1\t2026-03-01T10:00:00+09:00\t2026-03-01T10:05:00+09:00\t"
        f"new@marketplace.amazon.co.jp\t{name}\t{phone}\tSKU-N\t商品N\t1\tJPY\t1500\t{name}\t"
        f"{address}\t\t仙台市青葉区\t宮城県\t980-0014\tJP\t{phone}"
    )
    return f"{ORDER_REPORT_HEADER}\n{line}\n".encode()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("scan-template") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELLERGUARD_HOME", str(folder))
        store = Store.open(folder)
        store.load_demo(orders=1000, seed=11)
        store.scored_orders()
    return folder


@pytest.fixture
def store(demo_template: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Store:
    home = tmp_path / "home"
    shutil.copytree(demo_template, home)
    monkeypatch.setenv("SELLERGUARD_HOME", str(home))
    return Store.open(home)


def flagged(orders: pd.DataFrame) -> pd.DataFrame:
    return orders.loc[orders["risk_level"].isin(["high", "medium"])]


def test_scored_orders_cover_every_order_and_record_keys(store: Store) -> None:
    orders = store.scored_orders()
    assert len(orders) == store.order_count()
    assert {"risk_score", "risk_level", "reason_codes", "evidence", "group_id"} <= set(orders)
    assert not flagged(orders).empty
    keys = store.order_keys()
    assert len(keys) == len(orders)
    with_phone = keys.loc[keys["phone_key"].notna()]
    assert not with_phone.empty
    row = with_phone.iloc[0]
    assert row["phone_hash"] == store.salted("phone", row["phone_key"])


def test_cache_is_reused_until_something_that_matters_changes(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.scored_orders()
    scans: list[int] = []
    real = store_scans.scan_store

    def counting(*args: object, **kwargs: object) -> object:
        scans.append(1)
        return real(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(store_scans, "scan_store", counting)
    store_scans._memory.clear()
    first = store.scored_orders()  # from the parquet file on disk
    assert scans == []
    assert store.scored_orders() is first  # from memory
    some = str(first["order_id"].iloc[0])
    store.set_verdict([some], "unsure", note="looking")  # no change to what a scan sees
    store.scored_orders()
    assert scans == []
    store.set_setting("settings", {"thresholds": {"medium": 25, "high": 55}})
    rescored = store.scored_orders()
    assert scans == [1]
    assert rescored["risk_level"].isin(["high", "medium"]).sum() >= flagged(first).shape[0]


def test_group_marked_legitimate_stops_being_flagged_for_that_evidence(store: Store) -> None:
    orders = store.scored_orders()
    grouped = flagged(orders).loc[orders["evidence"].str.contains(":address:|:phone:", regex=True)]
    assert not grouped.empty
    target = grouped.sort_values("risk_score", ascending=False).iloc[0]
    evidence = [
        e for e in split_evidence(str(target["evidence"])) if ":address:" in e or ":phone:" in e
    ]
    carriers = orders.loc[orders["evidence"].str.contains(evidence[0], regex=False)]
    store.set_verdict(
        carriers["order_id"].tolist(),
        "legitimate",
        note="family",
        group_id=str(target["group_id"]),
        evidence=carriers["evidence"].tolist(),
    )
    after = store.scored_orders().set_index("order_id")
    for order_id in carriers["order_id"]:
        assert evidence[0] not in str(after.loc[order_id, "evidence"])
    assert after.loc[target["order_id"], "risk_score"] < target["risk_score"]


def test_confirmed_harasser_raises_new_matches(store: Store) -> None:
    orders = store.scored_orders()
    items = store.items()
    with_phone = items.loc[items["ship_phone"].notna()]
    order_id = str(with_phone["order_id"].iloc[0])
    phone = str(with_phone["ship_phone"].iloc[0])
    store.set_verdict([order_id], "harassment", note="confirmed")
    store.import_exports([("new.txt", one_order("999-0000000-0000001", phone))])
    after = store.scored_orders().set_index("order_id")
    assert len(after) == len(orders) + 1
    assert "watchlist_match" in str(after.loc["999-0000000-0000001", "reason_codes"])


def test_watchlist_entry_flags_future_imports(store: Store) -> None:
    store.import_exports([("first.txt", one_order("999-0000000-0000002", "022-555-0101"))])
    before = store.scored_orders().set_index("order_id")
    assert "watchlist_match" not in str(before.loc["999-0000000-0000002", "reason_codes"])
    key = str(before.loc["999-0000000-0000002", "phone_key"])
    store.watch("phone", key, display="022-555-0101")
    store.import_exports(
        [("second.txt", one_order("999-0000000-0000003", "022-555-0101", name="別人 二郎"))]
    )
    after = store.scored_orders().set_index("order_id")
    assert "watchlist_match" in str(after.loc["999-0000000-0000003", "reason_codes"])
    assert "watchlist_match" in str(after.loc["999-0000000-0000002", "reason_codes"])


def test_without_waiting_the_previous_table_comes_back_while_rescanning(store: Store) -> None:
    first = store.scored_orders()
    order_id = str(first.loc[first["phone_key"].notna(), "order_id"].iloc[0])
    store.set_verdict([order_id], "harassment")  # its phone is now watched: a new scan
    stale = store.scored_orders(wait=False)
    assert stale is first
    assert store.scan_running()
    fresh = store.scored_orders()  # waits for the background scan instead of running another
    assert fresh is not first
    store_scans._refreshing[str(store.path)].join()
    assert not store.scan_running()
    assert store.scored_orders(wait=False) is fresh


def test_orders_stay_linked_after_retention_deletes_their_buyer_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from datetime import UTC, datetime

    from order_factory import background, exports, repeat_canceller

    home = tmp_path / "home"
    monkeypatch.setenv("SELLERGUARD_HOME", str(home))
    store = Store.open(home)
    canceller = repeat_canceller()
    store.import_exports(exports([*background(), *canceller]))
    ids = {o.order_id for o in canceller}
    before = store.scored_orders()
    assert (before.loc[before.order_id.isin(ids), "risk_level"] != "low").all()

    assert store.apply_retention(now=datetime(2030, 1, 1, tzinfo=UTC), days=30) == len(before)
    after = store_scans.scan_store(store).orders  # a fresh scan over the purged store
    rows = after.loc[after.order_id.isin(ids)]
    assert rows["buyer_name"].isna().all() and rows["ship_phone"].isna().all()
    assert (rows["risk_level"] != "low").all()
    assert rows["reason_codes"].str.contains("repeat_cancel").all()
    assert rows["group_id"].notna().all() and rows["group_id"].nunique() == 1
    keys = store.order_keys()
    mine = keys.loc[keys.order_id.isin(ids)]
    assert mine["phone_key"].isna().all() and mine["phone_hash"].notna().all()
