"""Altair charts and key figures of the Overview page, built from the scored order table.

Every chart aggregates in pandas first (a year of orders becomes a few hundred rows), so the
chart specification stays small whatever the number of orders, then returns an
``alt.Chart`` that a page shows with ``st.altair_chart`` and a test reads with ``to_dict()``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import altair as alt
import pandas as pd

from sellerguard.i18n import t

LEVELS: tuple[str, ...] = ("high", "medium", "low")
LEVEL_COLOURS: tuple[str, ...] = ("#d62728", "#ff9f1c", "#b8c4ce")
FLAGGED_LEVELS: tuple[str, ...] = ("high", "medium")
CANCELLED: frozenset[str] = frozenset({"Cancelled", "Canceled"})
PENDING: frozenset[str] = frozenset({"Pending", "PendingAvailability"})
#: Amazon cancels unpaid convenience-store orders after 6 days; earlier cancellations are
#: more likely the buyer's own, so the lock timeline starts counting at this many days.
LOCK_MIN_DAYS = 4


@dataclass(frozen=True)
class KeyFigures:
    """The headline numbers of the Overview page."""

    orders: int
    flagged: int
    high: int
    linked_groups: int
    estimated_loss: int


def _column(orders: pd.DataFrame, name: str, dtype: str = "str") -> pd.Series:
    if name in orders.columns:
        return orders[name]
    return pd.Series(pd.NA, index=orders.index, dtype=dtype)


def _local_day(stamps: pd.Series) -> pd.Series:
    """Calendar day in Japan (naive midnight), so charts do not shift with the browser."""
    values = pd.to_datetime(stamps, errors="coerce")
    if isinstance(values.dtype, pd.DatetimeTZDtype):
        values = values.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
    return values.dt.normalize()


def _day_axis(lang: str) -> alt.Axis:
    """A day axis labelled in ``lang`` (Vega's own labels would name months in English)."""
    return alt.Axis(format=t("overview.format.day", lang), labelOverlap=True)


def _day_tooltip(field: str, title_key: str, lang: str) -> alt.Tooltip:
    """A tooltip showing the day of ``field`` in ``lang`` (numbers only in Japanese)."""
    return alt.Tooltip(
        f"yearmonthdate({field}):T",
        title=t(title_key, lang),
        format=t("overview.format.date", lang),
    )


def _flagged(orders: pd.DataFrame) -> pd.Series:
    return _column(orders, "risk_level").isin(FLAGGED_LEVELS).fillna(False).astype(bool)


def _level_labels(lang: str) -> list[str]:
    return [t(f"overview.level.{level}", lang) for level in LEVELS]


def orders_per_day(orders: pd.DataFrame, lang: str = "ja") -> alt.Chart:
    """Orders per purchase day, stacked by risk level (high on top of the colour legend)."""
    days = _local_day(_column(orders, "purchase_date", "datetime64[ns]"))
    level = _column(orders, "risk_level").fillna("low").astype("str")
    counts = (
        pd.DataFrame({"day": days, "level": level})
        .dropna(subset=["day"])
        .groupby(["day", "level"], as_index=False)
        .size()
        .rename(columns={"size": "orders"})
    )
    labels = dict(zip(LEVELS, _level_labels(lang), strict=True))
    counts["level_label"] = counts["level"].map(labels).astype("str")
    counts["level_rank"] = counts["level"].map({lv: i for i, lv in enumerate(LEVELS)})
    chart: alt.Chart = (
        alt.Chart(counts, title=t("overview.chart.orders_per_day", lang))
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonthdate(day):T", title=t("overview.axis.day", lang), axis=_day_axis(lang)
            ),
            y=alt.Y("sum(orders):Q", title=t("overview.axis.orders", lang)),
            color=alt.Color(
                "level_label:N",
                title=t("overview.axis.level", lang),
                scale=alt.Scale(domain=_level_labels(lang), range=list(LEVEL_COLOURS)),
            ),
            order=alt.Order("level_rank:Q", sort="descending"),
            tooltip=[
                _day_tooltip("day", "overview.axis.day", lang),
                alt.Tooltip("level_label:N", title=t("overview.axis.level", lang)),
                alt.Tooltip("sum(orders):Q", title=t("overview.axis.orders", lang)),
            ],
        )
    )
    return chart


