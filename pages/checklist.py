"""Checklist: the steps that stop the harassment, each with status, date and note (saved)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.workflow.checklist import (
    EXCLUSION_VALUES,
    STATUSES,
    STEPS,
    checklist_progress,
    payment_exclusion_flat_file,
    set_step,
)
from sellerguard.workflow.selection import targeted_skus, unshipped_flagged_orders

L = lang()
db = store()

st.title(t("workflow.checklist.title", L))
st.write(t("workflow.checklist.intro", L))
try:
    orders = db.scored_orders()
    progress = {p.code: p for p in checklist_progress(db)}
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()

done = sum(1 for p in progress.values() if p.status == "done")
na = sum(1 for p in progress.values() if p.status == "not_applicable")
st.progress(
    (done + na) / len(STEPS),
    text=t("workflow.checklist.progress", L, done=done, total=len(STEPS), na=na),
)


def sku_exclusion_tool() -> None:
    """SKU picker (prefilled with the targeted SKUs) and the flat-file download."""
    if orders.empty:
        st.info(t("workflow.checklist.no_orders", L))
    targeted = targeted_skus(orders)
    every = sorted(set(orders["sku"].dropna().astype("str"))) if "sku" in orders else []
    skus = st.multiselect(
        t("workflow.checklist.skus", L),
        options=sorted(set(every) | set(targeted)),
        default=targeted,
        accept_new_options=True,
        key="checklist_skus",
        placeholder=t("app.choose_options", L),
    )
    exclusion = st.radio(
        t("workflow.checklist.exclusion", L),
        options=list(EXCLUSION_VALUES),
        format_func=lambda value: t(f"workflow.checklist.exclusion.{value}", L),
        horizontal=True,
        key="checklist_exclusion",
    )
    if not skus:
        st.caption(t("workflow.checklist.no_skus", L))
        return
    st.download_button(
        t("workflow.checklist.download_flat_file", L, count=len(skus)),
        data=payment_exclusion_flat_file(skus, exclusion),
        file_name="payment-exclusion.txt",
        mime="text/plain",
        icon=":material/download:",
        key="checklist_flat_file",
    )


def unshipped_orders_tool() -> None:
    """The flagged orders still pending or unshipped (no buyer data shown)."""
    if orders.empty:
        st.info(t("workflow.checklist.no_orders", L))
        return
    open_orders = unshipped_flagged_orders(orders)
    if open_orders.empty:
        st.success(t("workflow.checklist.unshipped_none", L))
        return
    st.write(t("workflow.checklist.unshipped_count", L, count=len(open_orders)))
    shown = [
        c
        for c in ("order_id", "purchase_date", "status", "sku", "quantity", "risk_level")
        if c in open_orders
    ]
    table = open_orders[shown].copy()
    if "purchase_date" in table:
        table["purchase_date"] = pd.to_datetime(table["purchase_date"]).dt.strftime(
            "%Y-%m-%d %H:%M"
        )
    st.dataframe(
        table.rename(columns={c: t(f"reports.col.{c}", L) for c in shown}),
        hide_index=True,
        key="checklist_unshipped",
    )


ICONS = {"done": ":material/check_circle:", "not_applicable": ":material/do_not_disturb_on:"}
TOOLS = {"sku_exclusion": sku_exclusion_tool, "unshipped_orders": unshipped_orders_tool}

for step in STEPS:
    state = progress[step.code]
    icon = ICONS.get(state.status, ":material/radio_button_unchecked:")
    with st.expander(t(step.title_key, L), expanded=state.status == "not_yet", icon=icon):
        st.markdown(t(step.body_key, L))
        if step.tool in TOOLS:
            TOOLS[step.tool]()
        with st.form(key=f"checklist_form_{step.code}", border=False):
            columns = st.columns([2, 2, 4])
            status = columns[0].selectbox(
                t("workflow.checklist.status", L),
                options=list(STATUSES),
                index=STATUSES.index(state.status),
                format_func=lambda value: t(f"workflow.status.{value}", L),
                key=f"checklist_status_{step.code}",
            )
            done_on = columns[1].date_input(
                t("workflow.checklist.date", L),
                value=state.done_on or date.today(),
                key=f"checklist_date_{step.code}",
            )
            note = columns[2].text_input(
                t("workflow.checklist.note", L), value=state.note, key=f"checklist_note_{step.code}"
            )
            if st.form_submit_button(
                t("workflow.checklist.save", L), key=f"checklist_save_{step.code}"
            ):
                try:
                    set_step(db, step.code, str(status), done_on, note)
                except SellerGuardError as err:
                    st.error(err.message(L))
                else:
                    st.toast(t("workflow.checklist.saved", L))
                    st.rerun()
