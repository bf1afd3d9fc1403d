"""Small synthetic report contents for the SP-API double (no real person's data)."""

from __future__ import annotations

from typing import Any

ALL_ORDERS_HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
    "fulfillment-channel\tsales-channel\torder-channel\tship-service-level\tproduct-name\tsku\t"
    "asin\titem-status\tquantity\tcurrency\titem-price\titem-tax\tshipping-price\tshipping-tax\t"
    "gift-wrap-price\tgift-wrap-tax\titem-promotion-discount\tship-promotion-discount\t"
    "ship-city\tship-state\tship-postal-code\tship-country\tpromotion-ids\tis-business-order\t"
    "purchase-order-number\tprice-designation"
)

ORDER_REPORT_HEADER = (
    "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\t"
    "buyer-phone-number\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\titem-tax\t"
    "shipping-price\tshipping-tax\tship-service-level\trecipient-name\tship-address-1\t"
    "ship-address-2\tship-address-3\tship-city\tship-state\tship-postal-code\tship-country\t"
    "ship-phone-number"
)

BUYER_NAME = "試験 花子"
BUYER_PHONE = "090-0000-1234"


def _all_orders_row(order_id: str, status: str, updated: str, product: str, qty: int) -> str:
    cells = [
        order_id, "", "2026-02-10T10:00:00+09:00", updated, status, "Merchant", "Amazon.co.jp",
        "", "Standard", product, "SKU-1", "B000TEST01", status, str(qty), "JPY", "1980", "180",
        "0", "0", "", "", "", "", "渋谷区", "東京都", "150-0002", "JP", "", "false", "", "",
    ]  # fmt: skip
    return "\t".join(cells)


def all_orders_text() -> str:
    """An all-orders report: three orders, Japanese product names, every status."""
    rows = [
        ALL_ORDERS_HEADER,
        _all_orders_row("503-1000001-0000001", "Shipped", "2026-02-11T09:00:00+09:00", "緑茶 ティーバッグ 50袋", 1),
        _all_orders_row("503-1000001-0000002", "Pending", "2026-02-12T09:00:00+09:00", "ほうじ茶 ２００ｇ", 20),
        _all_orders_row("503-1000001-0000003", "Cancelled", "2026-02-16T09:00:00+09:00", "抹茶 缶入り", 20),
    ]  # fmt: skip
    return "\r\n".join(rows) + "\r\n"


def order_report_text() -> str:
    """An order report with buyer data (synthetic buyer)."""
    cells = [
        "503-1000001-0000001", "11111111111111", "2026-02-10T10:00:00+09:00",
        "2026-02-10T10:05:00+09:00", "abc123@marketplace.amazon.co.jp", BUYER_NAME, BUYER_PHONE,
        "SKU-1", "緑茶 ティーバッグ 50袋", "1", "JPY", "1980", "180", "0", "0", "Standard",
        BUYER_NAME, "神宮前1-2-3", "テストビル101", "", "渋谷区", "東京都", "150-0001", "JP",
        BUYER_PHONE,
    ]  # fmt: skip
    return ORDER_REPORT_HEADER + "\n" + "\t".join(cells) + "\n"


def order(order_id: str, status: str, updated: str, payment: str = "CVS") -> dict[str, Any]:
    """A getOrders ``Order`` (no buyer data, as without an RDT)."""
    return {
        "AmazonOrderId": order_id,
        "PurchaseDate": "2026-02-10T01:00:00Z",
        "LastUpdateDate": updated,
        "OrderStatus": status,
        "FulfillmentChannel": "MFN",
        "PaymentMethod": payment,
        "OrderTotal": {"CurrencyCode": "JPY", "Amount": "39600.00"},
        "IsBusinessOrder": False,
        "MarketplaceId": "A1VC38T7YXB528",
    }
