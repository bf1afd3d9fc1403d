"""A pulled report and the same report uploaded give identical results."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pandas as pd
import pytest

from sellerguard.demo.generator import generate_demo
from sellerguard.exports import read_exports
from sellerguard.spapi.client import REPORT_ALL_ORDERS, REPORT_ORDERS_BUYER, SpApiClient
from sellerguard.spapi.pull import pull_orders
from sellerguard.store import Store

from .spapi_double import SpApiDouble


@pytest.mark.slow
def test_pulled_and_uploaded_reports_read_and_score_the_same(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    manifest = generate_demo(tmp_path / "demo", orders=500, seed=11, era="historic")
    files = manifest.eras[0].files
    all_orders = files["all_orders"].read_bytes()
    order_report = files["order_report"].read_bytes()
    assert not all_orders.decode("cp932").isascii()  # Shift_JIS with Japanese text
    double.serve_report(REPORT_ALL_ORDERS, all_orders, gzip_it=True)  # no charset
    double.serve_report(REPORT_ORDERS_BUYER, order_report)

    pulled_store = Store.open(tmp_path / "pulled")
    result = pull_orders(
        client,
        tmp_path / "out",
        since=datetime(2023, 1, 1, tzinfo=UTC),
        until=datetime(2024, 6, 6, tzinfo=UTC),
        store=pulled_store,
        window_days=600,
    )
    assert result.outcome == "complete", result.error
    pulled = {f.kind: f.path for f in result.files}
    assert pulled["all_orders"].read_bytes() == all_orders
    assert pulled["order_report"].read_bytes() == order_report

    uploads = [
        (pulled["all_orders"].name, all_orders),
        (pulled["order_report"].name, order_report),
    ]
    from_pull = read_exports([pulled["all_orders"], pulled["order_report"]])
    from_upload = read_exports(uploads)
    pd.testing.assert_frame_equal(from_pull.items, from_upload.items)
    pd.testing.assert_frame_equal(from_pull.orders, from_upload.orders)
    assert [r.encoding for r in from_pull.reads] == [r.encoding for r in from_upload.reads]

    uploaded_store = Store.open(tmp_path / "uploaded")
    uploaded_store.import_exports(uploads)
    columns = ["order_id", "status", "risk_score", "risk_level", "reason_codes"]
    scored_pull = pulled_store.scan().orders[columns].sort_values("order_id", ignore_index=True)
    scored_upload = uploaded_store.scan().orders[columns].sort_values("order_id", ignore_index=True)
    pd.testing.assert_frame_equal(scored_pull, scored_upload)
    assert len(scored_pull) > 100
    assert (scored_pull["risk_level"] == "high").any()
