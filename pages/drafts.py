"""Drafts: the support-report text for a period, a linked group or picked orders."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import LANGUAGES, t
from sellerguard.workflow.checklist import checklist_progress
from sellerguard.workflow.drafts import draft_support_report, format_date
from sellerguard.workflow.filings import (
    amazon_filings,
    list_filings,
    should_suggest_other_channels,
)
from sellerguard.workflow.losses import SETTINGS_KEY, LossAssumptions
from sellerguard.workflow.selection import (
    flagged_groups,
    flagged_orders,
    purchase_day,
    select_orders,
)

L = lang()
db = store()

st.title(t("workflow.drafts.title", L))
st.write(t("workflow.drafts.intro", L))
try:
    orders = db.scored_orders()
    filings = list_filings(db)
    checklist = checklist_progress(db)
    assumptions = LossAssumptions.from_dict(db.get_setting(SETTINGS_KEY))
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()

if should_suggest_other_channels(filings):
    st.warning(t("workflow.drafts.escalate", L, count=len(amazon_filings(filings))))
    st.page_link("pages/help.py", label=t("workflow.drafts.go_help", L), icon=":material/support:")

flagged = flagged_orders(orders)
if flagged.empty:
    st.info(t("workflow.drafts.no_flagged", L))
    st.stop()

mode = st.segmented_control(
    t("workflow.drafts.mode", L),
    options=["period", "group", "selection"],
    default="period",
    format_func=lambda value: t(f"workflow.drafts.mode.{value}", L),
    key="drafts_mode",
)
days = purchase_day(flagged).dropna()
first_day, last_day = days.min().date(), days.max().date()
chosen = flagged.iloc[0:0]
if mode == "group":
    groups = flagged_groups(orders)
    labels = {
        row.group_id: t(
            "workflow.drafts.group_label",
            L,
            group=row.group_id,
            orders=row.orders,
            first=format_date(row.first, L),
            last=format_date(row.last, L),
        )
        for row in groups.itertuples()
    }
    group = st.selectbox(
        t("workflow.drafts.group", L),
        options=list(labels),
        format_func=lambda value: labels[value],
        key="drafts_group",
    )
    if group is not None:
        chosen = select_orders(orders, group_id=str(group))
elif mode == "selection":
    picked = st.multiselect(
        t("workflow.drafts.orders", L),
        options=flagged["order_id"].astype("str").tolist(),
        key="drafts_orders",
        placeholder=t("app.choose_options", L),
    )
    if picked:
        chosen = select_orders(orders, order_ids=picked)
else:
    columns = st.columns(2)
    date_from = columns[0].date_input(
        t("workflow.drafts.from", L), value=first_day, key="drafts_from"
    )
    date_to = columns[1].date_input(t("workflow.drafts.to", L), value=last_day, key="drafts_to")
    if isinstance(date_from, date) and isinstance(date_to, date):
        chosen = select_orders(orders, date_from=date_from, date_to=date_to)

columns = st.columns([1, 3])
draft_lang = columns[0].radio(
    t("workflow.drafts.language", L),
    options=list(LANGUAGES),
    index=list(LANGUAGES).index(L),
    format_func=lambda value: t(f"workflow.drafts.language.{value}", L),
    horizontal=True,
    key="drafts_lang",
)
previous = columns[1].text_input(t("workflow.drafts.previous", L), key="drafts_previous")
max_listed = st.number_input(
    t("workflow.drafts.max_listed", L), min_value=1, value=100, step=10, key="drafts_max_listed"
)

with st.expander(t("workflow.drafts.assumptions", L)), st.form("drafts_assumptions_form"):
    cells = st.columns(3)
    cod_fee = cells[0].number_input(
        t("workflow.drafts.cod_fee", L),
        min_value=0,
        value=assumptions.cod_fee_per_item,
        step=10,
        key="drafts_cod_fee",
    )
    shipping_out = cells[1].number_input(
        t("workflow.drafts.shipping_out", L),
        min_value=0,
        value=assumptions.shipping_out_per_parcel,
        step=10,
        key="drafts_shipping_out",
    )
    shipping_back = cells[2].number_input(
        t("workflow.drafts.shipping_back", L),
        min_value=0,
        value=assumptions.shipping_back_per_parcel,
        step=10,
        key="drafts_shipping_back",
    )
    came_back = st.checkbox(
        t("workflow.drafts.came_back", L),
        value=assumptions.shipped_came_back,
        key="drafts_came_back",
    )
    lock_days = st.number_input(
        t("workflow.drafts.lock_days", L),
        min_value=0,
        max_value=60,
        value=assumptions.default_lock_days,
        key="drafts_lock_days",
    )
    if st.form_submit_button(t("workflow.drafts.save_assumptions", L), key="drafts_save"):
        assumptions = LossAssumptions(
            int(cod_fee), int(shipping_out), int(shipping_back), bool(came_back), int(lock_days)
        )
        db.set_setting(SETTINGS_KEY, assumptions.to_dict())

if chosen.empty:
    st.info(t("error.report.no_orders", L))
    st.stop()
try:
    text = draft_support_report(
        chosen,
        checklist=checklist,
        filings=filings,
        previous_case_ids=[part for part in previous.replace("、", ",").split(",")],
        assumptions=assumptions,
        lang=str(draft_lang),
        max_listed=int(max_listed),
    )
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()

st.caption(t("workflow.drafts.copy_hint", L))
st.code(text, language=None, wrap_lines=True, height=560)
st.download_button(
    t("workflow.drafts.download", L),
    data=text.encode("utf-8"),
    file_name=f"amazon-report-{date.today().isoformat()}.txt",
    mime="text/plain",
    icon=":material/download:",
    key="drafts_download",
)
if st.button(t("workflow.drafts.go_filings", L), icon=":material/history:", key="drafts_log"):
    st.session_state["filings_order_ids"] = "\n".join(chosen["order_id"].astype("str"))
    st.switch_page("pages/filings.py")
