"""Small builders of export files for the reader tests (no fixtures on disk needed)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

ALL_ORDERS_HEADER = [
    "amazon-order-id",
    "merchant-order-id",
    "purchase-date",
    "last-updated-date",
    "order-status",
    "fulfillment-channel",
    "sales-channel",
    "order-channel",
    "ship-service-level",
    "product-name",
    "sku",
    "asin",
    "item-status",
    "quantity",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "gift-wrap-price",
    "gift-wrap-tax",
    "item-promotion-discount",
    "ship-promotion-discount",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "promotion-ids",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]

ORDER_REPORT_HEADER = [
    "order-id",
    "order-item-id",
    "purchase-date",
    "payments-date",
    "buyer-email",
    "buyer-name",
    "buyer-phone-number",
    "sku",
    "product-name",
    "quantity-purchased",
    "currency",
    "item-price",
    "item-tax",
    "shipping-price",
    "shipping-tax",
    "ship-service-level",
    "recipient-name",
    "ship-address-1",
    "ship-address-2",
    "ship-address-3",
    "ship-city",
    "ship-state",
    "ship-postal-code",
    "ship-country",
    "ship-phone-number",
    "delivery-start-date",
    "delivery-end-date",
    "delivery-time-zone",
    "delivery-Instructions",
    "sales-channel",
    "is-business-order",
    "purchase-order-number",
    "price-designation",
]
COD_COLUMNS = ["payment-method", "cod-collectible-amount", "already-paid", "payment-method-fee"]
ORDER_REPORT_TAIL = [
    "scheduled-delivery-start-date",
    "scheduled-delivery-end-date",
    "points-granted",
    "is-prime",
]

PENDING_HEADER = [
    "order-id",
    "order-item-id",
    "purchase-date",
    "sku",
    "product-name",
    "quantity-purchased",
    "payment-type",
]
RETURNS_HEADER = [
    "order-id",
    "order-date",
    "return-request-date",
    "return-request-status",
    "amazon-rma-id",
    "merchant-sku",
    "asin",
    "item-name",
    "return-quantity",
    "return-reason",
    "refunded-amount",
]
ORDERS_API_HEADER = [
    "amazon-order-id",
    "purchase-date",
    "last-update-date",
    "order-status",
    "fulfillment-channel",
    "payment-method",
    "order-total-amount",
    "order-total-currency",
    "is-business-order",
]


def all_orders_row(order_id: str, **values: str) -> dict[str, str]:
    """One all-orders row with plausible defaults; ``values`` use header names with _."""
    row = {
        "amazon-order-id": order_id,
        "purchase-date": "2026-05-01T10:00:00+09:00",
        "last-updated-date": "2026-05-02T10:00:00+09:00",
        "order-status": "Shipped",
        "fulfillment-channel": "Merchant",
        "sales-channel": "Amazon.co.jp",
        "ship-service-level": "Standard",
        "product-name": "商品A",
        "sku": "SKU-A",
        "asin": "B000000001",
        "item-status": "Shipped",
        "quantity": "1",
        "currency": "JPY",
        "item-price": "1980",
        "item-tax": "198",
        "shipping-price": "0",
        "shipping-tax": "0",
        "ship-city": "札幌市中央区",
        "ship-state": "北海道",
        "ship-postal-code": "060-0001",
        "ship-country": "JP",
        "is-business-order": "false",
    }
    row.update({k.replace("_", "-"): v for k, v in values.items()})
    return row


def order_report_row(
    order_id: str, item_id: str = "10000000000001", **values: str
) -> dict[str, str]:
    """One order-report row with plausible defaults."""
    row = {
        "order-id": order_id,
        "order-item-id": item_id,
        "purchase-date": "2026-05-01T10:00:00+09:00",
        "payments-date": "2026-05-01T10:05:00+09:00",
        "buyer-email": "abc123@marketplace.amazon.co.jp",
        "buyer-name": "山田 太郎",
        "buyer-phone-number": "090-1234-5678",
        "sku": "SKU-A",
        "product-name": "商品A",
        "quantity-purchased": "1",
        "currency": "JPY",
        "item-price": "1980",
        "item-tax": "198",
        "shipping-price": "0",
        "shipping-tax": "0",
        "ship-service-level": "Standard",
        "recipient-name": "山田 太郎",
        "ship-address-1": "北一条西2丁目1-1",
        "ship-address-2": "サンプルビル 101",
        "ship-city": "札幌市中央区",
        "ship-state": "北海道",
        "ship-postal-code": "060-0001",
        "ship-country": "JP",
        "ship-phone-number": "090-1234-5678",
        "sales-channel": "Amazon.co.jp",
        "is-business-order": "false",
        "points-granted": "0",
        "is-prime": "false",
    }
    row.update({k.replace("_", "-"): v for k, v in values.items()})
    return row


def table_text(
    header: Sequence[str],
    rows: Sequence[dict[str, str] | Sequence[str]],
    delimiter: str = "\t",
    newline: str = "\n",
    quote_all: bool = False,
) -> str:
    """Render rows (dicts by header, or raw cell lists) as export text.

    Tab-separated text is written the way Seller Central does (no quoting) unless
    ``quote_all``; comma-separated text is quoted as Excel does (minimal, or all).
    """
    if delimiter == "\t" and not quote_all:
        lines = [delimiter.join(header)]
        for row in rows:
            cells = [row.get(h, "") for h in header] if isinstance(row, dict) else list(row)
            lines.append(delimiter.join(cells))
        return newline.join(lines) + newline
    buffer = io.StringIO()
    writer = csv.writer(
        buffer,
        delimiter=delimiter,
        lineterminator=newline,
        quoting=csv.QUOTE_ALL if quote_all else csv.QUOTE_MINIMAL,
    )
    writer.writerow(header)
    for row in rows:
        writer.writerow([row.get(h, "") for h in header] if isinstance(row, dict) else row)
    return buffer.getvalue()


def export_bytes(
    header: Sequence[str],
    rows: Sequence[dict[str, str] | Sequence[str]],
    encoding: str = "utf-8",
    **options: object,
) -> bytes:
    """``table_text`` encoded (``utf-8-sig`` adds a BOM, ``cp932`` is Shift_JIS)."""
    return table_text(header, rows, **options).encode(encoding)  # type: ignore[arg-type]
