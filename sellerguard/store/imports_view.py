"""Tables the Import page shows: one file's outcome, its row problems, the import history.

Column headers come from the catalogue, so the tables read naturally in either language.
"""

from __future__ import annotations

import pandas as pd

from sellerguard.i18n import MissingMessage, t
from sellerguard.store.store import FileImport


def kind_label(kind: str | None, lang: str) -> str:
    """The export kind in words ("注文レポート" / "Order report"), or "?" when unknown."""
    if not kind or pd.isna(kind):
        return "?"
    try:
        return t(f"exports.kind.{kind}", lang)
    except MissingMessage:
        return str(kind)


def file_summary(record: FileImport, lang: str) -> pd.DataFrame:
    """One row: kind, encoding, rows in the file, rows read, new orders, problems."""
    return pd.DataFrame(
        {
            t("import.column.kind", lang): [kind_label(record.kind, lang)],
            t("import.column.encoding", lang): [record.encoding or "?"],
            t("import.column.rows_in", lang): [record.rows_in],
            t("import.column.rows_read", lang): [record.rows_read],
            t("import.column.new_orders", lang): [record.new_orders],
            t("import.column.problems", lang): [len(record.problems)],
        }
    )


def _problem_text(problem: dict[str, object], lang: str) -> str:
    reason = str(problem.get("reason") or problem.get("problem") or "")
    try:
        return t(f"exports.problem.{reason}", lang)
    except MissingMessage:
        return reason


def problem_table(record: FileImport, lang: str) -> pd.DataFrame:
    """The file's row problems: line number, column, what is wrong, expected, found."""
    rows = [
        {
            t("import.column.line", lang): problem.get("line"),
            t("import.column.column", lang): problem.get("column") or "",
            t("import.column.problem", lang): _problem_text(problem, lang),
            t("import.column.expected", lang): str(problem.get("expected") or ""),
            t("import.column.got", lang): str(problem.get("got") or ""),
        }
        for problem in record.problems
    ]
    frame = pd.DataFrame(rows)
    if frame.empty:
        return frame
    line = t("import.column.line", lang)
    frame[line] = pd.to_numeric(frame[line], errors="coerce").astype("Int64")
    return frame.sort_values(line, kind="stable", ignore_index=True)


def imported_files_table(files: pd.DataFrame, lang: str) -> pd.DataFrame:
    """The import history, newest first, with the first 12 hex digits of each SHA-256."""
    if files.empty:
        return pd.DataFrame()
    return (
        pd.DataFrame(
            {
                t("import.column.imported_at", lang): files["imported_at"],
                t("import.column.file", lang): files["name"],
                t("import.column.kind", lang): [kind_label(k, lang) for k in files["kind"]],
                t("import.column.encoding", lang): files["encoding"],
                t("import.column.rows_read", lang): files["rows_read"],
                t("import.column.new_orders", lang): files["new_orders"],
                t("import.column.problems", lang): files["problems"],
                "SHA-256": files["sha256"].str.slice(0, 12),
            }
        )
        .iloc[::-1]
        .reset_index(drop=True)
    )
