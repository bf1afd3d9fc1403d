"""The incident report: everything a support agent, the police or a lawyer needs, in one model.

``build_incident_report`` gathers the flagged orders, their patterns and links, the losses,
the seller's actions, filings and evidence into an ``IncidentReport`` whose tables are plain
DataFrames; the writers in this package turn it into PDF, Markdown, CSV, XLSX or JSON.
Buyer personal data is masked unless ``include_pii`` is set.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

import pandas as pd

from sellerguard.i18n import t
from sellerguard.reports.masking import (
    PII_COLUMNS,
    Scrubber,
    mask_orders,
    pii_values,
    scrub_by_group,
)
from sellerguard.workflow.checklist import STEPS, StepProgress
from sellerguard.workflow.drafts import format_yen
from sellerguard.workflow.evidence import EvidenceEntry, ImportedFile
from sellerguard.workflow.filings import Filing
from sellerguard.workflow.losses import LossAssumptions, LossSummary, estimate_losses
from sellerguard.workflow.patterns import LinkCount, link_counts, pattern_counts, patterns_of
from sellerguard.workflow.selection import purchase_day, select_orders

if TYPE_CHECKING:
    from sellerguard.store import Store

ORDER_COLUMNS: tuple[str, ...] = (
    "order_id",
    "purchase_date",
    "status",
    "sku",
    "asin",
    "quantity",
    "order_value",
    "risk_score",
    "risk_level",
    "patterns",
    "reasons",
    "group_id",
    "ship_state",
    "ship_city",
    "ship_postal_code",
)
"""Order columns every report shows; the PII columns follow only with ``include_pii``."""

LEVELS: tuple[str, ...] = ("high", "medium", "low")
TIMELINE_KINDS: tuple[str, ...] = ("import", "orders", "action", "filing", "evidence")


@dataclass(frozen=True)
class IncidentReport:
    """The incident report's content, language-specific, ready for any writer.

    Tables (all text columns ``str``): ``patterns`` (code, title, orders); ``daily`` (day,
    orders); ``timeline`` (date, kind, event); ``orders`` (``ORDER_COLUMNS`` and, with
    ``include_pii``, the PII columns); ``actions`` (step, title, status, done_on, note);
    ``filings`` (filed_on, channel, case_id, answered_by, response, outcome, follow_up_on);
    ``evidence`` (occurred_on, title, note, file_name, sha256, size_bytes); ``imports``
    (name, sha256, export_kind, imported_at).
    """

    lang: str
    include_pii: bool
    generated_on: date
    first_day: date | None
    last_day: date | None
    summary: list[str]
    losses: LossSummary
    links: list[LinkCount]
    patterns: pd.DataFrame
    daily: pd.DataFrame
    timeline: pd.DataFrame
    orders: pd.DataFrame
    actions: pd.DataFrame
    filings: pd.DataFrame
    evidence: pd.DataFrame
    imports: pd.DataFrame
    order_count: int = 0
    extra: dict[str, str] = field(default_factory=dict)

    def title(self) -> str:
        """The report's title in its language."""
        return t("reports.title", self.lang)


def build_incident_report(
    orders: pd.DataFrame,
    *,
    checklist: Sequence[StepProgress] = (),
    filings: Sequence[Filing] = (),
    evidence: Sequence[EvidenceEntry] = (),
    imports: Sequence[ImportedFile] = (),
    assumptions: LossAssumptions | None = None,
    lang: str = "ja",
    include_pii: bool = False,
    today: date | None = None,
) -> IncidentReport:
    """Build the incident report over ``orders`` (already selected, e.g. ``select_orders``).

    Parameters
    ----------
    orders
        The scanned orders the report is about (may be empty: the report still lists the
        actions, filings and evidence).
    checklist, filings, evidence, imports
        The seller's workflow records.
    assumptions
        Loss assumptions (defaults when None).
    lang
        ``"ja"`` or ``"en"``.
    include_pii
        Show buyer names, street lines and phones; masked (and scrubbed from free text)
        otherwise.
    today
        The report's date (default: today).
    """
    today = today or date.today()
    scrub = Scrubber(() if include_pii else pii_values(orders))
    days = (
        purchase_day(orders).dropna()
        if "purchase_date" in orders.columns
        else pd.Series(dtype="datetime64[ns]")
    )
    first = days.min().date() if len(days) else None
    last = days.max().date() if len(days) else None
    losses = estimate_losses(orders, assumptions or LossAssumptions(), today)
    patterns = pattern_counts(orders, lang)
    daily = _daily(orders)
    actions = _actions(checklist, lang, scrub)
    filing_table = _filings(filings, lang, scrub)
    evidence_table = _evidence(evidence, scrub)
    import_table = pd.DataFrame(
        {
            "name": pd.Series([f.name for f in imports], dtype="str"),
            "sha256": pd.Series([f.sha256 for f in imports], dtype="str"),
            "export_kind": pd.Series([f.kind for f in imports], dtype="str"),
            "imported_at": pd.Series([f.imported_at for f in imports], dtype="str"),
        }
    )
    order_table = _orders(orders, lang, include_pii)
    summary = _summary(orders, first, last, losses, patterns, filings, lang, include_pii, scrub)
    timeline = _timeline(daily, actions, filing_table, evidence_table, import_table, lang)
    return IncidentReport(
        lang=lang,
        include_pii=include_pii,
        generated_on=today,
        first_day=first,
        last_day=last,
        summary=summary,
        losses=losses,
        links=link_counts(orders),
        patterns=patterns,
        daily=daily,
        timeline=timeline,
        orders=order_table,
        actions=actions,
        filings=filing_table,
        evidence=evidence_table,
        imports=import_table,
        order_count=len(orders),
    )


