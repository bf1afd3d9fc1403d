"""Checklist, filings, evidence, losses and support-report drafts (pure core + a real store)."""

from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from sellerguard.errors import ReportError
from sellerguard.store import Store
from sellerguard.workflow.checklist import (
    STEPS,
    checklist_progress,
    payment_exclusion_flat_file,
    set_step,
)
from sellerguard.workflow.drafts import draft_support_report, ordinal
from sellerguard.workflow.evidence import (
    add_evidence,
    evidence_file,
    list_evidence,
    verify_evidence,
)
from sellerguard.workflow.filings import (
    Filing,
    add_filing,
    due_followups,
    list_filings,
    report_number,
    should_suggest_other_channels,
    update_filing,
)
from sellerguard.workflow.losses import LossAssumptions, estimate_losses
from sellerguard.workflow.selection import select_orders, targeted_skus, unshipped_flagged_orders

TOKYO = "Asia/Tokyo"


def scanned_orders() -> pd.DataFrame:
    """A small ScanResult.orders-like frame: two linked harassment groups and a normal order."""
    return pd.DataFrame(
        {
            "order_id": [
                "503-0000001-0000001",
                "503-0000002-0000002",
                "503-0000003-0000003",
                "503-0000004-0000004",
                "503-0000005-0000005",
            ],
            "purchase_date": pd.to_datetime(
                [
                    "2024-05-01 10:00",
                    "2024-05-03 11:00",
                    "2024-07-10 09:00",
                    "2024-07-11 09:00",
                    "2024-07-12 12:00",
                ]
            ).tz_localize(TOKYO),
            "last_updated_date": pd.to_datetime(
                [
                    "2024-05-08 10:00",
                    "2024-05-09 11:00",
                    "2024-07-16 09:00",
                    None,
                    "2024-07-13 12:00",
                ]
            ).tz_localize(TOKYO),
            "status": pd.Series(
                ["Shipped", "Shipped", "Cancelled", "Pending", "Shipped"], dtype="str"
            ),
            "sku": pd.Series(["SKU-A", "SKU-A", "SKU-B", "SKU-B", "SKU-C"], dtype="str"),
            "skus": pd.Series(["SKU-A", "SKU-A", "SKU-B", "SKU-B|SKU-A", "SKU-C"], dtype="str"),
            "asin": pd.Series(
                ["B000000001", "B000000001", "B000000002", "B000000002", "B000000003"], dtype="str"
            ),
            "quantity": pd.array([1, 2, 10, 5, 1], dtype="Int64"),
            "order_value": pd.array([1000.0, 2000.0, 30000.0, 15000.0, 500.0], dtype="Float64"),
            "payment_method": pd.Series(["COD", "COD", pd.NA, pd.NA, pd.NA], dtype="str"),
            "returned": pd.array([True, False, False, False, False], dtype="boolean"),
            "risk_score": pd.array([90, 85, 80, 75, 5], dtype="Int64"),
            "risk_level": pd.Series(["high", "high", "high", "medium", "low"], dtype="str"),
            "reason_codes": pd.Series(
                [
                    "cod_refused|phone_many_names",
                    "cod_refused",
                    "cvs_lock|quantity_abnormal",
                    "cvs_lock",
                    "",
                ],
                dtype="str",
            ),
            "group_id": pd.Series(["g1", "g1", "g2", "g2", pd.NA], dtype="str"),
            "address_key": pd.Series(
                ["addr-x", "addr-x", "addr-y", "addr-z", "addr-q"], dtype="str"
            ),
            "phone_key": pd.Series(
                ["0312345678", "0312345678", "0398765432", "0398765432", "0311112222"], dtype="str"
            ),
        }
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "home")


# --- checklist -----------------------------------------------------------------------------


def test_checklist_defaults_to_not_yet_for_every_step(store: Store) -> None:
    progress = checklist_progress(store)
    assert [p.code for p in progress] == [s.code for s in STEPS]
    assert {p.status for p in progress} == {"not_yet"}


