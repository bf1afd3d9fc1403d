"""PDF writer for the incident report: Japanese set in Noto Sans CJK JP, embedded and subset.

The font ships in the ``noto-cjk-sans-jp-regular`` package (no system font is assumed); fpdf2
embeds only the glyphs used. Charts are drawn directly with fpdf2 (bars and labels), so no
browser or image converter is needed.
"""

from __future__ import annotations

from collections.abc import Sequence
from contextlib import ExitStack
from importlib import resources

import pandas as pd
from fpdf import FPDF
from fpdf.enums import WrapMode, XPos, YPos
from fpdf.fonts import FontFace

from sellerguard.i18n import t
from sellerguard.reports.incident import IncidentReport
from sellerguard.reports.text_formats import intro_lines, localised
from sellerguard.workflow.drafts import link_count_lines, loss_lines

FONT = "noto"
PDF_ORDER_COLUMNS: tuple[str, ...] = (
    "order_id",
    "purchase_date",
    "status",
    "sku",
    "asin",
    "quantity",
    "risk_level",
    "patterns",
    "ship_state",
    "ship_city",
)
MAX_PDF_ORDERS = 2000
"""Orders listed in the PDF; beyond that it points to the CSV/XLSX, which hold all of them."""
_BAR = (200, 80, 60)
_GRID = (200, 200, 200)
_HEAD = FontFace(emphasis=None, fill_color=(235, 235, 235))


class _ReportPdf(FPDF):
    def __init__(self, lang: str) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.lang = lang

    def footer(self) -> None:
        self.set_y(-12)
        self.set_font(FONT, size=7)
        self.set_text_color(110, 110, 110)
        self.cell(0, 5, t("reports.footer", self.lang, page=self.page_no()), align="C")
        self.set_text_color(0, 0, 0)


def to_pdf(report: IncidentReport) -> bytes:
    """Render the report as a PDF (A4, embedded subset of Noto Sans CJK JP)."""
    lang = report.lang
    with ExitStack() as stack:
        font_path = stack.enter_context(
            resources.as_file(
                resources.files("noto_cjk_sans_jp_regular") / "NotoSansCJKjp-Regular.otf"
            )
        )
        pdf = _ReportPdf(lang)
        pdf.set_title(report.title())
        pdf.set_creator("SellerGuard")
        pdf.set_margins(12, 12, 12)
        pdf.set_auto_page_break(True, margin=16)
        pdf.add_font(FONT, "", str(font_path))
        pdf.add_page()

        pdf.set_font(FONT, size=16)
        _paragraph(pdf, report.title(), 8)
        pdf.set_font(FONT, size=9)
        for line in intro_lines(report):
            _paragraph(pdf, line, 5)
        _heading(pdf, t("reports.section.summary", lang))
        for line in report.summary:
            _paragraph(pdf, f"・{line}" if lang == "ja" else f"• {line}", 5)
        _heading(pdf, t("reports.section.losses", lang))
        for line in loss_lines(report.losses, lang)[1:]:
            _paragraph(pdf, line, 5)
        if report.order_count:
            _heading(pdf, t("reports.section.links", lang))
            for line in link_count_lines(report.links, lang):
                _paragraph(pdf, line, 5)

        if not report.daily.empty:
            _heading(pdf, t("reports.section.charts", lang))
            _daily_chart(pdf, report.daily, t("reports.chart.daily", lang))
            _pattern_chart(pdf, report.patterns, t("reports.chart.patterns", lang))

        _table_section(
            pdf, lang, "reports.section.timeline", localised(report.timeline, lang), (18, 14, 154)
        )
        _table_section(
            pdf, lang, "reports.section.patterns", localised(report.patterns, lang), (50, 116, 20)
        )
        pdf.add_page(orientation="L")
        _orders_section(pdf, report)
        pdf.add_page(orientation="P")
        _table_section(
            pdf,
            lang,
            "reports.section.actions",
            localised(report.actions, lang),
            (26, 60, 20, 22, 58),
        )
        _table_section(
            pdf,
            lang,
            "reports.section.filings",
            localised(report.filings, lang),
            (18, 30, 24, 20, 50, 22, 22),
        )
        _table_section(
            pdf,
            lang,
            "reports.section.evidence",
            localised(report.evidence, lang),
            (18, 32, 40, 28, 50, 18),
            size=6.5,
        )
        _table_section(
            pdf,
            lang,
            "reports.section.imports",
            localised(report.imports, lang),
            (50, 82, 22, 32),
            size=6.5,
        )
        return bytes(pdf.output())