def lock_intervals(orders: pd.DataFrame, today: date | None = None) -> pd.DataFrame:
    """Orders that held stock without paying: still pending, or cancelled after days unpaid.

    Returns one row per such order: ``sku``, ``start`` and ``end`` (days in Japan),
    ``quantity``, ``state`` (``pending`` or ``auto_cancelled``) and ``days``.
    """
    status = _column(orders, "status").astype("str")
    start = _local_day(_column(orders, "purchase_date", "datetime64[ns]"))
    updated = _local_day(_column(orders, "last_updated_date", "datetime64[ns]"))
    paid = _column(orders, "payments_date", "datetime64[ns]").notna()
    now = pd.Timestamp(today or date.today())
    # Amazon cancels an unpaid order after about six days, so an order an old export shows as
    # pending cannot still be holding stock today: its bar stops a week after purchase.
    pending_end = (start + pd.Timedelta(days=7)).where(start + pd.Timedelta(days=7) < now, now)
    end = updated.where(~status.isin(PENDING), pending_end)
    days = (end - start).dt.days
    pending = status.isin(PENDING).fillna(False)
    cancelled = status.isin(CANCELLED).fillna(False) & ~paid & (days >= LOCK_MIN_DAYS)
    chosen = (pending | cancelled) & start.notna() & end.notna()
    frame = pd.DataFrame(
        {
            "sku": _column(orders, "sku").astype("str").fillna("?"),
            "start": start,
            "end": end,
            "quantity": pd.to_numeric(_column(orders, "quantity", "Int64")).fillna(1),
            "state": pd.Series("auto_cancelled", index=orders.index, dtype="str").where(
                ~pending, "pending"
            ),
            "days": days,
        }
    )
    return frame.loc[chosen].reset_index(drop=True)


def lock_timeline(
    orders: pd.DataFrame, lang: str = "ja", today: date | None = None, top: int = 15
) -> alt.Chart:
    """Per SKU, the days its stock sat in unpaid orders (pending → auto-cancelled).

    Overlapping orders of one SKU on the same days are merged into one bar per
    (SKU, start, end, state) with their quantities summed; only the ``top`` SKUs with the
    most locked quantity are shown.
    """
    spans = lock_intervals(orders, today)
    spans = spans.groupby(["sku", "start", "end", "state"], as_index=False).agg(
        quantity=("quantity", "sum"), orders=("quantity", "size")
    )
    totals = spans.groupby("sku")["quantity"].sum().sort_values(ascending=False)
    keep = list(totals.index[:top])
    spans = spans.loc[spans["sku"].isin(keep)].reset_index(drop=True)
    states = ["pending", "auto_cancelled"]
    state_labels = [t(f"overview.lock.{state}", lang) for state in states]
    spans["state_label"] = spans["state"].map(dict(zip(states, state_labels, strict=True)))
    spans["state_label"] = spans["state_label"].astype("str")
    chart: alt.Chart = (
        alt.Chart(spans, title=t("overview.chart.lock_timeline", lang))
        .mark_bar(opacity=0.75, cornerRadius=2)
        .encode(
            x=alt.X(
                "yearmonthdate(start):T", title=t("overview.axis.day", lang), axis=_day_axis(lang)
            ),
            x2="yearmonthdate(end):T",
            y=alt.Y("sku:N", sort=keep, title=t("overview.axis.sku", lang)),
            color=alt.Color(
                "state_label:N",
                title=t("overview.axis.state", lang),
                scale=alt.Scale(domain=state_labels, range=["#ff9f1c", "#d62728"]),
            ),
            tooltip=[
                alt.Tooltip("sku:N", title=t("overview.axis.sku", lang)),
                _day_tooltip("start", "overview.axis.start", lang),
                _day_tooltip("end", "overview.axis.end", lang),
                alt.Tooltip("quantity:Q", title=t("overview.axis.quantity", lang)),
                alt.Tooltip("orders:Q", title=t("overview.axis.orders", lang)),
                alt.Tooltip("state_label:N", title=t("overview.axis.state", lang)),
            ],
        )
    )
    return chart


def cancellations_over_time(orders: pd.DataFrame, lang: str = "ja") -> alt.Chart:
    """Cancelled orders per day of cancellation (last update), flagged ones apart."""
    status = _column(orders, "status").astype("str")
    cancelled = status.isin(CANCELLED).fillna(False)
    when = _local_day(_column(orders, "last_updated_date", "datetime64[ns]"))
    when = when.fillna(_local_day(_column(orders, "purchase_date", "datetime64[ns]")))
    flagged = _flagged(orders)
    kind = pd.Series(t("overview.cancel.other", lang), index=orders.index, dtype="str").where(
        ~flagged, t("overview.cancel.flagged", lang)
    )
    counts = (
        pd.DataFrame({"day": when, "kind": kind})
        .loc[cancelled]
        .dropna(subset=["day"])
        .groupby(["day", "kind"], as_index=False)
        .size()
        .rename(columns={"size": "orders"})
    )
    kinds = [t("overview.cancel.flagged", lang), t("overview.cancel.other", lang)]
    chart: alt.Chart = (
        alt.Chart(counts, title=t("overview.chart.cancellations", lang))
        .mark_bar()
        .encode(
            x=alt.X(
                "yearmonthdate(day):T", title=t("overview.axis.day", lang), axis=_day_axis(lang)
            ),
            y=alt.Y("sum(orders):Q", title=t("overview.axis.cancellations", lang)),
            color=alt.Color(
                "kind:N",
                title="",
                scale=alt.Scale(domain=kinds, range=["#d62728", "#b8c4ce"]),
            ),
            tooltip=[
                _day_tooltip("day", "overview.axis.day", lang),
                alt.Tooltip("kind:N", title=""),
                alt.Tooltip("sum(orders):Q", title=t("overview.axis.cancellations", lang)),
            ],
        )
    )
    return chart


