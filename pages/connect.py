"""Connect: pull orders straight from Amazon's SP-API (credentials, test, date range, pull)."""

from __future__ import annotations

from datetime import timedelta

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.spapi import (
    SpApiClient,
    credential_status,
    last_pull,
    load_credentials,
    read_cursor,
)
from sellerguard.spapi.job import PullJob
from sellerguard.spapi.pull import day_start, local_text, today_in_japan

JOB_KEY = "connect_job"
CHECK_KEY = "connect_check"

L = lang()
db = store()

st.title(t("spapi.page.title", L))
st.markdown(t("spapi.page.intro", L))

# --- credentials: present or missing, never the values -------------------------------------
st.subheader(t("spapi.page.credentials", L))
try:
    status = credential_status()
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()
st.table(
    {
        t("spapi.page.key", L): [*status.present, *status.missing],
        t("spapi.page.state", L): [t("spapi.page.present", L)] * len(status.present)
        + [t("spapi.page.absent", L)] * len(status.missing),
    }
)
if not status.complete:
    st.warning(t("spapi.page.how_to_set", L))
    st.stop()
sources = "、".join(t(f"spapi.source.{part}", L) for part in status.source.split("+"))
st.caption(t("spapi.page.source", L, source=sources))
credentials = load_credentials()

if st.button(t("spapi.page.test", L), key="connect_test"):
    try:
        with st.spinner(t("spapi.page.testing", L)), SpApiClient(credentials) as client:
            st.session_state[CHECK_KEY] = client.check_connection()
    except SellerGuardError as err:
        st.session_state[CHECK_KEY] = err
check = st.session_state.get(CHECK_KEY)
if isinstance(check, SellerGuardError):
    st.error(check.message(L))
elif check is not None:
    st.success(t("spapi.page.test_ok", L))
    if not check.restricted_role:
        st.warning(t("spapi.page.no_role", L))
role_missing = not credentials.restricted_role or (
    check is not None and not isinstance(check, SellerGuardError) and not check.restricted_role
)
if role_missing:
    st.info(t("spapi.missing.order_report", L))

# --- last pull and cursor -----------------------------------------------------------------
st.subheader(t("spapi.page.last", L))
cursor = read_cursor(db)
previous = last_pull(db)
if previous is None:
    st.caption(t("spapi.page.never", L))
else:
    st.markdown(
        t(
            "spapi.page.last_pull",
            L,
            when=local_text(previous.finished_at),
            outcome=t(f"spapi.outcome.{previous.outcome}", L),
            files=previous.files,
            new_orders=previous.new_orders,
        )
    )
    for note in previous.missing:
        kind, _, reason = note.partition(":")
        st.caption(
            t(
                "spapi.page.missing_note",
                L,
                report=t(f"spapi.kind.{kind}", L),
                reason=t(f"error.spapi.{reason}", L, operation="", code="", status="", report=""),
            )
        )
if cursor is not None:
    st.markdown(t("spapi.summary.cursor", L, cursor=local_text(cursor)))

# --- the pull ------------------------------------------------------------------------------
st.subheader(t("spapi.page.pull", L))
job: PullJob | None = st.session_state.get(JOB_KEY)
running = job is not None and job.running
today = today_in_japan()
from_cursor = cursor is not None and st.checkbox(
    t("spapi.page.from_cursor", L), value=True, disabled=running, key="connect_from_cursor"
)
left, right = st.columns(2)
since_day = left.date_input(
    t("spapi.page.since", L),
    value=today - timedelta(days=30),
    max_value=today,
    disabled=from_cursor or running,
    key="connect_since",
)
until_day = right.date_input(
    t("spapi.page.until", L), value=today, max_value=today, disabled=running, key="connect_until"
)
st.caption(t("spapi.page.folder", L, folder=str(db.home / "spapi"), days=db.retention_days()))
if st.button(t("spapi.page.start", L), type="primary", disabled=running, key="connect_pull"):
    st.session_state[JOB_KEY] = PullJob(
        credentials,
        db.home,
        db.home / "spapi",
        since=None if from_cursor else day_start(since_day),
        until=day_start(until_day + timedelta(days=1)),
    ).start()
    st.rerun()


@st.fragment(run_every=1.0 if running else None)
def show_job() -> None:
    """Progress while the pull runs (refreshed every second), then its summary."""
    job: PullJob | None = st.session_state.get(JOB_KEY)
    if job is None:
        return
    snap = job.snapshot()
    if snap.crash is not None:
        raise snap.crash
    if snap.running:
        label = snap.steps[-1].message(L) if snap.steps else t("spapi.page.starting", L)
        st.progress(snap.fraction, text=label)
        if st.button(t("spapi.page.cancel", L), key="connect_cancel"):
            job.cancel()
            st.info(t("spapi.page.cancelling", L))
        with st.expander(t("spapi.page.steps", L)):
            for step in snap.steps:
                st.text(step.message(L))
        return
    if running:  # it has just finished: refresh the whole page (last pull, cursor)
        st.rerun(scope="app")
    result = snap.result
    if snap.error is not None:
        st.error(snap.error.message(L))
    if result is None:
        return
    lines = result.summary_lines(L)
    show = {"complete": st.success, "partial": st.warning, "cancelled": st.info}.get(
        result.outcome, st.warning
    )
    show(lines[0])
    st.markdown("\n".join(f"- {line}" for line in lines[1:]))


show_job()
