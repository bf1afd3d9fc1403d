"""Incident report: build it in any format, masked by default, and download it."""

from __future__ import annotations

from datetime import date

import streamlit as st

from pages.common import lang, store
from sellerguard import charts
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import LANGUAGES, t
from sellerguard.reports import (
    FORMATS,
    MEDIA_TYPES,
    incident_report_from_store,
    render_report,
)
from sellerguard.reports.text_formats import localised
from sellerguard.workflow.selection import flagged_orders

L = lang()
db = store()

st.title(t("reports.page.title", L))
st.write(t("reports.page.intro", L))
try:
    orders = db.scored_orders()
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()
flagged = flagged_orders(orders)
if flagged.empty:
    st.info(t("reports.page.empty", L))
else:
    st.altair_chart(charts.orders_per_day(flagged, L), width="stretch", key="incident_chart")

columns = st.columns(2)
report_lang = columns[0].radio(
    t("reports.page.language", L),
    options=list(LANGUAGES),
    index=list(LANGUAGES).index(L),
    format_func=lambda value: t(f"workflow.drafts.language.{value}", L),
    horizontal=True,
    key="incident_lang",
)
fmt = columns[1].selectbox(
    t("reports.page.format", L),
    options=list(FORMATS),
    format_func=lambda value: t(f"reports.page.format.{value}", L),
    key="incident_format",
)
include_pii = st.checkbox(t("reports.page.include_pii", L), key="incident_include_pii")
if include_pii:
    st.warning(t("reports.page.pii_warning", L))

if st.button(t("reports.page.build", L), type="primary", key="incident_build"):
    try:
        with st.spinner():
            built = incident_report_from_store(
                db, orders=orders, lang=str(report_lang), include_pii=bool(include_pii)
            )
            data = render_report(built, str(fmt))
    except SellerGuardError as err:
        st.error(err.message(L))
    else:
        st.session_state["incident_built"] = (str(fmt), data, built)

if "incident_built" in st.session_state:
    built_fmt, data, built = st.session_state["incident_built"]
    name = f"incident-report-{date.today().isoformat()}.{built_fmt}"
    st.download_button(
        t("reports.page.download", L, name=name),
        data=data,
        file_name=name,
        mime=MEDIA_TYPES[built_fmt],
        icon=":material/download:",
        key="incident_download",
    )
    with st.expander(t("reports.page.preview", L), expanded=True):
        st.subheader(built.title())
        for line in built.summary:
            st.markdown(f"- {line}")
        st.dataframe(
            localised(built.timeline, built.lang), hide_index=True, key="incident_timeline"
        )
        st.dataframe(localised(built.orders, built.lang), hide_index=True, key="incident_orders")
