"""Where to get help: Amazon, the police, public desks, what to bring, and the report to print."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.reports import incident_report_from_store, render_report
from sellerguard.workflow.desks import DESKS

L = lang()
db = store()

st.title(t("help.title", L))
st.write(t("help.intro", L))
st.error(t("help.emergency", L), icon=":material/emergency:")

for desk in DESKS:
    with st.container(border=True):
        st.subheader(t(desk.name_key, L))
        if desk.phone:
            st.markdown(f"**{t('help.phone', L, phone=desk.phone)}**")
        st.markdown(f"**{t('help.what', L)}**")
        st.markdown(t(desk.what_key, L))
        st.markdown(f"**{t('help.bring', L)}**")
        st.markdown(t(desk.bring_key, L))

st.caption(t("help.log_hint", L))
links = st.columns(2)
with links[0]:
    st.page_link("pages/filings.py", label=t("help.go_filings", L), icon=":material/history:")
with links[1]:
    st.page_link("pages/drafts.py", label=t("help.go_drafts", L), icon=":material/edit_note:")

st.header(t("help.report_heading", L))
st.write(t("help.report_intro", L))
include_pii = st.checkbox(t("help.include_pii", L), key="help_include_pii")
if include_pii:
    st.warning(t("reports.page.pii_warning", L))
if st.button(t("help.build", L), type="primary", key="help_build"):
    try:
        with st.spinner():
            built = incident_report_from_store(db, lang=L, include_pii=bool(include_pii))
            st.session_state["help_pdf"] = render_report(built, "pdf")
    except SellerGuardError as err:
        st.error(err.message(L))
if "help_pdf" in st.session_state:
    st.download_button(
        t("help.download", L),
        data=st.session_state["help_pdf"],
        file_name=f"incident-report-{date.today().isoformat()}.pdf",
        mime="application/pdf",
        icon=":material/download:",
        key="help_download",
    )