def _pdf_orders(report: IncidentReport) -> pd.DataFrame:
    orders, lang = report.orders, report.lang
    shown = localised(orders[[c for c in PDF_ORDER_COLUMNS if c in orders.columns]], lang)
    if report.include_pii:
        shown[t("reports.col.buyer_name", lang)] = orders["buyer_name"]
        shown[t("reports.col.recipient_name", lang)] = orders["recipient_name"]
        shown[t("reports.col.address", lang)] = _joined(
            orders, ("ship_address_1", "ship_address_2", "ship_address_3")
        )
        shown[t("reports.col.phone", lang)] = _joined(orders, ("ship_phone", "buyer_phone"))
    return shown


def _joined(frame: pd.DataFrame, columns: Sequence[str]) -> pd.Series:
    combined = pd.Series("", index=frame.index, dtype="str")
    for column in columns:
        if column in frame.columns:
            combined = combined + " " + frame[column].fillna("")
    return combined.str.strip()


def _orders_section(pdf: FPDF, report: IncidentReport) -> None:
    """The order list as single-line rows (fast even for thousands of orders)."""
    lang = report.lang
    _heading(pdf, t("reports.section.orders", lang))
    table = _pdf_orders(report)
    if table.empty:
        _paragraph(pdf, t("reports.none", lang), 5)
        return
    size, height = 6.5, 3.6
    pdf.set_font(FONT, size=size)
    widths = _auto_widths(pdf, table, pdf.epw)
    header = [str(c) for c in table.columns]
    shown = table.head(MAX_PDF_ORDERS)

    def header_row() -> None:
        pdf.set_fill_color(235, 235, 235)
        for text, width in zip(header, widths, strict=True):
            pdf.cell(width, height + 0.6, _fit(pdf, text, width - 1), fill=True)
        pdf.ln(height + 0.6)

    header_row()
    pdf.set_draw_color(*_GRID)
    for values in shown.itertuples(index=False, name=None):
        if pdf.get_y() + height > pdf.page_break_trigger:
            pdf.add_page(orientation="L")
            pdf.set_font(FONT, size=size)
            header_row()
        for value, width in zip(values, widths, strict=True):
            pdf.cell(width, height, _fit(pdf, _pdf_text(value), width - 1))
        pdf.ln(height)
        pdf.line(pdf.l_margin, pdf.get_y(), pdf.l_margin + pdf.epw, pdf.get_y())
    if len(table) > len(shown):
        pdf.ln(2)
        _paragraph(pdf, t("reports.more_orders", lang, shown=len(shown), total=len(table)), 4)
    pdf.set_font(FONT, size=9)


def _heading(pdf: FPDF, text: str) -> None:
    pdf.ln(3)
    if pdf.get_y() > pdf.h - 40:
        pdf.add_page()
    pdf.set_font(FONT, size=12)
    _paragraph(pdf, text, 7)
    pdf.set_draw_color(*_GRID)
    pdf.line(pdf.l_margin, pdf.get_y(), pdf.w - pdf.r_margin, pdf.get_y())
    pdf.ln(1.5)
    pdf.set_font(FONT, size=9)


def _paragraph(pdf: FPDF, text: str, height: float) -> None:
    pdf.multi_cell(0, height, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT, wrapmode=WrapMode.CHAR)


def _table_section(
    pdf: FPDF,
    lang: str,
    key: str,
    frame: pd.DataFrame,
    widths: Sequence[float] | None,
    size: float = 7.5,
) -> None:
    _heading(pdf, t(key, lang))
    if frame.empty:
        _paragraph(pdf, t("reports.none", lang), 5)
        return
    pdf.set_font(FONT, size=size)
    pdf.set_fill_color(255, 255, 255)
    columns = [str(c) for c in frame.columns]
    if widths is None or len(widths) != len(columns):
        widths = _auto_widths(pdf, frame, pdf.epw)
    with pdf.table(
        col_widths=tuple(widths),
        width=pdf.epw,
        line_height=size * 0.55,
        text_align="LEFT",
        headings_style=_HEAD,
        wrapmode=WrapMode.CHAR,
        borders_layout="HORIZONTAL_LINES",
    ) as table:
        table.row(columns)
        for values in frame.itertuples(index=False, name=None):
            table.row([_pdf_text(v) for v in values])
    pdf.set_font(FONT, size=9)


def _auto_widths(pdf: FPDF, frame: pd.DataFrame, total: float) -> list[float]:
    """Widths that fit short columns whole and share the rest among the long ones."""
    padding, short_limit = 2.5, 34.0
    desired = []
    for column in frame.columns:
        texts = [_pdf_text(v) for v in frame[column].head(200)]
        widest = max((pdf.get_string_width(text) for text in texts), default=0.0)
        header = max((pdf.get_string_width(part) for part in str(column).split()), default=0.0)
        desired.append(max(widest, min(header, short_limit)) + padding)
    if sum(desired) <= total:
        scale = total / sum(desired)
        return [w * scale for w in desired]
    short = [w if w <= short_limit else 0.0 for w in desired]
    long_total = sum(w for w in desired if w > short_limit)
    room = max(total - sum(short), 15.0 * sum(1 for w in desired if w > short_limit))
    widths = [w if w <= short_limit else max(room * w / long_total, 15.0) for w in desired]
    scale = total / sum(widths)
    return [w * scale for w in widths]