def flagged_by_prefecture(orders: pd.DataFrame, lang: str = "ja") -> alt.Chart:
    """Flagged orders (medium and high) per prefecture of the shipping address."""
    prefecture = _column(orders, "prefecture").astype("str")
    prefecture = prefecture.fillna(_column(orders, "ship_state").astype("str"))
    prefecture = prefecture.fillna(t("overview.unknown", lang))
    counts = (
        pd.DataFrame({"prefecture": prefecture})
        .loc[_flagged(orders)]
        .groupby("prefecture", as_index=False)
        .size()
        .rename(columns={"size": "orders"})
        .sort_values("orders", ascending=False, ignore_index=True)
    )
    chart: alt.Chart = (
        alt.Chart(counts, title=t("overview.chart.prefectures", lang))
        .mark_bar(color="#d62728")
        .encode(
            x=alt.X("orders:Q", title=t("overview.axis.flagged", lang)),
            y=alt.Y("prefecture:N", sort="-x", title=t("overview.axis.prefecture", lang)),
            tooltip=[
                alt.Tooltip("prefecture:N", title=t("overview.axis.prefecture", lang)),
                alt.Tooltip("orders:Q", title=t("overview.axis.flagged", lang)),
            ],
        )
    )
    return chart


def group_sizes(orders: pd.DataFrame, top: int = 10) -> pd.DataFrame:
    """The ``top`` largest linked groups: ``group_id``, ``orders``, ``flagged``, ``cancelled``."""
    group = _column(orders, "group_id").astype("str")
    frame = pd.DataFrame(
        {
            "group_id": group,
            "flagged": _flagged(orders).astype(int),
            "cancelled": _column(orders, "status").isin(CANCELLED).fillna(False).astype(int),
        }
    ).dropna(subset=["group_id"])
    sizes = frame.groupby("group_id", as_index=False).agg(
        orders=("flagged", "size"), flagged=("flagged", "sum"), cancelled=("cancelled", "sum")
    )
    return sizes.sort_values(
        ["orders", "flagged", "group_id"], ascending=[False, False, True], ignore_index=True
    ).head(top)


def largest_groups(orders: pd.DataFrame, lang: str = "ja", top: int = 10) -> alt.Chart:
    """The largest linked groups (same address, phone, name or account), by order count."""
    sizes = group_sizes(orders, top)
    chart: alt.Chart = (
        alt.Chart(sizes, title=t("overview.chart.groups", lang))
        .mark_bar(color="#5470c6")
        .encode(
            x=alt.X("orders:Q", title=t("overview.axis.orders", lang)),
            y=alt.Y("group_id:N", sort="-x", title=t("overview.axis.group", lang)),
            tooltip=[
                alt.Tooltip("group_id:N", title=t("overview.axis.group", lang)),
                alt.Tooltip("orders:Q", title=t("overview.axis.orders", lang)),
                alt.Tooltip("flagged:Q", title=t("overview.axis.flagged", lang)),
                alt.Tooltip("cancelled:Q", title=t("overview.axis.cancellations", lang)),
            ],
        )
    )
    return chart


def key_figures(orders: pd.DataFrame, estimated_loss: int = 0) -> KeyFigures:
    """Orders, flagged orders, high-risk orders, linked groups and the estimated loss."""
    level = _column(orders, "risk_level").astype("str")
    groups = _column(orders, "group_id").dropna()
    return KeyFigures(
        orders=len(orders),
        flagged=int(_flagged(orders).sum()),
        high=int((level == "high").fillna(False).sum()),
        linked_groups=int(groups.nunique()),
        estimated_loss=int(estimated_loss),
    )


def estimated_loss(orders: pd.DataFrame, assumptions: object | None = None) -> int:
    """Money lost to the flagged orders (COD fees and shipping), by the workflow's estimate."""
    from sellerguard.workflow.losses import LossAssumptions, estimate_losses

    chosen = assumptions if isinstance(assumptions, LossAssumptions) else LossAssumptions()
    flagged = orders.loc[_flagged(orders)]
    if flagged.empty:
        return 0
    return int(estimate_losses(flagged, chosen).direct_cost)
