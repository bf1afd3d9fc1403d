"""Evidence: dated entries and files kept with their SHA-256, and the exports' own hashes."""

from __future__ import annotations

from datetime import date

import pandas as pd
import streamlit as st

from pages.common import lang, store
from sellerguard.errors import SellerGuardError
from sellerguard.i18n import t
from sellerguard.workflow.evidence import (
    add_evidence,
    evidence_file,
    imported_files,
    list_evidence,
    verify_evidence,
)

L = lang()
db = store()

st.title(t("workflow.evidence.title", L))
st.write(t("workflow.evidence.intro", L))

with st.expander(t("workflow.evidence.add", L)), st.form("evidence_add_form", clear_on_submit=True):
    top = st.columns([1, 3])
    occurred_on = top[0].date_input(
        t("workflow.evidence.occurred_on", L), value=date.today(), key="evidence_occurred_on"
    )
    title = top[1].text_input(t("workflow.evidence.entry_title", L), key="evidence_title")
    note = st.text_area(t("workflow.evidence.note", L), key="evidence_note")
    upload = st.file_uploader(t("workflow.evidence.file", L), key="evidence_file")
    if st.form_submit_button(t("workflow.evidence.save", L), key="evidence_save"):
        try:
            entry = add_evidence(
                db,
                occurred_on if isinstance(occurred_on, date) else date.today(),
                title,
                note,
                file_name=upload.name if upload is not None else None,
                content=upload.getvalue() if upload is not None else None,
            )
        except SellerGuardError as err:
            st.error(err.message(L))
        else:
            st.success(t("workflow.evidence.saved", L, sha256=entry.sha256))

try:
    entries = list_evidence(db)
    imports = imported_files(db)
except SellerGuardError as err:
    st.error(err.message(L))
    st.stop()

if not entries:
    st.info(t("workflow.evidence.empty", L))
else:
    table = pd.DataFrame(
        {
            "occurred_on": [e.occurred_on.isoformat() for e in entries],
            "title": [e.title for e in entries],
            "note": [e.note for e in entries],
            "file_name": [e.file_name or "" for e in entries],
            "sha256": [e.sha256 for e in entries],
            "check": [
                t(
                    "workflow.evidence.verified"
                    if verify_evidence(db, e)
                    else "workflow.evidence.changed",
                    L,
                )
                for e in entries
            ],
        },
        dtype="str",
    )
    headers = {c: t(f"reports.col.{c}", L) for c in table.columns if c != "check"}
    headers["check"] = t("workflow.evidence.check", L)
    st.dataframe(table.rename(columns=headers), hide_index=True, key="evidence_table")
    with_files = [e for e in entries if e.stored_path]
    if with_files:
        picked = st.selectbox(
            t("workflow.evidence.download_pick", L),
            options=range(len(with_files)),
            format_func=lambda i: f"{with_files[i].occurred_on} {with_files[i].file_name}",
            key="evidence_pick",
        )
        path = evidence_file(db, with_files[int(picked)])
        if path is not None and path.is_file():
            st.download_button(
                t("workflow.evidence.download", L),
                data=path.read_bytes(),
                file_name=with_files[int(picked)].file_name or path.name,
                icon=":material/download:",
                key="evidence_download",
            )

st.subheader(t("workflow.evidence.imports_heading", L))
if not imports:
    st.info(t("workflow.evidence.imports_empty", L))
else:
    frame = pd.DataFrame(
        {
            "name": [f.name for f in imports],
            "export_kind": [f.kind for f in imports],
            "imported_at": [f.imported_at for f in imports],
            "sha256": [f.sha256 for f in imports],
        },
        dtype="str",
    )
    st.dataframe(
        frame.rename(columns={c: t(f"reports.col.{c}", L) for c in frame.columns}),
        hide_index=True,
        key="evidence_imports",
    )