def _pdf_text(value: object) -> str:
    if value is None:
        return ""
    if not isinstance(value, str) and pd.isna(value):  # type: ignore[call-overload]
        return ""
    if isinstance(value, float):
        return f"{value:,.0f}"
    return str(value)


def chart_buckets(daily: pd.DataFrame) -> pd.DataFrame:
    """Counts per day, week or month (by the period's length) with empty periods as zero."""
    counts = pd.Series(
        daily["orders"].to_numpy(), index=pd.DatetimeIndex(pd.to_datetime(daily["day"]))
    )
    span = (counts.index.max() - counts.index.min()).days
    freq, fmt = ("D", "%Y-%m-%d") if span <= 92 else ("W-MON", "%Y-%m-%d")
    if span > 730:
        freq, fmt = "MS", "%Y-%m"
    binned = counts.resample(freq, label="left", closed="left").sum()
    return pd.DataFrame(
        {
            "label": pd.Series(pd.DatetimeIndex(binned.index).strftime(fmt), dtype="str"),
            "orders": pd.Series(binned.to_numpy(), dtype="int64"),
        }
    )


def _daily_chart(pdf: FPDF, daily: pd.DataFrame, title: str) -> None:
    buckets = chart_buckets(daily)
    height, label_room = 42.0, 6.0
    if pdf.get_y() + height + 16 > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.set_font(FONT, size=9)
    _paragraph(pdf, title, 5)
    x0, y0 = pdf.l_margin + 8, pdf.get_y() + 2
    width = pdf.epw - 8
    peak = max(int(buckets["orders"].max()), 1)
    step = min(width / max(len(buckets), 1), 8.0)
    pdf.set_draw_color(*_GRID)
    pdf.line(x0, y0 + height, x0 + width, y0 + height)
    pdf.set_fill_color(*_BAR)
    for i, count in enumerate(buckets["orders"]):
        bar = height * int(count) / peak
        if bar > 0:
            pdf.rect(
                x0 + i * step + step * 0.1, y0 + height - bar, max(step * 0.8, 0.3), bar, style="F"
            )
    pdf.set_font(FONT, size=6.5)
    pdf.set_xy(pdf.l_margin, y0 - 1)
    pdf.cell(8, 3, str(peak))
    pdf.set_xy(pdf.l_margin, y0 + height - 3)
    pdf.cell(8, 3, "0")
    labels = list(buckets["label"])
    drawn = step * len(labels)
    pdf.set_xy(x0, y0 + height + 1)
    pdf.cell(drawn / 2, 3, labels[0])
    pdf.set_xy(x0 + drawn / 2, y0 + height + 1)
    pdf.cell(drawn / 2, 3, labels[-1], align="R")
    pdf.set_y(y0 + height + label_room)
    pdf.set_font(FONT, size=9)


def _pattern_chart(pdf: FPDF, patterns: pd.DataFrame, title: str) -> None:
    if patterns.empty:
        return
    shown = patterns.head(12)
    row_height = 5.0
    needed = row_height * len(shown) + 12
    if pdf.get_y() + needed > pdf.h - pdf.b_margin:
        pdf.add_page()
    pdf.ln(2)
    _paragraph(pdf, title, 5)
    label_width = 62.0
    x0 = pdf.l_margin + label_width
    width = pdf.epw - label_width - 12
    peak = max(int(shown["orders"].max()), 1)
    pdf.set_font(FONT, size=7)
    pdf.set_fill_color(*_BAR)
    for label, count in zip(shown["title"], shown["orders"], strict=True):
        y = pdf.get_y()
        pdf.set_xy(pdf.l_margin, y)
        pdf.cell(label_width - 2, row_height, _fit(pdf, str(label), label_width - 2))
        bar = width * int(count) / peak
        pdf.rect(x0, y + 0.8, max(bar, 0.3), row_height - 1.6, style="F")
        pdf.set_xy(x0 + bar + 1, y)
        pdf.cell(10, row_height, str(int(count)))
        pdf.set_y(y + row_height)
    pdf.set_font(FONT, size=9)


def _fit(pdf: FPDF, text: str, width: float) -> str:
    if pdf.get_string_width(text) <= width:
        return text
    while text and pdf.get_string_width(text + "…") > width:
        text = text[:-1]
    return text + "…"
