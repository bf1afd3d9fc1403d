"""The dashboard in real Chromium against a real ``streamlit run app.py``."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e_server import Server, wait_app_idle

from sellerguard.i18n import t
from sellerguard.store import Store

pytestmark = pytest.mark.e2e

ORDER_ID = re.compile(r"\d{3}-\d{7}-\d{7}")
NOTE = "受取拒否 2回目 / refused twice"


def open_page(page: Any, server: Server, path: str = "") -> None:
    """Open ``path`` and check it runs inside app.py's navigation (language switch shown)."""
    page.goto(f"{server.url}/{path}")
    page.wait_for_selector('[data-testid="stApp"]')
    page.locator(".st-key-app_lang_switch").wait_for()
    wait_app_idle(page)
    nav = page.locator('[data-testid="stSidebarNav"]').inner_text()
    assert t("app.page.review", "ja") in nav and "common" not in nav


def test_demo_review_verdict_survives_restart(
    start_server: Callable[[], Server], page: Any, home: Path, outside_requests: list[str]
) -> None:
    server = start_server()
    open_page(page, server)
    page.get_by_text(t("app.welcome.title", "ja")).wait_for()
    page.locator(".st-key-welcome_load_demo button").click()
    page.get_by_text(t("app.welcome.demo.done", "ja", n=0).split("0")[0]).wait_for()
    assert Store.open(home).order_count() > 0

    open_page(page, server, "review")
    page.locator(".st-key-review_save button").wait_for()
    shown = page.locator(".st-key-review_order input").input_value()
    found = ORDER_ID.search(shown)
    assert found, shown
    order_id = found.group(0)
    page.locator(".st-key-review_verdict").get_by_text(
        t("review.state.unsure", "ja"), exact=True
    ).click()
    wait_app_idle(page)
    note = page.locator(".st-key-review_note textarea")
    note.fill(NOTE)
    note.press("Control+Enter")
    wait_app_idle(page)
    page.locator(".st-key-review_save button").click()
    page.get_by_text(t("review.verdict.saved", "ja", n=1)[:12]).wait_for()

    verdicts = Store.open(home).verdicts().set_index("order_id")
    assert order_id in verdicts.index, (order_id, list(verdicts.index))
    assert verdicts.loc[order_id, "verdict"] == "unsure"
    assert verdicts.loc[order_id, "note"] == NOTE

    server.stop()
    again = start_server()
    open_page(page, again, "review")
    page.locator(".st-key-review_note textarea").wait_for()
    assert order_id in page.locator(".st-key-review_order input").input_value()
    assert page.locator(".st-key-review_note textarea").input_value() == NOTE
    chosen = page.locator(
        '.st-key-review_verdict [data-testid="stRadioOption"][data-selected="true"]'
    )
    assert chosen.inner_text().strip() == t("review.state.unsure", "ja")
    # Nothing the dashboard shows is fetched from (or reported to) another machine.
    assert outside_requests == []


def cp932_export() -> bytes:
    header = (
        "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\t"
        "buyer-phone-number\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\t"
        "recipient-name\tship-address-1\tship-address-2\tship-city\tship-state\t"
        "ship-postal-code\tship-country\tship-phone-number"
    )
    rows = [
        f"250-5555555-{i:07d}\titem{i}\t2026-03-0{i + 1}T10:00:00+09:00\t"
        f"2026-03-0{i + 1}T10:05:00+09:00\tb{i}@marketplace.amazon.co.jp\t佐藤 花子\t"
        "090-1111-2222\tSKU-Z\t抹茶セット\t2\tJPY\t3200\t佐藤 花子\t桜木町3-4-5\t\t横浜市中区\t"
        "神奈川県\t231-0062\tJP\t090-1111-2222"
        for i in range(3)
    ]
    return ("\r\n".join([header, *rows]) + "\r\n").encode("cp932")


def test_upload_cp932_export_through_the_page(
    start_server: Callable[[], Server], page: Any, home: Path
) -> None:
    server = start_server()
    open_page(page, server, "import_exports")
    page.locator(".st-key-import_files input[type=file]").set_input_files(
        files=[{"name": "注文レポート.txt", "mimeType": "text/plain", "buffer": cp932_export()}]
    )
    page.get_by_text("注文レポート.txt").first.wait_for()
    button = page.locator(".st-key-import_start button")
    page.wait_for_function("el => !el.disabled", arg=button.element_handle())
    button.click()
    page.get_by_text(t("import.result.new_orders", "ja", n=3)).wait_for()
    table = page.locator('[data-testid="stTable"]').first.inner_text()
    assert t("exports.kind.order_report", "ja") in table
    assert "cp932" in table.lower().replace("shift_jis", "cp932")
    store = Store.open(home)
    assert store.order_count() == 3
    assert set(store.items()["buyer_name"]) == {"佐藤 花子"}
    assert list(store.imported_files()["name"]) == ["注文レポート.txt"]


def test_a_tab_opened_on_a_page_finds_the_server_at_once(
    start_server: Callable[[], Server], page: Any
) -> None:
    """A new tab on /review asks /_stcore/... straight away (BackendBaseUrl in the shell),
    not /review/_stcore/... first, which answers 404 and costs a retry."""
    server = start_server()
    answers: list[tuple[int, str]] = []
    page.on("response", lambda response: answers.append((response.status, response.url)))
    sockets: list[str] = []
    page.on("websocket", lambda socket: sockets.append(socket.url))
    open_page(page, server, "review")
    page.get_by_role("heading", name=t("review.title", "ja")).first.wait_for()
    paths = [urlsplit(url).path for _, url in answers]
    assert "/_stcore/health" in paths
    assert not [p for p in paths if p.startswith("/review/")], paths
    assert [status for status, _ in answers if status >= 400] == []
    assert [urlsplit(url).path for url in sockets] == ["/_stcore/stream"]
