"""XLSX writer for the incident report: one sheet per section, a chart, formulas neutralised."""

from __future__ import annotations

import io
from typing import Any

import pandas as pd
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.chart import BarChart, Reference
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from sellerguard.i18n import t
from sellerguard.reports.cells import neutralise
from sellerguard.reports.incident import IncidentReport
from sellerguard.reports.text_formats import intro_lines, localised
from sellerguard.workflow.drafts import link_count_lines, loss_lines

MAX_WIDTH = 60


def xlsx_cell(value: Any) -> Any:
    """Return a value safe for a worksheet cell: text neutralised, NA as empty."""
    if value is None:
        return None
    if isinstance(value, str):
        return neutralise(ILLEGAL_CHARACTERS_RE.sub("", value))
    if pd.isna(value):
        return None
    return value.item() if hasattr(value, "item") else value


def to_xlsx(report: IncidentReport) -> bytes:
    """Render the report as an XLSX workbook."""
    lang = report.lang
    book = Workbook(write_only=True)
    summary = book.create_sheet(t("reports.sheet.summary", lang))
    lines = [
        report.title(),
        *intro_lines(report),
        "",
        *report.summary,
        "",
        t("reports.section.losses", lang),
        *loss_lines(report.losses, lang)[1:],
        "",
        t("reports.section.links", lang),
        *link_count_lines(report.links, lang),
    ]
    summary.column_dimensions["A"].width = 120
    for line in lines:
        summary.append([xlsx_cell(line)])

    sheets = (
        ("timeline", report.timeline),
        ("patterns", report.patterns),
        ("daily", report.daily),
        ("orders", report.orders),
        ("actions", report.actions),
        ("filings", report.filings),
        ("evidence", report.evidence),
        ("imports", report.imports),
    )
    for name, frame in sheets:
        sheet = book.create_sheet(t(f"reports.sheet.{name}", lang))
        _write_table(sheet, localised(frame, lang))
        if name in ("daily", "patterns") and not frame.empty:
            _add_chart(sheet, frame, name, lang)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _write_table(sheet: Worksheet, frame: pd.DataFrame) -> None:
    """Widths and frozen header first (a write-only sheet takes them before any row)."""
    for index, column in enumerate(frame.columns, start=1):
        lengths = frame[column].astype("str").fillna("").str.len()
        widest = max(len(str(column)), int(lengths.max()) if len(lengths) else 0)
        sheet.column_dimensions[get_column_letter(index)].width = min(widest + 2, MAX_WIDTH)
    sheet.freeze_panes = "A2"
    sheet.append([xlsx_cell(str(column)) for column in frame.columns])
    for row in frame.itertuples(index=False, name=None):
        sheet.append([xlsx_cell(value) for value in row])


def _add_chart(sheet: Worksheet, frame: pd.DataFrame, name: str, lang: str) -> None:
    chart = BarChart()
    chart.type = "col" if name == "daily" else "bar"
    chart.title = t(f"reports.chart.{name}", lang)
    chart.legend = None
    rows = len(frame) + 1
    value_column = list(frame.columns).index("orders") + 1
    label_column = 1 if name == "daily" else list(frame.columns).index("title") + 1
    chart.add_data(
        Reference(sheet, min_col=value_column, min_row=1, max_row=rows), titles_from_data=True
    )
    chart.set_categories(Reference(sheet, min_col=label_column, min_row=2, max_row=rows))
    chart.width, chart.height = 24, 12
    sheet.add_chart(chart, f"{get_column_letter(len(frame.columns) + 2)}2")
