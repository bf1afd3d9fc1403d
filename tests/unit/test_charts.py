"""Overview charts: aggregated data, encodings and labels, read back through to_dict()."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from sellerguard import charts


def scored(rows: list[dict[str, object]]) -> pd.DataFrame:
    """A small scored order table (the columns the scan gives that the charts read)."""
    frame = pd.DataFrame(rows)
    for column in ("purchase_date", "last_updated_date", "payments_date"):
        if column in frame:
            frame[column] = pd.to_datetime(frame[column]).dt.tz_localize("Asia/Tokyo")
    for column in ("order_id", "status", "sku", "risk_level", "prefecture", "group_id"):
        if column in frame:
            frame[column] = frame[column].astype("str")
    if "quantity" in frame:
        frame["quantity"] = frame["quantity"].astype("Int64")
    return frame


@pytest.fixture
def orders() -> pd.DataFrame:
    return scored(
        [
            # two lock orders on SKU-A (cancelled after 6 days unpaid), one still pending
            dict(
                order_id="a1",
                purchase_date="2026-02-01 09:00",
                last_updated_date="2026-02-07 09:00",
                payments_date=None,
                status="Cancelled",
                sku="SKU-A",
                quantity=5,
                risk_level="high",
                prefecture="東京都",
                group_id="g1",
            ),
            dict(
                order_id="a2",
                purchase_date="2026-02-01 23:30",
                last_updated_date="2026-02-07 23:30",
                payments_date=None,
                status="Cancelled",
                sku="SKU-A",
                quantity=5,
                risk_level="high",
                prefecture="東京都",
                group_id="g1",
            ),
            dict(
                order_id="a3",
                purchase_date="2026-02-08 10:00",
                last_updated_date="2026-02-08 10:00",
                payments_date=None,
                status="Pending",
                sku="SKU-A",
                quantity=3,
                risk_level="medium",
                prefecture="大阪府",
                group_id="g1",
            ),
            # a buyer's own quick cancellation: not a lock
            dict(
                order_id="b1",
                purchase_date="2026-02-02 10:00",
                last_updated_date="2026-02-02 11:00",
                payments_date=None,
                status="Cancelled",
                sku="SKU-B",
                quantity=1,
                risk_level="low",
                prefecture="北海道",
                group_id=None,
            ),
            dict(
                order_id="c1",
                purchase_date="2026-02-02 10:00",
                last_updated_date="2026-02-04 10:00",
                payments_date="2026-02-02 10:05",
                status="Shipped",
                sku="SKU-C",
                quantity=1,
                risk_level="low",
                prefecture=None,
                group_id="g2",
            ),
        ]
    )


def test_orders_per_day_counts_by_local_day_and_level(orders: pd.DataFrame) -> None:
    spec = charts.orders_per_day(orders, "en").to_dict()
    assert spec["mark"]["type"] == "bar"
    assert spec["encoding"]["x"]["field"] == "day"
    assert spec["encoding"]["x"]["timeUnit"] == "yearmonthdate"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["High", "Medium", "Low"]
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    by_day = data.groupby(["day", "level"])["orders"].sum().to_dict()
    # 23:30 in Japan stays on 1 February, whatever the browser's zone
    assert by_day[("2026-02-01T00:00:00", "high")] == 2
    assert by_day[("2026-02-02T00:00:00", "low")] == 2
    assert data["orders"].sum() == len(orders)


def test_orders_per_day_in_japanese(orders: pd.DataFrame) -> None:
    spec = charts.orders_per_day(orders, "ja").to_dict()
    assert spec["title"] == "日別の注文数 (リスク別)"
    assert spec["encoding"]["color"]["scale"]["domain"] == ["高", "中", "低"]


def test_lock_intervals_keep_pending_and_unpaid_cancellations(orders: pd.DataFrame) -> None:
    spans = charts.lock_intervals(orders, today=date(2026, 2, 10))
    assert sorted(spans["state"]) == ["auto_cancelled", "auto_cancelled", "pending"]
    assert set(spans["sku"]) == {"SKU-A"}
    pending = spans.loc[spans["state"] == "pending"].iloc[0]
    assert pending["end"] == pd.Timestamp("2026-02-10")
    assert pending["days"] == 2


def test_lock_timeline_merges_same_days_and_ranks_skus(orders: pd.DataFrame) -> None:
    spec = charts.lock_timeline(orders, "en", today=date(2026, 2, 10)).to_dict()
    assert spec["encoding"]["x2"]["field"] == "end"
    assert spec["encoding"]["y"]["sort"] == ["SKU-A"]
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    cancelled = data.loc[data["state"] == "auto_cancelled"].iloc[0]
    assert (cancelled["quantity"], cancelled["orders"]) == (10, 2)
    assert set(data["state_label"]) == {"Pending", "Auto-cancelled"}


def test_cancellations_split_flagged_from_others(orders: pd.DataFrame) -> None:
    spec = charts.cancellations_over_time(orders, "en").to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    totals = data.groupby("kind")["orders"].sum().to_dict()
    assert totals == {"Flagged orders": 2, "Other orders": 1}


def test_flagged_by_prefecture(orders: pd.DataFrame) -> None:
    spec = charts.flagged_by_prefecture(orders, "ja").to_dict()
    data = pd.DataFrame(next(iter(spec["datasets"].values())))
    assert data.to_dict("records") == [
        {"prefecture": "東京都", "orders": 2},
        {"prefecture": "大阪府", "orders": 1},
    ]
    assert spec["encoding"]["y"]["sort"] == "-x"


def test_largest_groups(orders: pd.DataFrame) -> None:
    sizes = charts.group_sizes(orders)
    assert sizes.to_dict("records")[0] == {
        "group_id": "g1",
        "orders": 3,
        "flagged": 3,
        "cancelled": 2,
    }
    assert list(sizes["group_id"]) == ["g1", "g2"]
    spec = charts.largest_groups(orders, "en", top=1).to_dict()
    data = next(iter(spec["datasets"].values()))
    assert [row["group_id"] for row in data] == ["g1"]


def test_key_figures(orders: pd.DataFrame) -> None:
    figures = charts.key_figures(orders, estimated_loss=1234)
    assert (figures.orders, figures.flagged, figures.high, figures.linked_groups) == (5, 3, 2, 2)
    assert figures.estimated_loss == 1234


def test_charts_accept_an_empty_table() -> None:
    empty = pd.DataFrame({"order_id": pd.Series(dtype="str")})
    for build in (
        charts.orders_per_day,
        charts.lock_timeline,
        charts.cancellations_over_time,
        charts.flagged_by_prefecture,
        charts.largest_groups,
    ):
        assert build(empty, "en").to_dict()["mark"]["type"] == "bar"
    assert charts.key_figures(empty).orders == 0
    assert charts.estimated_loss(empty) == 0


def test_an_order_left_pending_in_an_old_export_stops_holding_stock_after_a_week() -> None:
    from datetime import date

    import pandas as pd

    from sellerguard.charts import lock_intervals

    orders = pd.DataFrame(
        {
            "status": pd.Series(["Pending"], dtype="str"),
            "purchase_date": pd.to_datetime(["2024-05-01T10:00:00+09:00"]),
            "last_updated_date": pd.to_datetime(["2024-05-01T10:05:00+09:00"]),
            "payments_date": pd.Series([pd.NaT], dtype="datetime64[ns, Asia/Tokyo]"),
            "sku": pd.Series(["SG-1"], dtype="str"),
            "quantity": pd.array([5], dtype="Int64"),
        }
    )
    interval = lock_intervals(orders, today=date(2026, 11, 22)).iloc[0]
    assert interval["state"] == "pending"
    assert interval["days"] == 7
