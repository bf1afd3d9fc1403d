"""Small export files for the app tests (built in memory, no fixtures on disk)."""

from __future__ import annotations

ALL_ORDERS_HEADER = (
    "amazon-order-id\tmerchant-order-id\tpurchase-date\tlast-updated-date\torder-status\t"
    "fulfillment-channel\tsales-channel\tproduct-name\tsku\tasin\titem-status\tquantity\t"
    "currency\titem-price\tship-city\tship-state\tship-postal-code\tship-country"
)
ORDER_REPORT_HEADER = (
    "order-id\torder-item-id\tpurchase-date\tpayments-date\tbuyer-email\tbuyer-name\t"
    "buyer-phone-number\tsku\tproduct-name\tquantity-purchased\tcurrency\titem-price\t"
    "recipient-name\tship-address-1\tship-address-2\tship-city\tship-state\t"
    "ship-postal-code\tship-country\tship-phone-number"
)


def all_orders(rows: list[tuple[str, str, str]]) -> bytes:
    """An all-orders report (UTF-8): (order id, status, last update) per row."""
    lines = [ALL_ORDERS_HEADER]
    for order_id, status, updated in rows:
        lines.append(
            f"{order_id}\t\t2026-02-01T10:00:00+09:00\t{updated}\t{status}\tMerchant\t"
            f"Amazon.co.jp\t商品A\tSKU-A\tB000000001\t{status}\t1\tJPY\t1200\t"
            "千代田区\t東京都\t100-0001\tJP"
        )
    return ("\n".join(lines) + "\n").encode("utf-8")


def order_report_cp932(n: int, prefix: str = "503-1111111-") -> bytes:
    """An order report in Shift_JIS with CRLF, as older Seller Central downloads are."""
    lines = [ORDER_REPORT_HEADER]
    for i in range(n):
        lines.append(
            f"{prefix}{i:07d}\titem{i}\t2026-02-0{1 + i % 9}T10:00:00+09:00\t"
            f"2026-02-0{1 + i % 9}T10:05:00+09:00\tx{i}@marketplace.amazon.co.jp\t山田 太郎\t"
            f"03-1234-5678\tSKU-B\t商品B\t1\tJPY\t2400\t山田 太郎\t千代田1-1\t\t千代田区\t東京都\t"
            "100-0001\tJP\t03-1234-5678"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")
