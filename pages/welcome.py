"""Welcome: what SellerGuard does, and the two ways to start (your exports, or the demo)."""

from __future__ import annotations

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t

L = lang()
db = store()

st.title(t("app.welcome.title", L))
st.markdown(t("app.welcome.intro", L))

count = db.order_count()
if count:
    st.success(t("app.welcome.have_orders", L, n=count))
    st.page_link(
        "pages/review.py", label=t("app.welcome.go_review", L), icon=":material/fact_check:"
    )

left, right = st.columns(2)
with left:
    st.subheader(t("app.welcome.upload.title", L))
    st.markdown(t("app.welcome.upload.body", L))
    st.page_link(
        "pages/import_exports.py",
        label=t("app.welcome.upload.link", L),
        icon=":material/upload_file:",
    )
with right:
    st.subheader(t("app.welcome.demo.title", L))
    st.markdown(t("app.welcome.demo.body", L))
    if st.button(t("app.welcome.demo.button", L), key="welcome_load_demo", type="primary"):
        try:
            with st.spinner(t("app.welcome.demo.loading", L)):
                summary = db.load_demo()
                db.scored_orders()  # warm the scan cache so Review opens at once
        except SellerGuardError as err:
            st.error(err.message(L))
        else:
            st.session_state["welcome_demo_loaded"] = summary.new_orders
            st.rerun()
    if "welcome_demo_loaded" in st.session_state:
        st.success(t("app.welcome.demo.done", L, n=st.session_state["welcome_demo_loaded"]))

st.caption(t("app.welcome.privacy", L, home=str(db.home)))
