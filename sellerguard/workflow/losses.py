"""Money and stock lost to the harassment orders, with every assumption explicit.

Amazon reports do not say what a refused parcel cost the seller, so the figures rest on
assumptions the seller sets (shipping per parcel, whether shipped flagged orders came back)
and that every draft and report prints next to the figures.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from datetime import date
from typing import Any

import pandas as pd

from sellerguard.errors import ReportError

SETTINGS_KEY = "workflow.loss_assumptions"
SHIPPED_STATUSES: tuple[str, ...] = ("Shipped", "Shipping", "PartiallyShipped")


@dataclass(frozen=True)
class LossAssumptions:
    """What the loss estimate assumes; the seller can change each value.

    Attributes
    ----------
    cod_fee_per_item
        Amazon's cash-on-delivery fee per item (¥330), charged on COD orders that shipped.
    shipping_out_per_parcel, shipping_back_per_parcel
        What one parcel cost to send and to get back (yen).
    shipped_came_back
        Count shipped flagged orders as refused and returned (both ways paid).
    default_lock_days
        Days stock counts as locked when the cancellation date is unknown (6: Amazon cancels
        unpaid convenience-store orders after 6 days).
    """

    cod_fee_per_item: int = 330
    shipping_out_per_parcel: int = 0
    shipping_back_per_parcel: int = 0
    shipped_came_back: bool = True
    default_lock_days: int = 6

    def to_dict(self) -> dict[str, Any]:
        """Return the assumptions as a JSON-ready mapping (for ``store.set_setting``)."""
        return asdict(self)

    @classmethod
    def from_dict(cls, values: dict[str, Any] | None) -> LossAssumptions:
        """Build assumptions from a stored mapping; unknown keys are ignored.

        Raises
        ------
        ReportError
            ``bad_assumption`` when a value is negative or not a number.
        """
        known = {f.name: f.type for f in fields(cls)}
        chosen: dict[str, Any] = {}
        for name, value in (values or {}).items():
            if name not in known:
                continue
            if name == "shipped_came_back":
                chosen[name] = bool(value)
                continue
            try:
                number = int(value)
            except (TypeError, ValueError) as err:
                raise ReportError("bad_assumption", name=name) from err
            if number < 0:
                raise ReportError("bad_assumption", name=name)
            chosen[name] = number
        return cls(**chosen)


@dataclass(frozen=True)
class LossSummary:
    """The estimated losses over a set of orders."""

    cod_orders: int
    cod_items: int
    cod_fees: int
    shipped_parcels: int
    shipping_cost: int
    locked_orders: int
    locked_items: int
    locked_item_days: float
    locked_value: float
    locked_value_days: float
    assumptions: LossAssumptions

    @property
    def direct_cost(self) -> int:
        """COD fees plus shipping: the money out of the seller's pocket."""
        return self.cod_fees + self.shipping_cost

    def to_dict(self) -> dict[str, Any]:
        """Return the figures and assumptions as a JSON-ready mapping."""
        values = asdict(self)
        values["direct_cost"] = self.direct_cost
        return values


def estimate_losses(
    orders: pd.DataFrame, assumptions: LossAssumptions, today: date | None = None
) -> LossSummary:
    """Estimate COD fees, shipping both ways and stock locked for ``orders``.

    Parameters
    ----------
    orders
        Scanned orders (``status``, ``quantity``, ``order_value``, ``purchase_date``; used
        when present: ``payment_method``, ``returned``, ``last_updated_date``).
    assumptions
        The seller's assumptions.
    today
        The day still-pending orders count up to (default: today).
    """
    today = today or date.today()
    n = len(orders)
    status = _text(orders, "status")
    quantity = _numbers(orders, "quantity", n).clip(lower=0)
    value = _numbers(orders, "order_value", n)
    returned = (
        orders["returned"].fillna(False).astype(bool)
        if "returned" in orders.columns
        else pd.Series(False, index=orders.index)
    )
    shipped = status.isin(list(SHIPPED_STATUSES)) | returned
    cod = (_text(orders, "payment_method").str.upper() == "COD") & shipped

    trips = assumptions.shipping_out_per_parcel
    if assumptions.shipped_came_back:
        trips += assumptions.shipping_back_per_parcel
    cancelled = status.isin(["Cancelled", "Canceled"])
    locked = (status == "Pending") | (cancelled & ~shipped)
    days = _lock_days(orders, status, today, assumptions.default_lock_days)
    cod_items = int(quantity.loc[cod].sum())
    return LossSummary(
        cod_orders=int(cod.sum()),
        cod_items=cod_items,
        cod_fees=cod_items * assumptions.cod_fee_per_item,
        shipped_parcels=int(shipped.sum()),
        shipping_cost=int(shipped.sum()) * trips,
        locked_orders=int(locked.sum()),
        locked_items=int(quantity.loc[locked].sum()),
        locked_item_days=round(float((quantity * days).loc[locked].sum()), 1),
        locked_value=round(float(value.loc[locked].sum()), 0),
        locked_value_days=round(float((value * days).loc[locked].sum()), 0),
        assumptions=assumptions,
    )


def _text(orders: pd.DataFrame, column: str) -> pd.Series:
    if column not in orders.columns:
        return pd.Series("", index=orders.index, dtype="str")
    return orders[column].astype("str").fillna("")


def _numbers(orders: pd.DataFrame, column: str, n: int) -> pd.Series:
    if column not in orders.columns:
        return pd.Series(0.0, index=orders.index)
    return pd.to_numeric(orders[column], errors="coerce").astype("float64").fillna(0.0)


def _lock_days(orders: pd.DataFrame, status: pd.Series, today: date, default: int) -> pd.Series:
    """Days between purchase and cancellation (or today while pending); default if unknown."""
    days = pd.Series(float(default), index=orders.index)
    if "purchase_date" not in orders.columns:
        return days
    bought = _naive(orders["purchase_date"])
    if "last_updated_date" in orders.columns:
        ended = _naive(orders["last_updated_date"])
        span = (ended - bought).dt.total_seconds() / 86400.0
        known = span.notna() & (span >= 0) & (status != "Pending")
        days = days.mask(known, span.round(1))
    pending = (status == "Pending") & bought.notna()
    waited = (pd.Timestamp(today) - bought).dt.total_seconds() / 86400.0
    return days.mask(pending, waited.clip(lower=0).round(1)).astype("float64")


def _naive(stamps: pd.Series) -> pd.Series:
    converted = pd.to_datetime(stamps, errors="coerce")
    if isinstance(converted.dtype, pd.DatetimeTZDtype):
        converted = converted.dt.tz_convert("Asia/Tokyo").dt.tz_localize(None)
    return converted
