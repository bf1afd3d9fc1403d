"""Support-report drafts to Amazon seller support, in Japanese (English on request).

A draft states what is happening and since when, lists the orders (id, date, status,
SKU/ASIN, pattern), says how they are linked without naming anyone, estimates the money and
stock lost with its assumptions, lists what the seller already did and every earlier filing
with its case id ("this is the 3rd report"), and asks Amazon to act. It carries no buyer
personal data: order ids are enough for Amazon to find the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

import pandas as pd

from sellerguard.errors import ReportError
from sellerguard.i18n import t
from sellerguard.workflow.checklist import STEPS, StepProgress
from sellerguard.workflow.filings import Filing, amazon_filings, report_number
from sellerguard.workflow.losses import LossAssumptions, LossSummary, estimate_losses
from sellerguard.workflow.patterns import LinkCount, link_counts, pattern_counts, patterns_of

ASKS: tuple[str, ...] = ("investigate", "stop_accounts", "cancel_pending", "compensation")


def format_date(day: date | None, lang: str) -> str:
    """Return a date as ``2024年5月1日`` (ja) or ``2024-05-01`` (en); empty for None."""
    if day is None:
        return ""
    if lang == "ja":
        return f"{day.year}年{day.month}月{day.day}日"
    return day.isoformat()


def format_yen(amount: float) -> str:
    """Return an amount of yen as ``¥12,345``."""
    return f"¥{round(amount):,}"


def ordinal(number: int, lang: str) -> str:
    """Return ``3回目`` (ja) or ``3rd`` (en)."""
    if lang == "ja":
        return f"{number}回目"
    suffix = (
        "th" if 10 <= number % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(number % 10, "th")
    )
    return f"{number}{suffix}"


def draft_support_report(
    orders: pd.DataFrame,
    *,
    checklist: Sequence[StepProgress] = (),
    filings: Sequence[Filing] = (),
    previous_case_ids: Iterable[str] = (),
    assumptions: LossAssumptions | None = None,
    lang: str = "ja",
    today: date | None = None,
    max_listed: int | None = None,
) -> str:
    """Write the support-report draft for ``orders`` (already selected, e.g. ``select_orders``).

    Parameters
    ----------
    orders
        The scanned orders the report is about.
    checklist
        The seller's checklist progress; steps done are listed with their dates.
    filings
        The filing log; the Amazon filings are cited with case ids and counted.
    previous_case_ids
        Earlier case ids not in the log (e.g. given on the command line).
    assumptions
        Loss assumptions (defaults when None).
    lang
        ``"ja"`` or ``"en"``.
    today
        The draft's date (default: today).
    max_listed
        List at most this many orders one by one (the rest are counted, to be attached as
        a list); None lists all.

    Raises
    ------
    ReportError
        ``no_orders`` when ``orders`` is empty.
    """
    if orders.empty:
        raise ReportError("no_orders")
    today = today or date.today()
    previous = [case.strip() for case in previous_case_ids if case.strip()]
    number = report_number(filings, previous)
    days = _purchase_days(orders)
    first, last = (min(days), max(days)) if days else (None, None)
    losses = estimate_losses(orders, assumptions or LossAssumptions(), today)

    lines = [
        t("workflow.draft.subject", lang, nth=ordinal(number, lang), count=len(orders)),
        "",
        t("workflow.draft.greeting", lang),
        "",
        *_overview(orders, first, last, number, lang),
        "",
        *_order_lines(orders, lang, max_listed),
        "",
        *link_lines(orders, lang),
        "",
        *loss_lines(losses, lang),
        "",
        *_action_lines(checklist, lang),
        "",
        *_filing_lines(filings, previous, number, lang),
        "",
        t("workflow.draft.asks_heading", lang),
        *(f"{i}. {t(f'workflow.draft.ask.{ask}', lang)}" for i, ask in enumerate(ASKS, 1)),
        "",
        t("workflow.draft.closing", lang, date=format_date(today, lang)),
    ]
    return "\n".join(lines).rstrip() + "\n"


def _purchase_days(orders: pd.DataFrame) -> list[date]:
    if "purchase_date" not in orders.columns:
        return []
    stamps = pd.to_datetime(orders["purchase_date"], errors="coerce").dropna()
    if isinstance(stamps.dtype, pd.DatetimeTZDtype):
        stamps = stamps.dt.tz_convert("Asia/Tokyo")
    return [stamp.date() for stamp in stamps]


def _overview(
    orders: pd.DataFrame, first: date | None, last: date | None, number: int, lang: str
) -> list[str]:
    counts = pattern_counts(orders, lang)
    main = "、" if lang == "ja" else ", "
    top = main.join(counts["title"].head(3).tolist()) or t("workflow.draft.pattern_unknown", lang)
    lines = [
        t("workflow.draft.overview_heading", lang),
        t(
            "workflow.draft.overview",
            lang,
            first=format_date(first, lang),
            last=format_date(last, lang),
            count=len(orders),
            patterns=top,
        ),
    ]
    if first is not None and first < date(2024, 6, 6) and _has_cod(orders):
        lines.append(t("workflow.draft.overview_cod", lang))
    return lines


def _has_cod(orders: pd.DataFrame) -> bool:
    if "payment_method" not in orders.columns:
        return False
    return bool((orders["payment_method"].astype("str").str.upper() == "COD").fillna(False).any())


def _order_lines(orders: pd.DataFrame, lang: str, max_listed: int | None = None) -> list[str]:
    lines = [t("workflow.draft.orders_heading", lang, count=len(orders))]
    if "status" in orders.columns:
        counts = orders["status"].astype("str").fillna("-").value_counts()
        breakdown = (" / " if lang == "en" else "、").join(
            f"{status} {count}" for status, count in counts.items()
        )
        lines.append(t("workflow.draft.status_breakdown", lang, breakdown=breakdown))
    hidden = 0
    if max_listed is not None and len(orders) > max_listed:
        hidden = len(orders) - max_listed
        orders = orders.iloc[:max_listed]
    patterns = patterns_of(orders, lang)
    if "purchase_date" in orders.columns:
        days = pd.to_datetime(orders["purchase_date"], errors="coerce")
    else:
        days = pd.Series(pd.NaT, index=orders.index, dtype="datetime64[ns]")
    if isinstance(days.dtype, pd.DatetimeTZDtype):
        days = days.dt.tz_convert("Asia/Tokyo")
    day_text = days.dt.strftime("%Y-%m-%d").fillna("")

    def column(name: str) -> pd.Series:
        if name not in orders.columns:
            return pd.Series("", index=orders.index, dtype="str")
        return orders[name].astype("str").fillna("")

    quantity = column("quantity")
    for order_id, day, status, sku, asin, qty, pattern in zip(
        column("order_id"),
        day_text,
        column("status"),
        column("sku"),
        column("asin"),
        quantity,
        patterns,
        strict=True,
    ):
        lines.append(
            t(
                "workflow.draft.order_line",
                lang,
                order_id=order_id,
                date=day,
                status=status or "-",
                sku=sku or "-",
                asin=asin or "-",
                quantity=qty or "-",
                pattern=pattern or "-",
            )
        )
    if hidden:
        lines.append(t("workflow.draft.orders_hidden", lang, count=hidden))
    return lines


def link_lines(orders: pd.DataFrame, lang: str) -> list[str]:
    """Return the "how the orders are linked" section (heading first), naming nobody."""
    lines = [t("workflow.draft.links_heading", lang), *link_count_lines(link_counts(orders), lang)]
    if "group_id" in orders.columns:
        groups = orders["group_id"].dropna().nunique()
        if groups:
            lines.append(t("workflow.draft.links_groups", lang, groups=groups))
    lines.append(t("workflow.draft.links_privacy", lang))
    return lines


def link_count_lines(counts: Sequence[LinkCount], lang: str) -> list[str]:
    """One line per link kind ("same phone number: 4 orders (2 numbers)")."""
    if not counts:
        return [t("workflow.draft.links_none", lang)]
    return [
        t(f"workflow.draft.link.{link.kind}", lang, orders=link.orders, values=link.distinct_values)
        for link in counts
    ]


def loss_lines(losses: LossSummary, lang: str) -> list[str]:
    """Return the losses section (heading first) with its assumptions."""
    a = losses.assumptions
    lines = [t("workflow.draft.losses_heading", lang)]
    if losses.cod_orders:
        lines.append(
            t(
                "workflow.draft.loss_cod",
                lang,
                orders=losses.cod_orders,
                items=losses.cod_items,
                fee=format_yen(a.cod_fee_per_item),
                total=format_yen(losses.cod_fees),
            )
        )
    if losses.shipped_parcels:
        key = "loss_shipping_both" if a.shipped_came_back else "loss_shipping_out"
        lines.append(
            t(
                f"workflow.draft.{key}",
                lang,
                parcels=losses.shipped_parcels,
                out=format_yen(a.shipping_out_per_parcel),
                back=format_yen(a.shipping_back_per_parcel),
                total=format_yen(losses.shipping_cost),
            )
        )
    if losses.locked_orders:
        lines.append(
            t(
                "workflow.draft.loss_locked",
                lang,
                orders=losses.locked_orders,
                items=losses.locked_items,
                item_days=f"{losses.locked_item_days:g}",
                value=format_yen(losses.locked_value),
                default_days=a.default_lock_days,
            )
        )
    lines.append(t("workflow.draft.loss_total", lang, total=format_yen(losses.direct_cost)))
    lines.append(t("workflow.draft.loss_assumptions", lang))
    return lines


def _action_lines(checklist: Sequence[StepProgress], lang: str) -> list[str]:
    lines = [t("workflow.draft.actions_heading", lang)]
    progress = {step.code: step for step in checklist}
    done = [
        (progress[step.code], step)
        for step in STEPS
        if step.code in progress and progress[step.code].status == "done"
    ]
    if not done:
        lines.append(t("workflow.draft.actions_none", lang))
    for state, step in sorted(done, key=lambda pair: pair[0].done_on or date.min):
        lines.append(
            t(
                "workflow.draft.action_line",
                lang,
                date=format_date(state.done_on, lang),
                action=t(step.title_key, lang),
            )
        )
    return lines


def _filing_lines(
    filings: Sequence[Filing], previous: Sequence[str], number: int, lang: str
) -> list[str]:
    lines = [t("workflow.draft.filings_heading", lang)]
    logged = amazon_filings(filings)
    known = {filing.case_id for filing in logged if filing.case_id}
    for filing in logged:
        lines.append(
            t(
                "workflow.draft.filing_line",
                lang,
                date=format_date(filing.filed_on, lang),
                channel=t(f"workflow.channel.{filing.channel}", lang),
                case_id=filing.case_id or t("workflow.draft.no_case_id", lang),
                outcome=t(f"workflow.outcome.{filing.outcome}", lang),
            )
        )
    for case in dict.fromkeys(previous):
        if case not in known:
            lines.append(t("workflow.draft.previous_case_line", lang, case_id=case))
    if number == 1:
        lines.append(t("workflow.draft.first_report", lang))
    else:
        lines.append(t("workflow.draft.nth_report", lang, nth=ordinal(number, lang)))
    return lines
