"""Workflow pages through AppTest: checklist, drafts, filings, evidence, report, help."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

from streamlit.testing.v1 import AppTest

from sellerguard.store import Store
from sellerguard.workflow.checklist import STEPS, checklist_progress
from sellerguard.workflow.evidence import list_evidence
from sellerguard.workflow.filings import Filing, add_filing, list_filings


def texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [m.value for m in at.title]
    parts += [m.value for m in at.subheader] + [m.value for m in at.caption]
    parts += [m.value for m in at.success] + [m.value for m in at.info]
    parts += [m.value for m in at.warning] + [m.value for m in at.error]
    parts += [m.value for m in at.code] + [e.label for e in at.expander]
    return "\n".join(str(p) for p in parts)


def no_exception(at: AppTest) -> None:
    assert not at.exception, [e.value for e in at.exception]


def test_checklist_saves_a_step_that_survives_a_restart(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/checklist.py")
    page = texts(at)
    for step in ("代金引換（代引き）は2024年6月6日に終了", "自分のアカウントを守る"):
        assert step in page
    assert "設定 → 出品用アカウント情報" in page
    at.selectbox(key="checklist_status_cvs_account").set_value("done")
    at.date_input(key="checklist_date_cvs_account").set_value(date(2024, 7, 1))
    at.text_input(key="checklist_note_cvs_account").set_value("off")
    at.button(key="checklist_save_cvs_account").click().run()
    no_exception(at)
    saved = {p.code: p for p in checklist_progress(Store.open(home))}
    assert saved["cvs_account"].status == "done"
    assert saved["cvs_account"].done_on == date(2024, 7, 1)
    assert saved["cvs_account"].note == "off"
    again = open_app("pages/checklist.py", lang="en")
    assert again.selectbox(key="checklist_status_cvs_account").value == "done"
    assert len(STEPS) == 7


def test_checklist_prefills_targeted_skus_and_offers_the_flat_file(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/checklist.py")
    chosen = at.multiselect(key="checklist_skus").value
    assert chosen, "the SKUs hit by harassment are prefilled"
    assert at.get("download_button")
    assert "保留中・未発送の要注意の注文" in texts(at) or "ありません" in texts(at)


def test_draft_page_counts_earlier_filings(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    store = Store.open(demo_home)
    add_filing(store, Filing(date(2024, 5, 1), "amazon_phone", case_id="CASE-111"))
    add_filing(store, Filing(date(2024, 5, 8), "amazon_case", case_id="CASE-222"))
    at = open_app("pages/drafts.py")
    draft = at.code[0].value
    assert "3回目" in draft
    assert "CASE-111" in draft and "CASE-222" in draft
    at.radio(key="drafts_lang").set_value("en").run()
    no_exception(at)
    assert "[3rd report]" in at.code[0].value
    at.text_input(key="drafts_previous").set_value("CASE-333").run()
    assert "[4th report]" in at.code[0].value
    at.segmented_control(key="drafts_mode").set_value("group").run()
    no_exception(at)
    assert at.code and "Subject:" in at.code[0].value


def test_filing_form_logs_and_reminds(open_app: Callable[..., AppTest], home: Path) -> None:
    at = open_app("pages/filings.py", lang="en")
    at.selectbox(key="filings_channel").set_value("amazon_phone")
    at.text_input(key="filings_case_id").set_value("98765")
    at.date_input(key="filings_filed_on").set_value(date.today() - timedelta(days=10))
    at.date_input(key="filings_follow_up_on").set_value(date.today() - timedelta(days=1))
    at.text_area(key="filings_order_ids").set_value("503-1, 503-2")
    at.button(key="filings_save").click().run()
    no_exception(at)
    filings = list_filings(Store.open(home))
    assert [f.case_id for f in filings] == ["98765"]
    assert filings[0].order_ids == ("503-1", "503-2")
    at = open_app("pages/filings.py", lang="en")
    assert "Follow-ups due" in texts(at)
    at.button(key=f"filings_done_{filings[0].id}").click().run()
    no_exception(at)
    assert "Follow-ups due" not in texts(at)


def test_app_shows_a_due_follow_up_as_a_reminder(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    store = Store.open(home)
    add_filing(
        store,
        Filing(date.today() - timedelta(days=7), "amazon_case", follow_up_on=date.today()),
    )
    at = open_app()
    assert any("確認の期限が来た報告が1件あります" in w.value for w in at.sidebar.warning)


def test_evidence_form_stores_a_file_with_its_hash(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/evidence.py")
    at.text_input(key="evidence_title").set_value("注文画面")
    at.text_area(key="evidence_note").set_value("キャンセル前の画面")
    at.file_uploader(key="evidence_file").set_value([("shot.png", b"\x89PNG fake", "image/png")])
    at.button(key="evidence_save").click().run()
    no_exception(at)
    entries = list_evidence(Store.open(home))
    assert [e.title for e in entries] == ["注文画面"]
    assert entries[0].file_name == "shot.png"
    assert entries[0].sha256 in texts(at)
    assert (home / str(entries[0].stored_path)).read_bytes() == b"\x89PNG fake"


def test_incident_report_page_builds_a_masked_report(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/incident_report.py", lang="en")
    at.selectbox(key="incident_format").set_value("md")
    at.button(key="incident_build").click().run()
    no_exception(at)
    fmt, data, built = at.session_state["incident_built"]
    assert fmt == "md"
    text = data.decode("utf-8")
    assert "# Incident report" in text
    items = Store.open(demo_home).items()
    names = items["buyer_name"].dropna().astype("str")
    assert not any(name in text for name in names.loc[names.str.len() >= 4])
    assert built.order_count > 0


def test_help_page_lists_the_desks_and_builds_the_pdf(
    open_app: Callable[..., AppTest], home: Path
) -> None:
    at = open_app("pages/help.py")
    page = texts(at)
    for needle in ("#9110", "0570-078374", "0570-003-110", "偽計業務妨害", "刑法233条"):
        assert needle in page
    at.button(key="help_build").click().run()
    no_exception(at)
    assert at.session_state["help_pdf"].startswith(b"%PDF")


def test_draft_hands_its_orders_to_the_filing_form(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/drafts.py", lang="en")
    at.segmented_control(key="drafts_mode").set_value("group").run()
    no_exception(at)
    draft = at.code[0].value
    at.button(key="drafts_log").click().run()
    no_exception(at)
    order_ids = at.text_area(key="filings_order_ids").value.split("\n")
    assert order_ids and all(order_id in draft for order_id in order_ids)


def test_incident_report_page_shows_the_chart(
    open_app: Callable[..., AppTest], demo_home: Path
) -> None:
    at = open_app("pages/incident_report.py")
    assert at.get("arrow_vega_lite_chart") or at.get("vega_lite_chart")
