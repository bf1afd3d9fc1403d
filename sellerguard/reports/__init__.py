"""Incident reports (PDF, Markdown, CSV, XLSX, JSON) with buyer data masked by default."""

from sellerguard.reports.cells import neutralise, neutralise_frame
from sellerguard.reports.formats import (
    FORMATS,
    MEDIA_TYPES,
    format_for_path,
    render_report,
    write_report,
)
from sellerguard.reports.incident import (
    IncidentReport,
    build_incident_report,
    incident_report_from_store,
)
from sellerguard.reports.masking import MASK, PII_COLUMNS

__all__ = [
    "FORMATS",
    "MASK",
    "MEDIA_TYPES",
    "PII_COLUMNS",
    "IncidentReport",
    "build_incident_report",
    "format_for_path",
    "incident_report_from_store",
    "neutralise",
    "neutralise_frame",
    "render_report",
    "write_report",
]
