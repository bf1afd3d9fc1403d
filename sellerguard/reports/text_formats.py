"""Markdown, CSV and JSON writers for the incident report."""

from __future__ import annotations

import io
import json
from typing import Any

import pandas as pd

from sellerguard.i18n import t
from sellerguard.reports.cells import neutralise_frame
from sellerguard.reports.incident import IncidentReport
from sellerguard.workflow.drafts import format_date, link_count_lines, loss_lines


def header(column: str, lang: str) -> str:
    """The localised header of a report column."""
    return t(f"reports.col.{column}", lang)


def localised(frame: pd.DataFrame, lang: str) -> pd.DataFrame:
    """Return ``frame`` with localised column headers (and the timeline's kinds in words)."""
    shown = frame.copy()
    if "kind" in shown.columns:
        shown["kind"] = shown["kind"].map(lambda kind: t(f"reports.kind.{kind}", lang))
    return shown.rename(columns={c: header(c, lang) for c in shown.columns})


def intro_lines(report: IncidentReport) -> list[str]:
    """Generated-on line and the PII note."""
    lang = report.lang
    return [
        t(
            "reports.generated",
            lang,
            date=format_date(report.generated_on, lang),
            first=format_date(report.first_day, lang) or "-",
            last=format_date(report.last_day, lang) or "-",
            count=report.order_count,
        ),
        t("reports.pii_note_included" if report.include_pii else "reports.pii_note_masked", lang),
    ]


def section_lines(lines: list[str]) -> list[str]:
    """Drop the heading a draft section starts with (the report has its own headings)."""
    return [line for line in lines[1:] if line]


def to_markdown(report: IncidentReport) -> str:
    """Render the report as Markdown (GitHub tables)."""
    lang = report.lang
    out: list[str] = [f"# {report.title()}", "", *intro_lines(report), ""]

    def section(key: str) -> None:
        out.extend([f"## {t(key, lang)}", ""])

    section("reports.section.summary")
    out.extend(f"- {line}" for line in report.summary)
    out.append("")
    section("reports.section.losses")
    out.extend(section_lines(loss_lines(report.losses, lang)))
    out.append("")
    if report.order_count:
        section("reports.section.links")
        out.extend(link_count_lines(report.links, lang))
        out.append("")
    tables = (
        ("reports.section.timeline", report.timeline),
        ("reports.section.patterns", report.patterns),
        ("reports.chart.daily", report.daily),
        ("reports.section.orders", report.orders),
        ("reports.section.actions", report.actions),
        ("reports.section.filings", report.filings),
        ("reports.section.evidence", report.evidence),
        ("reports.section.imports", report.imports),
    )
    for key, frame in tables:
        section(key)
        out.extend(_markdown_table(localised(frame, lang), lang))
        out.append("")
    return "\n".join(out).rstrip() + "\n"


def _cell_text(value: Any) -> str:
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return ""
    text = str(value)
    return text.replace("\\", "\\\\").replace("|", "\\|").replace("\r", " ").replace("\n", " ")


def _markdown_table(frame: pd.DataFrame, lang: str) -> list[str]:
    if frame.empty:
        return [t("reports.none", lang)]
    columns = list(frame.columns)
    lines = [
        "| " + " | ".join(_cell_text(c) for c in columns) + " |",
        "|" + "|".join("---" for _ in columns) + "|",
    ]
    for row in frame.itertuples(index=False, name=None):
        lines.append("| " + " | ".join(_cell_text(v) for v in row) + " |")
    return lines


def to_csv(report: IncidentReport) -> bytes:
    """Render the orders table as CSV (UTF-8 with BOM for Excel), formulas neutralised."""
    buffer = io.StringIO()
    neutralise_frame(localised(report.orders, report.lang)).to_csv(
        buffer, index=False, lineterminator="\r\n"
    )
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    plain = frame.astype(object).where(frame.notna(), None)
    return [
        {
            str(key): (value.item() if hasattr(value, "item") else value)
            for key, value in row.items()
        }
        for row in plain.to_dict("records")
    ]


def to_json(report: IncidentReport) -> bytes:
    """Render the whole report as JSON (UTF-8, keys in English, texts in the report's language)."""
    document = {
        "title": report.title(),
        "lang": report.lang,
        "generated_on": report.generated_on.isoformat(),
        "period": {
            "first": report.first_day.isoformat() if report.first_day else None,
            "last": report.last_day.isoformat() if report.last_day else None,
        },
        "include_pii": report.include_pii,
        "order_count": report.order_count,
        "summary": report.summary,
        "losses": report.losses.to_dict(),
        "links": [
            {"kind": link.kind, "orders": link.orders, "distinct_values": link.distinct_values}
            for link in report.links
        ],
        "patterns": _records(report.patterns),
        "daily": _records(report.daily),
        "timeline": _records(report.timeline),
        "orders": _records(report.orders),
        "actions": _records(report.actions),
        "filings": _records(report.filings),
        "evidence": _records(report.evidence),
        "imports": _records(report.imports),
    }
    return json.dumps(document, ensure_ascii=False, indent=2).encode("utf-8")
