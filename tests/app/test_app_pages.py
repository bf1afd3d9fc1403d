"""Every page of the dashboard through Streamlit's AppTest, over a real store on disk."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pandas as pd
import pytest
from app_export_files import all_orders, order_report_cp932
from streamlit.testing.v1 import AppTest

from sellerguard.i18n import status_label
from sellerguard.store import Store


def texts(at: AppTest) -> str:
    """Everything written on the page, for assertions on what the seller reads."""
    parts = [m.value for m in at.markdown] + [m.value for m in at.title]
    parts += [m.value for m in at.subheader] + [m.value for m in at.caption]
    parts += [m.value for m in at.success] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error]
    return "\n".join(str(p) for p in parts)


def test_welcome_in_japanese_then_english(open_app: Callable[..., AppTest]) -> None:
    at = open_app()
    assert at.title[0].value == "SellerGuard へようこそ"
    assert at.button(key="welcome_load_demo").label == "デモデータを読み込む"
    at.segmented_control(key="app_lang_switch").set_value("en").run()
    assert not at.exception
    assert at.title[0].value == "Welcome to SellerGuard"
    # the choice holds on another page of the same session
    at.switch_page("pages/import_exports.py").run()
    assert at.title[0].value == "Import exports"


def test_demo_button_fills_the_store(open_app: Callable[..., AppTest], home: Path) -> None:
    at = open_app()
    at.button(key="welcome_load_demo").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = Store.open(home)
    assert store.order_count() > 0
    assert "デモデータの注文" in texts(at)
    assert len(store.imported_files()) >= 2
    assert not store.scored_orders().empty


def test_import_page_reads_uploaded_files(open_app: Callable[..., AppTest], home: Path) -> None:
    broken = order_report_cp932(3).replace(b"\r\n", b"\r\nonly\ttwo fields\r\n", 1)
    at = open_app("pages/import_exports.py", lang="en")
    at.file_uploader(key="import_files").set_value(
        [
            ("orders.txt", broken, "text/plain"),
            (
                "all.txt",
                all_orders([("249-1-1", "Pending", "2026-02-01T10:00:00+09:00")]),
                "text/plain",
            ),
        ]
    ).run()
    at.button(key="import_start").click().run()
    assert not at.exception, [e.value for e in at.exception]
    first = at.table[0].value
    assert list(first.index) == ["Order report"]
    row = first.iloc[0]
    assert str(row["Encoding"]).lower().replace("_", "-") in {"cp932", "shift-jis", "ms932"}
    assert (int(row["Rows read"]), int(row["New orders"]), int(row["Problems"])) == (3, 3, 1)
    assert list(at.table[1].value.index) == ["All-orders report"]
    problems = at.dataframe[0].value
    assert list(problems["Line"]) == [2]
    assert "too few fields" in problems.loc[0, "Problem"]
    history = at.dataframe[-1].value
    assert set(history["File"]) == {"orders.txt", "all.txt"}
    assert Store.open(home).order_count() == 4
    # the same files again add nothing and say so
    at.button(key="import_start").click().run()
    assert texts(at).count("was imported before") == 2
    assert Store.open(home).order_count() == 4


def test_import_page_shows_unreadable_file_as_error(open_app: Callable[..., AppTest]) -> None:
    at = open_app("pages/import_exports.py", lang="en")
    at.file_uploader(key="import_files").set_value(
        ("photo.png", b"\x89PNG\r\n\x1a\n\x00\x00", "image/png")
    )
    at.run()
    at.button(key="import_start").click().run()
    assert not at.exception
    assert at.error, "an unreadable file must be reported with st.error"
    assert "photo.png" in at.error[0].value


def queue_table(at: AppTest) -> pd.DataFrame:
    """The page of the review queue on screen."""
    return at.dataframe[0].value


def match_count(at: AppTest) -> int:
    """How many orders the review filters match (all pages of the queue)."""
    found = re.search(r"\*\*([\d,]+)\*\* orders match", texts(at))
    assert found, texts(at)
    return int(found.group(1).replace(",", ""))


def open_expander(at: AppTest, key: str) -> AppTest:
    """Open a lazily drawn expander of the Review page, as a click on it does."""
    at.session_state[key] = True
    return at.run()


def test_review_lists_flagged_orders_highest_first(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/review.py", lang="en")
    table = queue_table(at)
    assert len(table) > 0
    assert set(table["Risk"]) <= {"High", "Medium"}
    assert list(table["Score"]) == sorted(table["Score"], reverse=True)
    assert "Why it was flagged" in texts(at)
    # reasons in plain words, with the rule's title
    first = table.loc[0, "Order ID"]
    scored = Store.open(demo_home).scored_orders().set_index("order_id")
    reason_text = str(scored.loc[first, "reasons_en"])
    sentence = reason_text.split("; ")[0].split("] ", 1)[1]
    assert sentence in texts(at)


def test_review_filters_by_level_rule_and_state(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/review.py", lang="en")
    everything = match_count(at)
    at.multiselect(key="review_levels").set_value(["high"]).run()
    high = queue_table(at)
    assert set(high["Risk"]) == {"High"}
    assert match_count(at) < everything
    code = Store.open(demo_home).scored_orders()["reason_codes"].dropna().str.split("|").explode()
    rule = code.loc[code != ""].value_counts().index[0]
    at.multiselect(key="review_levels").set_value(["high", "medium"]).run()
    at.multiselect(key="review_rules").set_value([rule]).run()
    assert not at.exception
    assert 0 < len(queue_table(at)) <= match_count(at) <= everything
    at.multiselect(key="review_states").set_value(["legitimate"]).run()
    assert "No order matches" in texts(at)


def test_review_queue_pages_through_every_match(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    from sellerguard.store.review import ReviewFilter, review_queue

    store = Store.open(demo_home)
    everything = ReviewFilter(levels=("high", "medium", "low"))
    expected = review_queue(store.scored_orders(), store.verdicts(), everything)["order_id"]
    at = open_app("pages/review.py", lang="en")
    at.multiselect(key="review_levels").set_value(list(everything.levels)).run()
    assert match_count(at) == len(expected) > 100
    assert list(queue_table(at)["Order ID"]) == list(expected.iloc[:50])
    pages = at.selectbox(key="review_page")
    assert pages.options[0] == f"1–50 of {len(expected):,}"
    assert len(pages.options) == -(-len(expected) // 50)
    pages.set_value(2).run()
    assert not at.exception, [e.value for e in at.exception]
    assert list(queue_table(at)["Order ID"]) == list(expected.iloc[50:100])
    # the order to look at is one of the page on screen
    assert at.selectbox(key="review_order").value == expected.iloc[50]
    assert f"Order {expected.iloc[50]}" in texts(at)
    # a changed filter shows its queue from the top
    at.multiselect(key="review_levels").set_value(["high"]).run()
    high = review_queue(store.scored_orders(), store.verdicts(), ReviewFilter(levels=("high",)))
    assert queue_table(at).loc[0, "Order ID"] == high.loc[0, "order_id"]


def test_order_facts_reasons_and_details(open_app: Callable[..., AppTest], demo_home: Path) -> None:
    at = open_app("pages/review.py", lang="en")
    order_id = at.selectbox(key="review_order").value
    row = Store.open(demo_home).scored_orders().set_index("order_id").loc[order_id]
    shown = texts(at)
    assert f"Score **{int(row['risk_score'])}**" in shown
    assert "verdict **Not reviewed**" in shown
    assert not at.table  # the details are drawn once their expander opens
    open_expander(at, "review_details_open")
    details = at.table[0].value
    assert "Ordered at" in set(details.iloc[:, 0]) | set(details.index)
    # the expander stays open for the next order
    other = queue_table(at).loc[1, "Order ID"]
    at.selectbox(key="review_order").set_value(other).run()
    assert at.table and f"Order {other}" in texts(at)


def test_verdict_persists_across_sessions(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/review.py", lang="en")
    order_id = at.selectbox(key="review_order").value
    at.radio(key="review_verdict").set_value("harassment")
    assert at.radio(key="review_scope").value == "order"
    at.text_area(key="review_note").input("refused the parcel twice")
    at.button(key="review_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "Verdict saved for 1 orders" in texts(at)

    again = open_app("pages/review.py", lang="en")
    again.selectbox(key="review_order").set_value(order_id).run()
    assert again.radio(key="review_verdict").value == "harassment"
    assert again.text_area(key="review_note").value == "refused the parcel twice"
    table = queue_table(again).set_index("Order ID")
    assert table.loc[order_id, "Verdict"] == "Harassment"
    verdicts = Store.open(demo_home).verdicts().set_index("order_id")
    assert verdicts.loc[order_id, "note"] == "refused the parcel twice"


def test_group_verdict_marks_every_linked_order(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    store = Store.open(demo_home)
    grouped = set(store.scored_orders().dropna(subset=["group_id"])["order_id"])
    at = open_app("pages/review.py", lang="en")
    order_id = next(o for o in queue_table(at)["Order ID"] if o in grouped)
    at.selectbox(key="review_order").set_value(order_id).run()
    assert len(at.dataframe) == 1  # the linked orders are drawn once their expander opens
    open_expander(at, "review_linked_open")
    linked_rows = len(at.dataframe[1].value)
    assert linked_rows > 0
    at.radio(key="review_verdict").set_value("unsure")
    at.radio(key="review_scope").set_value("group")
    at.button(key="review_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    verdicts = store.verdicts()
    assert len(verdicts) == linked_rows + 1
    assert set(verdicts["verdict"]) == {"unsure"}
    assert order_id in set(verdicts["order_id"])


def test_watchlist_from_an_order(open_app: Callable[..., AppTest], demo_home: Path) -> None:
    at = open_app("pages/review.py", lang="en")
    button = at.button(key="review_watch_phone")
    if button.disabled:
        button = at.button(key="review_watch_address")
    button.click().run()
    assert not at.exception, [e.value for e in at.exception]
    entries = Store.open(demo_home).watchlist()
    assert len(entries) == 1
    assert entries.loc[0, "note"] == at.selectbox(key="review_order").value
    open_expander(at, "review_watch_list_open")
    assert "Watchlist (1)" in texts(at)
    at.button(key="review_unwatch").click().run()
    assert Store.open(demo_home).watchlist().empty


def test_review_without_orders_points_to_welcome(open_app: Callable[..., AppTest]) -> None:
    at = open_app("pages/review.py", lang="en")
    assert "No orders yet" in texts(at)


def test_overview_shows_figures_and_charts(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/overview.py", lang="en")
    metrics = {m.label: m.value for m in at.metric}
    scored = Store.open(demo_home).scored_orders()
    assert metrics["Orders"] == f"{len(scored):,}"
    flagged = int(scored["risk_level"].isin(["high", "medium"]).sum())
    assert metrics["Flagged orders"] == f"{flagged:,}"
    assert metrics["Estimated loss (yen)"].startswith("¥")
    charts = at.get("vega_lite_chart")
    assert len(charts) >= 4
    specs = [json.loads(chart.proto.spec) for chart in charts]
    assert specs[0]["title"] == "Orders per day by risk level"
    assert "Flagged orders by prefecture" in {spec.get("title") for spec in specs}
    # no shipping cost set yet: the loss leaves shipping out, and the page says where to set it
    assert "No shipping cost per parcel is set yet" in texts(at)
    before = metrics["Estimated loss (yen)"]
    Store.open(demo_home).set_setting("workflow.loss_assumptions", {"shipping_out_per_parcel": 800})
    at = open_app("pages/overview.py", lang="en")
    assert "No shipping cost per parcel is set yet" not in texts(at)
    after = {m.label: m.value for m in at.metric}["Estimated loss (yen)"]
    assert int(after.strip("¥").replace(",", "")) > int(before.strip("¥").replace(",", ""))


def test_overview_in_japanese(open_app: Callable[..., AppTest], demo_home: Path) -> None:
    at = open_app("pages/overview.py")
    assert at.title[0].value == "概況"
    assert "注文数" in {m.label for m in at.metric}
    # day axes and tooltips in Japanese numbers: Vega's defaults would name months in English
    specs = [json.loads(chart.proto.spec) for chart in at.get("vega_lite_chart")]
    day_axes = [
        spec["encoding"]["x"]["axis"]["format"]
        for spec in specs
        if spec.get("encoding", {}).get("x", {}).get("type") == "temporal"
    ]
    assert day_axes and set(day_axes) == {"%-m月%-d日"}


def test_review_shows_order_statuses_in_the_seller_language(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/review.py")
    shown = set(queue_table(at)["ステータス"])
    assert shown and shown <= {"出荷済み", "キャンセル済み", "保留中", "未出荷"}
    raw = set(Store.open(demo_home).scored_orders()["status"].dropna())
    statuses = at.multiselect(key="review_order_statuses")
    assert set(statuses.options) == {status_label(s, "ja") for s in raw}
    statuses.set_value(["Cancelled"]).run()  # the filter's values stay Amazon's own
    assert set(queue_table(at)["ステータス"]) == {"キャンセル済み"}
    assert status_label("Shipped", "en") == "Shipped"
    assert status_label("SomethingNew", "ja") == "SomethingNew"  # shown as Amazon wrote it


def test_settings_saves_thresholds_and_weights(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/settings.py", lang="en")
    at.number_input(key="settings_high").set_value(70)
    at.number_input(key="settings_rule_repeat_cancel_weight").set_value(55)
    at.number_input(key="settings_retention").set_value(45)
    at.button(key="settings_save").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert at.success
    from sellerguard.store.scans import store_settings

    settings = store_settings(Store.open(home))
    assert settings.high == 70
    assert settings.rule("repeat_cancel").weight == 55
    assert settings.retention_days == 45
    assert Store.open(home).retention_days() == 45
    # a new session shows the saved values
    again = open_app("pages/settings.py", lang="en")
    assert again.number_input(key="settings_high").value == 70


def test_settings_rejects_inconsistent_thresholds(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/settings.py", lang="en")
    at.number_input(key="settings_medium").set_value(80)
    at.number_input(key="settings_high").set_value(40)
    at.button(key="settings_save").click().run()
    assert not at.exception
    assert at.error
    assert Store.open(home).get_setting("settings") is None


def test_settings_default_language_is_remembered(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/settings.py")
    at.selectbox(key="settings_default_lang").set_value("en").run()
    assert Store.open(home).get_setting("app.lang") == "en"
    fresh = AppTest.from_file(
        str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=600
    )
    fresh.run()
    assert fresh.title[0].value == "Welcome to SellerGuard"


def test_settings_delete_everything(open_app: Callable[..., AppTest], demo_home: Path) -> None:
    at = open_app("pages/settings.py", lang="en")
    assert at.button(key="settings_delete_all").disabled
    at.checkbox(key="settings_confirm_delete").check().run()
    at.button(key="settings_delete_all").click().run()
    assert not at.exception, [e.value for e in at.exception]
    assert "All data was deleted" in texts(at)
    store = Store.open(demo_home)
    assert store.order_count() == 0
    assert store.verdicts().empty


def test_app_start_deletes_expired_personal_data(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    import sqlite3

    store = Store.open(home)
    store.import_exports([("old.txt", order_report_cp932(2, prefix="111-2222222-"))])
    with sqlite3.connect(store.path) as conn:  # imported long ago, shipped long ago
        conn.execute("UPDATE imported_files SET imported_at = '2026-01-01T00:00:00+00:00'")
    assert set(store.items()["buyer_name"].dropna()) == {"山田 太郎"}
    open_app()
    items = store.items()
    assert items["buyer_name"].isna().all()
    assert items["ship_address_1"].isna().all()
    assert set(items["ship_postal_code"]) == {"100-0001"}


def listed_pages() -> list[str]:
    import ast

    source = (Path(__file__).resolve().parents[2] / "app.py").read_text(encoding="utf-8")
    tree = ast.parse(source)
    return [
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and node.value.startswith("pages/")
        and node.value.endswith(".py")
    ]


def test_every_page_in_the_navigation_opens(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    root = Path(__file__).resolve().parents[2]
    pages = [p for p in dict.fromkeys(listed_pages()) if (root / p).is_file()]
    assert len(pages) >= 5
    at = open_app(lang="en")
    for page in pages:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page


def test_watch_a_typed_phone_from_the_review_page(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/review.py", lang="en")
    open_expander(at, "review_watch_list_open")
    at.selectbox(key="review_watch_manual_kind").set_value("phone")
    at.text_input(key="review_watch_manual_value").input("090-1234-5678")
    at.button(key="review_watch_manual_add").click().run()
    assert not at.exception, [e.value for e in at.exception]
    store = Store.open(demo_home)
    assert list(store.watchlist()["key_hash"]) == [store.salted("phone", "09012345678")]
    at.text_input(key="review_watch_manual_value").input("   ")
    at.button(key="review_watch_manual_add").click().run()
    assert at.error


def test_language_from_the_environment_when_nothing_is_saved(
    home: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SELLERGUARD_LANG", "en")
    at = AppTest.from_file(str(Path(__file__).resolve().parents[2] / "app.py"), default_timeout=600)
    at.run()
    assert at.title[0].value == "Welcome to SellerGuard"


def test_overview_without_orders_says_so(open_app: Callable[..., AppTest]) -> None:
    at = open_app("pages/overview.py", lang="en")
    assert "No orders yet" in texts(at)
    assert not at.get("vega_lite_chart")