def incident_report_from_store(
    store: Store,
    *,
    orders: pd.DataFrame | None = None,
    lang: str = "ja",
    include_pii: bool = False,
    today: date | None = None,
) -> IncidentReport:
    """Build the report from what the store holds (``orders``: scanned orders to use instead).

    The orders are the flagged ones of ``orders`` (default: the store's scan); the workflow
    records and imported files come from the store.
    """
    from sellerguard.workflow.checklist import checklist_progress
    from sellerguard.workflow.evidence import imported_files, list_evidence
    from sellerguard.workflow.filings import list_filings
    from sellerguard.workflow.losses import SETTINGS_KEY

    scanned = store.scored_orders() if orders is None else orders
    return build_incident_report(
        select_orders(scanned),
        checklist=checklist_progress(store),
        filings=list_filings(store),
        evidence=list_evidence(store),
        imports=imported_files(store),
        assumptions=LossAssumptions.from_dict(store.get_setting(SETTINGS_KEY, None)),
        lang=lang,
        include_pii=include_pii,
        today=today,
    )


def _text_column(frame: pd.DataFrame, column: str) -> pd.Series:
    if column not in frame.columns:
        return pd.Series(pd.NA, index=frame.index, dtype="str")
    return frame[column].astype("str")


def _orders(orders: pd.DataFrame, lang: str, include_pii: bool) -> pd.DataFrame:
    source = orders if include_pii else mask_orders(orders)
    table = pd.DataFrame(index=source.index)
    stamps = pd.to_datetime(source["purchase_date"]) if "purchase_date" in source else None
    if stamps is not None and isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("Asia/Tokyo")
    for column in ORDER_COLUMNS:
        if column == "purchase_date":
            table[column] = (
                stamps.dt.strftime("%Y-%m-%d %H:%M").astype("str")
                if stamps is not None
                else pd.Series(pd.NA, index=source.index, dtype="str")
            )
        elif column == "patterns":
            table[column] = patterns_of(source, lang)
        elif column == "reasons":
            reasons = _text_column(orders, "reasons_ja" if lang == "ja" else "reasons_en")
            table[column] = reasons if include_pii else scrub_by_group(reasons, orders)
        elif column == "risk_level":
            levels = _text_column(source, column)
            table[column] = levels.map(
                lambda level: t(f"reports.level.{level}", lang) if level in LEVELS else level,
                na_action="ignore",
            ).astype("str")
        elif column in ("quantity", "risk_score"):
            table[column] = (
                source[column].astype("Int64")
                if column in source.columns
                else pd.Series(pd.NA, index=source.index, dtype="Int64")
            )
        elif column == "order_value":
            table[column] = (
                source[column].astype("Float64")
                if column in source.columns
                else pd.Series(pd.NA, index=source.index, dtype="Float64")
            )
        else:
            table[column] = _text_column(source, column)
    if include_pii:
        for column in PII_COLUMNS:
            table[column] = _text_column(source, column)
    return table.reset_index(drop=True)


def _daily(orders: pd.DataFrame) -> pd.DataFrame:
    if orders.empty or "purchase_date" not in orders.columns:
        return pd.DataFrame({"day": pd.Series(dtype="str"), "orders": pd.Series(dtype="int64")})
    counts = purchase_day(orders).dropna().value_counts().sort_index()
    return pd.DataFrame(
        {
            "day": pd.Series(pd.DatetimeIndex(counts.index).strftime("%Y-%m-%d"), dtype="str"),
            "orders": pd.Series(counts.to_numpy(), dtype="int64"),
        }
    )


def _actions(checklist: Sequence[StepProgress], lang: str, scrub: Scrubber) -> pd.DataFrame:
    progress = {step.code: step for step in checklist}
    rows = []
    for step in STEPS:
        state = progress.get(step.code, StepProgress(step.code))
        rows.append(
            (
                step.code,
                t(step.title_key, lang),
                t(f"workflow.status.{state.status}", lang),
                state.done_on.isoformat() if state.done_on else pd.NA,
                scrub.text(state.note),
            )
        )
    return _frame(rows, ("step", "title", "status", "done_on", "note"))


