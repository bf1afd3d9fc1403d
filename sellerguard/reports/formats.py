"""Render or write the incident report in one of its formats."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from sellerguard.errors import ReportError
from sellerguard.reports.incident import IncidentReport

FORMATS: tuple[str, ...] = ("pdf", "md", "csv", "xlsx", "json")
MEDIA_TYPES: dict[str, str] = {
    "pdf": "application/pdf",
    "md": "text/markdown",
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}
_EXTENSIONS = {
    ".pdf": "pdf",
    ".md": "md",
    ".markdown": "md",
    ".csv": "csv",
    ".xlsx": "xlsx",
    ".json": "json",
}


def format_for_path(path: str | Path) -> str:
    """Return the format a file name's extension asks for.

    Raises
    ------
    ReportError
        ``unknown_format`` for any other extension.
    """
    suffix = Path(path).suffix.lower()
    if suffix not in _EXTENSIONS:
        raise ReportError("unknown_format", format=suffix or str(path))
    return _EXTENSIONS[suffix]


def render_report(report: IncidentReport, fmt: str) -> bytes:
    """Return the report as the bytes of a ``fmt`` file (one of ``FORMATS``).

    Raises
    ------
    ReportError
        ``unknown_format``.
    """
    return _writer(fmt)(report)


def write_report(report: IncidentReport, path: str | Path, fmt: str | None = None) -> Path:
    """Write the report to ``path`` (format from the extension unless ``fmt``); return it.

    Raises
    ------
    ReportError
        ``unknown_format`` or ``unwritable``.
    """
    target = Path(path)
    data = render_report(report, fmt or format_for_path(target))
    try:
        target.write_bytes(data)
    except OSError as err:
        raise ReportError("unwritable", path=str(target)) from err
    return target


def _writer(fmt: str) -> Callable[[IncidentReport], bytes]:
    if fmt == "pdf":
        from sellerguard.reports.pdf import to_pdf

        return to_pdf
    if fmt == "md":
        from sellerguard.reports.text_formats import to_markdown

        return lambda report: to_markdown(report).encode("utf-8")
    if fmt == "csv":
        from sellerguard.reports.text_formats import to_csv

        return to_csv
    if fmt == "xlsx":
        from sellerguard.reports.spreadsheet import to_xlsx

        return to_xlsx
    if fmt == "json":
        from sellerguard.reports.text_formats import to_json

        return to_json
    raise ReportError("unknown_format", format=fmt)
