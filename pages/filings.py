"""Filings: every report to Amazon, the police or others; follow-ups and what came of them."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pandas as pd
import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.workflow.filings import (
    CHANNELS,
    OUTCOMES,
    Filing,
    add_filing,
    amazon_filings,
    due_followups,
    list_filings,
    should_suggest_other_channels,
    update_filing,
)

L = lang()
db = store()

st.title(t("workflow.filings.title", L))
st.write(t("workflow.filings.intro", L))
try:
    filings = list_filings(db)
    due = due_followups(db, date.today())
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()

if due:
    st.subheader(t("workflow.filings.due_heading", L))
    for filing in due:
        line, button = st.columns([5, 1])
        line.warning(
            t(
                "workflow.filings.due_line",
                L,
                date=filing.filed_on.isoformat(),
                channel=t(f"workflow.channel.{filing.channel}", L),
                case_id=filing.case_id or "-",
                follow_up=filing.follow_up_on.isoformat() if filing.follow_up_on else "-",
            )
        )
        if button.button(t("workflow.filings.mark_done", L), key=f"filings_done_{filing.id}"):
            update_filing(db, filing.id, follow_up_done=True)
            st.rerun()

if should_suggest_other_channels(filings):
    st.warning(t("workflow.drafts.escalate", L, count=len(amazon_filings(filings))))
    st.page_link("pages/help.py", label=t("workflow.drafts.go_help", L), icon=":material/support:")

with (
    st.expander(
        t("workflow.filings.add", L),
        expanded=not filings or bool(st.session_state.get("filings_order_ids")),
    ),
    st.form("filings_add_form", clear_on_submit=True),
):
    top = st.columns(3)
    filed_on = top[0].date_input(
        t("workflow.filings.filed_on", L), value=date.today(), key="filings_filed_on"
    )
    channel = top[1].selectbox(
        t("workflow.filings.channel", L),
        options=list(CHANNELS),
        format_func=lambda value: t(f"workflow.channel.{value}", L),
        key="filings_channel",
    )
    case_id = top[2].text_input(t("workflow.filings.case_id", L), key="filings_case_id")
    middle = st.columns(3)
    answered_by = middle[0].text_input(
        t("workflow.filings.answered_by", L), key="filings_answered_by"
    )
    outcome = middle[1].selectbox(
        t("workflow.filings.outcome", L),
        options=list(OUTCOMES),
        format_func=lambda value: t(f"workflow.outcome.{value}", L),
        key="filings_outcome",
    )
    follow_up_on = middle[2].date_input(
        t("workflow.filings.follow_up_on", L),
        value=date.today() + timedelta(days=7),
        key="filings_follow_up_on",
    )
    has_follow_up = st.checkbox(
        t("workflow.filings.has_follow_up", L), value=True, key="filings_has_follow_up"
    )
    response = st.text_area(t("workflow.filings.response", L), key="filings_response")
    order_text = st.text_area(t("workflow.filings.order_ids", L), key="filings_order_ids")
    if st.form_submit_button(t("workflow.filings.save", L), key="filings_save"):
        try:
            add_filing(
                db,
                Filing(
                    filed_on=filed_on if isinstance(filed_on, date) else date.today(),
                    channel=str(channel),
                    case_id=case_id,
                    answered_by=answered_by,
                    response=response,
                    outcome=str(outcome),
                    follow_up_on=follow_up_on
                    if has_follow_up and isinstance(follow_up_on, date)
                    else None,
                    order_ids=tuple(p for p in re.split(r"[\s,、]+", order_text) if p),
                ),
            )
        except SellerGuardError as err:
            st.error(err.message(L))
        else:
            st.toast(t("workflow.filings.saved", L))
            st.rerun()

if not filings:
    st.info(t("workflow.filings.empty", L))
    st.stop()

amazon = len(amazon_filings(filings))
st.caption(t("workflow.filings.count", L, amazon=amazon, other=len(filings) - amazon))
table = pd.DataFrame(
    {
        "filed_on": [f.filed_on.isoformat() for f in filings],
        "channel": [t(f"workflow.channel.{f.channel}", L) for f in filings],
        "case_id": [f.case_id for f in filings],
        "answered_by": [f.answered_by for f in filings],
        "response": [f.response for f in filings],
        "outcome": [t(f"workflow.outcome.{f.outcome}", L) for f in filings],
        "follow_up_on": [f.follow_up_on.isoformat() if f.follow_up_on else "" for f in filings],
    },
    dtype="str",
)
st.dataframe(
    table.rename(columns={c: t(f"reports.col.{c}", L) for c in table.columns}),
    hide_index=True,
    key="filings_table",
)

with st.expander(t("workflow.filings.update", L)), st.form("filings_update_form"):
    by_id = {f.id: f for f in filings}
    which = st.selectbox(
        t("workflow.filings.which", L),
        options=list(reversed(list(by_id))),
        format_func=lambda value: t(
            "workflow.filings.which_label",
            L,
            date=by_id[value].filed_on.isoformat(),
            channel=t(f"workflow.channel.{by_id[value].channel}", L),
            case_id=by_id[value].case_id or "-",
        ),
        key="filings_which",
    )
    new_outcome = st.selectbox(
        t("workflow.filings.outcome", L),
        options=list(OUTCOMES),
        format_func=lambda value: t(f"workflow.outcome.{value}", L),
        key="filings_new_outcome",
    )
    if st.form_submit_button(t("workflow.filings.update_save", L), key="filings_update"):
        update_filing(db, int(which), outcome=str(new_outcome))
        st.rerun()