def _filings(filings: Sequence[Filing], lang: str, scrub: Scrubber) -> pd.DataFrame:
    rows = [
        (
            f.filed_on.isoformat(),
            t(f"workflow.channel.{f.channel}", lang),
            f.case_id,
            scrub.text(f.answered_by),
            scrub.text(f.response),
            t(f"workflow.outcome.{f.outcome}", lang),
            f.follow_up_on.isoformat() if f.follow_up_on else pd.NA,
        )
        for f in filings
    ]
    return _frame(
        rows,
        ("filed_on", "channel", "case_id", "answered_by", "response", "outcome", "follow_up_on"),
    )


def _evidence(entries: Sequence[EvidenceEntry], scrub: Scrubber) -> pd.DataFrame:
    rows = [
        (
            e.occurred_on.isoformat(),
            scrub.text(e.title),
            scrub.text(e.note),
            scrub.text(e.file_name) if e.file_name else pd.NA,
            e.sha256,
            str(e.size_bytes),
        )
        for e in entries
    ]
    return _frame(rows, ("occurred_on", "title", "note", "file_name", "sha256", "size_bytes"))


def _frame(rows: Sequence[tuple[object, ...]], columns: Sequence[str]) -> pd.DataFrame:
    data = {name: [row[i] for row in rows] for i, name in enumerate(columns)}
    return pd.DataFrame({name: pd.Series(values, dtype="str") for name, values in data.items()})


def _summary(
    orders: pd.DataFrame,
    first: date | None,
    last: date | None,
    losses: LossSummary,
    patterns: pd.DataFrame,
    filings: Sequence[Filing],
    lang: str,
    include_pii: bool,
    scrub: Scrubber,
) -> list[str]:
    from sellerguard.workflow.drafts import format_date
    from sellerguard.workflow.selection import targeted_skus

    levels = _text_column(orders, "risk_level")
    groups = orders["group_id"].dropna().nunique() if "group_id" in orders.columns else 0
    lines = [
        t(
            "reports.summary.orders",
            lang,
            first=format_date(first, lang) or "-",
            last=format_date(last, lang) or "-",
            count=len(orders),
            high=int((levels == "high").sum()),
            medium=int((levels == "medium").sum()),
            groups=groups,
        )
    ]
    if not patterns.empty:
        joiner = "、" if lang == "ja" else ", "
        top = joiner.join(
            f"{title} ({n})" for title, n in zip(patterns["title"], patterns["orders"], strict=True)
        )
        lines.append(t("reports.summary.patterns", lang, patterns=top))
    skus = targeted_skus(orders)
    if skus:
        lines.append(
            t("reports.summary.skus", lang, skus=", ".join(scrub.text(s) for s in skus[:10]))
        )
    lines.append(
        t(
            "reports.summary.losses",
            lang,
            total=format_yen(losses.direct_cost),
            cod=format_yen(losses.cod_fees),
            shipping=format_yen(losses.shipping_cost),
            items=losses.locked_items,
            item_days=f"{losses.locked_item_days:g}",
        )
    )
    amazon = sum(1 for f in filings if f.to_amazon)
    lines.append(t("reports.summary.filings", lang, amazon=amazon, other=len(filings) - amazon))
    lines.append(
        t("reports.summary.pii_included" if include_pii else "reports.summary.pii_masked", lang)
    )
    return lines


def _timeline(
    daily: pd.DataFrame,
    actions: pd.DataFrame,
    filings: pd.DataFrame,
    evidence: pd.DataFrame,
    imports: pd.DataFrame,
    lang: str,
) -> pd.DataFrame:
    rows: list[tuple[str, str, str]] = []
    for day, count in zip(daily["day"], daily["orders"], strict=True):
        rows.append((str(day), "orders", t("reports.event.orders", lang, count=int(count))))
    for done_on, title in zip(actions["done_on"], actions["title"], strict=True):
        if isinstance(done_on, str) and done_on:
            rows.append((done_on, "action", t("reports.event.action", lang, action=title)))
    for filed_on, channel, case_id, outcome in zip(
        filings["filed_on"], filings["channel"], filings["case_id"], filings["outcome"], strict=True
    ):
        rows.append(
            (
                str(filed_on),
                "filing",
                t(
                    "reports.event.filing",
                    lang,
                    channel=channel,
                    case_id=case_id or "-",
                    outcome=outcome,
                ),
            )
        )
    for occurred_on, title in zip(evidence["occurred_on"], evidence["title"], strict=True):
        rows.append((str(occurred_on), "evidence", t("reports.event.evidence", lang, title=title)))
    for name, imported_at in zip(imports["name"], imports["imported_at"], strict=True):
        when = str(imported_at)[:10]
        if when:
            rows.append((when, "import", t("reports.event.import", lang, name=name)))
    order = {kind: i for i, kind in enumerate(TIMELINE_KINDS)}
    rows.sort(key=lambda row: (row[0], order[row[1]]))
    return _frame(rows, ("date", "kind", "event"))
