"""The Connect page through Streamlit's AppTest, against the SP-API double."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from sellerguard.spapi.client import REPORT_ALL_ORDERS, REPORT_ORDERS_BUYER
from sellerguard.spapi.pull import today_in_japan
from sellerguard.spapi.state import read_cursor
from sellerguard.store import Store

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from integration.spapi_double import Models, SpApiDouble
from integration.spapi_samples import (
    BUYER_NAME,
    all_orders_text,
    order,
    order_report_text,
)

PAGE = "pages/connect.py"
CREDENTIAL_VARS = ("SP_API_REFRESH_TOKEN", "LWA_APP_ID", "LWA_CLIENT_SECRET")


def page_text(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.caption]
    parts += [m.value for m in at.success] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error]
    parts += [str(tb.value) for tb in at.table]
    return "\n".join(str(p) for p in parts)


@pytest.fixture
def isolated(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """No secrets file and no credentials from the developer's machine."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in CREDENTIAL_VARS:
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def double(isolated: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[SpApiDouble]:
    server = SpApiDouble(Models()).start()
    monkeypatch.setenv("SELLERGUARD_SPAPI_ENDPOINT", server.endpoint)
    monkeypatch.setenv("SELLERGUARD_LWA_ENDPOINT", server.lwa_url)
    monkeypatch.setenv("SP_API_REFRESH_TOKEN", server.refresh_token)
    monkeypatch.setenv("LWA_APP_ID", server.app_id)
    monkeypatch.setenv("LWA_CLIENT_SECRET", server.client_secret)
    try:
        yield server
    finally:
        server.stop()
    assert server.schema_errors == []


def test_missing_credentials_are_listed_never_valued(
    isolated: Path, open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("LWA_APP_ID", "amzn1.application-oa2-client.visible-SECRET")
    at = open_app(PAGE, lang="en")
    text = page_text(at)
    assert "refresh_token" in text and "lwa_client_secret" in text
    assert "Credentials are missing" in text
    assert "visible-SECRET" not in text
    assert not [b for b in at.button if b.key == "connect_pull"]


def test_test_connection_says_when_the_restricted_role_is_missing(
    double: SpApiDouble, open_app: Callable[..., AppTest]
) -> None:
    double.restricted_role = False
    at = open_app(PAGE, lang="en")
    assert "Read from: environment variables" in page_text(at)
    at.button(key="connect_test").click().run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert "Connected: the token is valid." in text
    assert "no restricted role" in text
    assert "upload the order report by hand" in text
    assert double.refresh_token not in text and double.client_secret not in text


def test_test_connection_with_a_revoked_token(
    double: SpApiDouble, open_app: Callable[..., AppTest], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SP_API_REFRESH_TOKEN", "Atzr|revoked-SECRET")
    at = open_app(PAGE, lang="ja")
    at.button(key="connect_test").click().run()
    assert not at.exception
    assert "再承認" in at.error[0].value
    assert "revoked-SECRET" not in page_text(at)


def test_pull_shows_progress_then_the_summary_and_cursor(
    double: SpApiDouble, open_app: Callable[..., AppTest], isolated: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode("cp932"), statuses=["DONE"])
    double.serve_report(REPORT_ORDERS_BUYER, order_report_text().encode(), statuses=["DONE"])
    yesterday = datetime.now(UTC) - timedelta(days=1)
    double.orders = [
        order("503-1000001-0000003", "Canceled", yesterday.strftime("%Y-%m-%dT%H:%M:%SZ"))
    ]
    stale = isolated / "spapi" / "order_report_20250101T000000Z_20250131T000000Z.txt"
    stale.parent.mkdir(parents=True)
    stale.write_text("old buyer data", encoding="utf-8")
    long_ago = (datetime.now(UTC) - timedelta(days=400)).timestamp()
    os.utime(stale, (long_ago, long_ago))
    at = open_app(PAGE, lang="en")
    assert "Nothing pulled yet." in page_text(at)
    assert "deleted after 30 days" in page_text(at)
    today = today_in_japan()
    at.date_input(key="connect_since").set_value(today - timedelta(days=3))
    at.button(key="connect_pull").click().run()
    assert not at.exception, [e.value for e in at.exception]
    at.session_state["connect_job"].join()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    text = page_text(at)
    assert at.success and at.success[0].value.startswith("Pull complete")
    assert "all-orders report (by last update)" in text
    assert "The next pull continues from" in text
    assert BUYER_NAME not in text
    store = Store.open(isolated)
    assert read_cursor(store) is not None and store.order_count() == 3
    assert len(list((isolated / "spapi").iterdir())) == 3
    assert not stale.exists()  # buyer data past the retention period is gone
    # the next pull continues from the cursor by default
    assert at.checkbox(key="connect_from_cursor").value is True


def test_cancel_button_stops_the_pull(
    double: SpApiDouble, open_app: Callable[..., AppTest]
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, b"", statuses=["IN_PROGRESS"] * 50 + ["DONE"])
    at = open_app(PAGE, lang="en")
    at.button(key="connect_pull").click().run()
    double.hit["getReport"].wait()  # the pull now waits between polls
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    at.button(key="connect_cancel").click().run()
    at.session_state["connect_job"].join()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.info and "Pull cancelled" in at.info[-1].value