def test_checklist_survives_a_restart(store: Store) -> None:
    set_step(store, "cvs_account", "done", date(2024, 7, 1), "turned off")
    set_step(store, "fba_caveat", "not_applicable", note="no FBA")
    set_step(store, "cancel_unshipped", "done")  # dated today
    reopened = Store.open(store.home)
    saved = {p.code: p for p in checklist_progress(reopened)}
    assert saved["cvs_account"].status == "done"
    assert saved["cvs_account"].done_on == date(2024, 7, 1)
    assert saved["cvs_account"].note == "turned off"
    assert saved["fba_caveat"].status == "not_applicable"
    assert saved["fba_caveat"].done_on is None
    assert saved["cancel_unshipped"].done_on == date.today()
    set_step(reopened, "cvs_account", "not_yet")
    again = {p.code: p for p in checklist_progress(Store.open(store.home))}
    assert again["cvs_account"].status == "not_yet"
    assert again["cvs_account"].done_on is None


def test_checklist_writes_leave_the_scan_revision_alone(store: Store) -> None:
    before = store.revision()
    set_step(store, "cvs_account", "done")
    add_filing(store, Filing(date(2024, 7, 1), "amazon_phone"))
    assert store.revision() == before


@pytest.mark.parametrize(
    ("code", "status", "reason"),
    [("nope", "done", "unknown_step"), ("cvs_account", "finished", "unknown_status")],
)
def test_checklist_rejects_unknown_values(
    store: Store, code: str, status: str, reason: str
) -> None:
    with pytest.raises(ReportError) as caught:
        set_step(store, code, status)
    assert caught.value.reason == reason
    assert caught.value.message("ja")


def test_flat_file_has_the_two_columns_and_one_row_per_sku() -> None:
    data = payment_exclusion_flat_file(["SKU-A", "SKU-B", "SKU-A", " "], "exclude cod, cvs")
    lines = data.decode("utf-8").split("\r\n")
    assert lines[0] == "sku\toptional-payment-type-exclusion"
    assert lines[1:3] == ["SKU-A\texclude cod, cvs", "SKU-B\texclude cod, cvs"]
    assert lines[3:] == [""]
    with pytest.raises(ReportError):
        payment_exclusion_flat_file([])
    with pytest.raises(ReportError):
        payment_exclusion_flat_file(["X"], "exclude all")


def test_targeted_skus_and_unshipped_orders() -> None:
    orders = scanned_orders()
    assert targeted_skus(orders) == ["SKU-A", "SKU-B"]
    assert unshipped_flagged_orders(orders)["order_id"].tolist() == ["503-0000004-0000004"]


# --- filings -------------------------------------------------------------------------------


def test_filings_survive_a_restart_and_follow_ups_fall_due(store: Store) -> None:
    add_filing(
        store,
        Filing(
            date(2024, 7, 1),
            "amazon_phone",
            case_id="111",
            answered_by="A",
            response="will check",
            follow_up_on=date(2024, 7, 5),
        ),
    )
    later = add_filing(
        store,
        Filing(
            date(2024, 7, 8),
            "amazon_case",
            case_id="222",
            outcome="no_action",
            follow_up_on=date(2024, 7, 20),
            order_ids=("503-1", "503-2"),
        ),
    )
    reopened = Store.open(store.home)
    filings = list_filings(reopened)
    assert [f.case_id for f in filings] == ["111", "222"]
    assert filings[1].order_ids == ("503-1", "503-2")
    assert filings[0].answered_by == "A"
    assert due_followups(reopened, date(2024, 7, 4)) == []
    assert [f.case_id for f in due_followups(reopened, date(2024, 7, 5))] == ["111"]
    assert [f.case_id for f in due_followups(reopened, date(2024, 7, 30))] == ["111", "222"]
    update_filing(reopened, filings[0].id, follow_up_done=True)
    update_filing(reopened, later.id, outcome="resolved")
    assert [f.case_id for f in due_followups(reopened, date(2024, 7, 30))] == ["222"]
    assert list_filings(reopened)[1].outcome == "resolved"
    with pytest.raises(ReportError):
        update_filing(reopened, 999, outcome="resolved")


def test_report_number_counts_amazon_filings_and_extra_cases() -> None:
    filings = [
        Filing(date(2024, 7, 1), "amazon_phone", case_id="111"),
        Filing(date(2024, 7, 2), "police_9110"),
        Filing(date(2024, 7, 3), "amazon_case", case_id="222"),
    ]
    assert report_number(filings) == 3
    assert report_number(filings, ["222", "333", " "]) == 4
    assert report_number([]) == 1


