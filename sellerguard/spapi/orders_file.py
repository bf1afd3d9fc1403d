"""The ``orders_api`` file: getOrders results as a tab-separated file the readers understand.

Only the Orders API reveals ``PaymentMethod`` (COD / CVS / Other), the one place a
convenience-store payment is visible. Writing it as a file lets it flow through the same
readers (``sellerguard.exports``) and the same store import as every report. No buyer data is
written: getOrders without a Restricted Data Token returns none, and none is asked for.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

ORDERS_API_HEADER: tuple[str, ...] = (
    "amazon-order-id",
    "purchase-date",
    "last-update-date",
    "order-status",
    "fulfillment-channel",
    "payment-method",
    "order-total-amount",
    "order-total-currency",
    "is-business-order",
)

ORDERS_API_STATUSES: tuple[str, ...] = ("Pending", "Canceled")
"""getOrders statuses pulled: unpaid and cancelled orders are where CVS/COD matter."""

# The Orders API spells some values differently from the reports; the file uses the reports'
# vocabulary so that one order reads the same whichever source it came from.
_STATUS = {"Canceled": "Cancelled"}
_CHANNEL = {"AFN": "Amazon", "MFN": "Merchant"}
_PAYMENT = frozenset({"COD", "CVS", "Other"})


def _cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return " ".join(text.replace("\t", " ").splitlines())


def _bool(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return ""


def orders_api_row(order: Mapping[str, Any]) -> list[str]:
    """One file row for one getOrders ``Order`` object."""
    total = order.get("OrderTotal")
    total = total if isinstance(total, Mapping) else {}
    payment = order.get("PaymentMethod")
    status = str(order.get("OrderStatus") or "")
    channel = str(order.get("FulfillmentChannel") or "")
    return [
        _cell(order.get("AmazonOrderId")),
        _cell(order.get("PurchaseDate")),
        _cell(order.get("LastUpdateDate")),
        _STATUS.get(status, status),
        _CHANNEL.get(channel, channel),
        payment if isinstance(payment, str) and payment in _PAYMENT else "",
        _cell(total.get("Amount")),
        _cell(total.get("CurrencyCode")),
        _bool(order.get("IsBusinessOrder")),
    ]


def orders_api_file(orders: Iterable[Mapping[str, Any]]) -> bytes:
    """Return the UTF-8, tab-separated, LF-terminated file for ``orders`` (header first)."""
    lines = ["\t".join(ORDERS_API_HEADER)]
    lines += ["\t".join(_cell(c) for c in orders_api_row(order)) for order in orders]
    return ("\n".join(lines) + "\n").encode("utf-8")
