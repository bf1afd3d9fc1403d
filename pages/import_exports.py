"""Import: upload one or many exports; per file its kind, encoding, rows and problems."""

from __future__ import annotations

import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.store.imports_view import file_summary, imported_files_table, problem_table

L = lang()
db = store()

st.title(t("import.title", L))
st.markdown(t("import.intro", L))

uploaded = st.file_uploader(
    t("import.uploader", L),
    accept_multiple_files=True,
    key="import_files",
    help=t("import.uploader_help", L),
)
if st.button(t("import.start", L), key="import_start", type="primary", disabled=not uploaded):
    bar = st.progress(0.0, text=t("import.progress", L))
    try:
        summary = db.import_exports(
            [(f.name, f.getvalue()) for f in uploaded or []],
            progress=lambda fraction: bar.progress(fraction, text=t("import.progress", L)),
        )
    except SellerGuardError as err:
        bar.empty()
        st.error(err.message(L))
    else:
        bar.empty()
        st.session_state["import_last"] = summary
        if summary.new_orders:
            with st.spinner(t("review.scanning", L)):
                db.scored_orders(wait=False)  # score now, or in the background if a table exists

summary = st.session_state.get("import_last")
if summary is not None:
    st.subheader(t("import.result.title", L))
    if summary.new_orders:
        st.success(t("import.result.new_orders", L, n=summary.new_orders))
    for record in summary.files:
        with st.container(border=True):
            st.markdown(f"**{record.name}**")
            if record.duplicate:
                st.info(t("import.result.duplicate", L))
            st.table(file_summary(record, L).set_index(t("import.column.kind", L)))
            problems = problem_table(record, L)
            if problems.empty:
                st.caption(t("import.result.no_problems", L))
            else:
                st.warning(t("import.result.problems", L, n=len(problems)))
                st.dataframe(problems, hide_index=True, width="stretch")
    st.page_link("pages/review.py", label=t("import.go_review", L), icon=":material/fact_check:")

st.subheader(t("import.history.title", L))
history = imported_files_table(db.imported_files(), L)
if history.empty:
    st.caption(t("import.history.empty", L))
else:
    st.dataframe(history, hide_index=True, width="stretch")