def test_other_channels_suggested_after_repeated_unresolved_filings() -> None:
    def amazon(day: int, outcome: str) -> Filing:
        return Filing(date(2024, 7, day), "amazon_phone", outcome=outcome)

    assert not should_suggest_other_channels([amazon(1, "no_action"), amazon(2, "waiting")])
    assert should_suggest_other_channels(
        [amazon(1, "no_action"), amazon(2, "waiting"), amazon(3, "partial")]
    )
    assert not should_suggest_other_channels(
        [amazon(1, "no_action"), amazon(2, "no_action"), amazon(3, "resolved")]
    )


# --- evidence ------------------------------------------------------------------------------


def test_evidence_file_stored_under_its_hash(store: Store) -> None:
    content = b"\x89PNG fake screenshot"
    entry = add_evidence(
        store,
        date(2024, 7, 2),
        "Screenshot",
        "order page",
        file_name="../../shot.PNG",
        content=content,
    )
    assert entry.sha256 == hashlib.sha256(content).hexdigest()
    path = evidence_file(store, entry)
    assert path is not None and path.read_bytes() == content
    assert path.parent == store.home / "evidence"
    assert path.name == f"{entry.sha256}.png"
    text = add_evidence(store, date(2024, 7, 1), "Phone call", "agent said no")
    listed = list_evidence(Store.open(store.home))
    assert [e.title for e in listed] == ["Phone call", "Screenshot"]
    assert listed[1].file_name == "shot.PNG"
    assert all(verify_evidence(store, e) for e in listed)
    assert text.sha256 == hashlib.sha256(b"agent said no").hexdigest()
    path.write_bytes(b"tampered")
    assert not verify_evidence(store, listed[1])


def test_evidence_needs_a_title(store: Store) -> None:
    with pytest.raises(ReportError):
        add_evidence(store, date(2024, 7, 1), "  ")


# --- losses --------------------------------------------------------------------------------


def test_losses_follow_the_assumptions() -> None:
    orders = select_orders(scanned_orders())
    losses = estimate_losses(
        orders,
        LossAssumptions(shipping_out_per_parcel=800, shipping_back_per_parcel=900),
        today=date(2024, 7, 15),
    )
    assert (losses.cod_orders, losses.cod_items, losses.cod_fees) == (2, 3, 990)
    assert losses.shipped_parcels == 2
    assert losses.shipping_cost == 2 * 1700
    assert losses.direct_cost == 990 + 3400
    assert (losses.locked_orders, losses.locked_items) == (2, 15)
    # cancelled after 6 days (10 items), pending since 2024-07-11 09:00 (5 items, 3.6 days)
    assert losses.locked_item_days == pytest.approx(10 * 6 + 5 * 3.6, abs=0.2)
    assert losses.locked_value == 45000
    one_way = estimate_losses(
        orders,
        LossAssumptions(
            shipping_out_per_parcel=800, shipping_back_per_parcel=900, shipped_came_back=False
        ),
    )
    assert one_way.shipping_cost == 1600


def test_assumptions_round_trip_and_reject_negatives() -> None:
    values = LossAssumptions(shipping_out_per_parcel=700).to_dict()
    assert LossAssumptions.from_dict(values).shipping_out_per_parcel == 700
    assert LossAssumptions.from_dict({"unknown": 1}) == LossAssumptions()
    with pytest.raises(ReportError):
        LossAssumptions.from_dict({"cod_fee_per_item": -1})


# --- drafts --------------------------------------------------------------------------------


def test_selection_by_group_ids_and_dates() -> None:
    orders = scanned_orders()
    assert select_orders(orders, group_id="g2")["order_id"].str[-1].tolist() == ["3", "4"]
    assert len(select_orders(orders, order_ids=["503-0000005-0000005"])) == 1
    assert len(select_orders(orders)) == 4
    period = select_orders(orders, date_from=date(2024, 7, 11), date_to=date(2024, 7, 31))
    assert period["order_id"].tolist() == ["503-0000004-0000004"]


def test_draft_cites_earlier_case_ids_and_counts_the_report() -> None:
    filings = [
        Filing(date(2024, 7, 1), "amazon_phone", case_id="1111111111", outcome="no_action"),
        Filing(date(2024, 7, 5), "police_9110"),
    ]
    text = draft_support_report(
        select_orders(scanned_orders()),
        filings=filings,
        previous_case_ids=["2222222222"],
        today=date(2024, 7, 20),
    )
    assert "3回目" in text
    assert "1111111111" in text and "2222222222" in text
    assert "503-0000003-0000003" in text and "SKU-B" in text and "B000000002" in text
    assert "503-0000005-0000005" not in text
    assert "2024年5月1日" in text
    assert "同じ電話番号: 4件の注文（2件の番号）" in text
    assert "代引き手数料: 2件・3個 × ¥330 = ¥990" in text
    # nothing that identifies a buyer, even in normalised form
    for key in ("0312345678", "0398765432", "addr-x"):
        assert key not in text


def test_draft_in_english_lists_the_checklist_with_dates(store: Store) -> None:
    set_step(store, "cvs_account", "done", date(2024, 7, 2))
    set_step(store, "secure_account", "not_yet")
    text = draft_support_report(
        select_orders(scanned_orders(), group_id="g2"),
        checklist=checklist_progress(store),
        lang="en",
        today=date(2024, 7, 20),
    )
    assert "2024-07-02: Turn off convenience-store payment" in text
    assert "Secure your own account" not in text
    assert "This is our first report." in text
    assert "[1st report]" in text


def test_draft_can_list_fewer_orders_and_count_the_rest() -> None:
    text = draft_support_report(select_orders(scanned_orders()), max_listed=1)
    assert "503-0000001-0000001" in text
    assert "503-0000002-0000002" not in text
    assert "ほか3件" in text
    assert "状態の内訳: Shipped 2、Cancelled 1、Pending 1" in text


def test_draft_without_orders_is_an_error() -> None:
    with pytest.raises(ReportError) as caught:
        draft_support_report(scanned_orders().iloc[0:0])
    assert caught.value.reason == "no_orders"


@pytest.mark.parametrize(
    ("n", "en"),
    [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"), (11, "11th"), (12, "12th"), (21, "21st")],
)
def test_ordinals(n: int, en: str) -> None:
    assert ordinal(n, "en") == en
    assert ordinal(n, "ja") == f"{n}回目"


# --- declared content ----------------------------------------------------------------------


def test_every_declared_item_has_text_in_both_languages() -> None:
    from sellerguard.i18n import catalogue
    from sellerguard.workflow.desks import DESKS
    from sellerguard.workflow.filings import CHANNELS, OUTCOMES

    keys = [k for step in STEPS for k in (step.title_key, step.body_key)]
    keys += [k for desk in DESKS for k in (desk.name_key, desk.what_key, desk.bring_key)]
    keys += [f"workflow.channel.{c}" for c in CHANNELS]
    keys += [f"workflow.outcome.{o}" for o in OUTCOMES]
    messages = catalogue()
    for key in keys:
        assert messages[key]["ja"] and messages[key]["en"], key
    assert {desk.channel for desk in DESKS} <= set(CHANNELS)


def test_help_desks_carry_the_public_numbers() -> None:
    from sellerguard.workflow.desks import DESKS

    phones = {desk.code: desk.phone for desk in DESKS}
    assert phones["houterasu"] == "0570-078374"
    assert phones["legal_affairs_bureau"] == "0570-003-110"
    assert phones["police_9110"] == "#9110"


def test_checklist_states_the_cod_end_date_and_the_settings_path() -> None:
    from sellerguard.i18n import t

    assert "2024年6月6日" in t("workflow.step.cod_ended.body", "ja")
    assert "2024-06-06" in t("workflow.step.cod_ended.body", "en")
    body = t("workflow.step.cvs_account.body", "ja")
    for label in ("設定", "出品用アカウント情報", "支払い方法の設定", "編集", "送信"):
        assert label in body
    assert "ラベル" in body  # the seller is told to check the current labels
    assert "optional-payment-type-exclusion" in t("workflow.step.sku_exclusion.body", "en")
