"""Build small, real-layout export files from a few fields per order, for rule tests.

``exports(orders)`` returns ``[("all_orders.txt", bytes), ("orders.txt", bytes)]`` in the
exact Seller Central layouts, so tests go through the real readers and address checks.
"""

from __future__ import annotations

import itertools
import zlib
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta, timezone

from sellerguard.demo.layouts import ALL_ORDERS_COLUMNS, COD_COLUMNS, ORDER_REPORT_COD_COLUMNS
from sellerguard.exports import read_exports
from sellerguard.rules import ScanContext, ScanResult, scan
from sellerguard.settings import Settings

JST = timezone(timedelta(hours=9))
START = datetime(2026, 5, 1, 10, 0, tzinfo=JST)

#: Deliverable addresses (real postal codes): postal code, prefecture, city, line 1.
PLACES: list[tuple[str, str, str, str]] = [
    ("4370207", "静岡県", "周智郡森町", "西俣25-29"),
    ("619-0217", "京都府", "木津川市", "木津町１０－２５"),
    ("938-0801", "富山県", "黒部市", "荻生12-16"),
    ("802-0974", "福岡県", "北九州市小倉南区", "徳力2丁目12番1号"),
    ("3150152", "茨城県", "石岡市", "細谷13-13"),
    ("966-0882", "福島県", "喜多方市", "中寺33番地16"),
    ("929-1202", "石川県", "かほく市", "八野4番地27"),
    ("0592122", "北海道", "沙流郡日高町", "緑町15-25"),
    ("444-2522", "愛知県", "豊田市", "御蔵町5-7"),
    ("198-0084", "東京都", "青梅市", "住江町７番地１３"),
    ("634-0114", "奈良県", "高市郡明日香村", "細川12-15"),
    ("919-0477", "福井県", "坂井市", "春江町田端33-11"),
    ("649-6271", "和歌山県", "和歌山市", "満屋30-20"),
    ("518-0719", "三重県", "名張市", "栄町１７－２７"),
    ("682-0845", "鳥取県", "倉吉市", "耳33-10"),
    ("870-0822", "大分県", "大分市", "大道町2-21-29"),
    ("781-1755", "高知県", "吾川郡仁淀川町", "森山27-1"),
    ("455-0044", "愛知県", "名古屋市港区", "築三町一丁目22"),
    ("939-8114", "富山県", "富山市", "城村23-11"),
    ("507-0058", "岐阜県", "多治見市", "平井町五丁目39-4"),
    ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号"),
]

SURNAMES = [
    "佐藤",
    "鈴木",
    "高橋",
    "田中",
    "伊藤",
    "渡辺",
    "山本",
    "中村",
    "小林",
    "加藤",
    "吉田",
    "山田",
]
GIVEN = ["健太", "美咲", "翔太", "陽子", "大輔", "花子", "直樹", "結衣", "拓也", "舞", "亮", "恵"]

ALL_ORDERS_HEADER = list(ALL_ORDERS_COLUMNS)
ORDER_REPORT_HEADER = list(ORDER_REPORT_COD_COLUMNS)

_ids = itertools.count(1)


def person(i: int) -> str:
    """A plausible full name, distinct for ``i`` < 144 (different surnames for 12 in a row)."""
    return f"{SURNAMES[i % 12]} {GIVEN[(i // 12 + i * 5) % 12]}"


def phone(i: int) -> str:
    """A valid, distinct mobile number for index ``i``."""
    return f"090-{1000 + i:04d}-{5000 + i * 7:04d}"


@dataclass
class Order:
    """One order's facts; everything else gets sensible defaults."""

    place: int = 0
    name: str = "佐藤 健太"
    recipient: str | None = None
    phone: str = "090-1234-5678"
    email: str | None = None
    status: str = "Shipped"
    sku: str = "SG-0001"
    quantity: int = 1
    price: int = 1980
    hours: float = 0.0
    cancel_after_hours: float = 6.0
    paid: bool = True
    payment: str = "Other"
    business: bool = False
    address: str | None = None
    address_2: str = ""
    postal: str | None = None
    state: str | None = None
    city: str | None = None
    order_id: str = field(default_factory=lambda: f"250-{next(_ids):07d}-0000001")

    def but(self, **changes: object) -> Order:
        """A copy with ``changes`` and a new order id."""
        return replace(self, order_id=f"250-{next(_ids):07d}-0000001", **changes)  # type: ignore[arg-type]


def _fmt(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def exports(orders: list[Order], cod_columns: bool = True) -> list[tuple[str, bytes]]:
    """The all-orders report and the order report holding ``orders``."""
    all_rows = ["\t".join(ALL_ORDERS_HEADER)]
    header = (
        ORDER_REPORT_HEADER
        if cod_columns
        else [h for h in ORDER_REPORT_HEADER if h not in COD_COLUMNS]
    )
    report_rows = ["\t".join(header)]
    for o in orders:
        postal, state, city, line1 = PLACES[o.place % len(PLACES)]
        postal = o.postal if o.postal is not None else postal
        state = o.state if o.state is not None else state
        city = o.city if o.city is not None else city
        line1 = o.address if o.address is not None else line1
        bought = START + timedelta(hours=o.hours)
        updated = bought + timedelta(hours=o.cancel_after_hours if o.status == "Cancelled" else 20)
        all_values = {
            "amazon-order-id": o.order_id,
            "purchase-date": _fmt(bought),
            "last-updated-date": _fmt(updated),
            "order-status": o.status,
            "fulfillment-channel": "Merchant",
            "sales-channel": "Amazon.co.jp",
            "ship-service-level": "Standard",
            "product-name": f"商品 {o.sku}",
            "sku": o.sku,
            "asin": "B000000001",
            "item-status": o.status,
            "quantity": str(o.quantity),
            "currency": "JPY",
            "item-price": str(o.price * o.quantity),
            "ship-city": city,
            "ship-state": state,
            "ship-postal-code": postal,
            "ship-country": "JP",
            "is-business-order": "true" if o.business else "false",
        }
        all_rows.append("\t".join(all_values.get(h, "") for h in ALL_ORDERS_HEADER))
        if not o.paid:
            continue
        values = {
            "order-id": o.order_id,
            "order-item-id": f"{zlib.crc32(o.order_id.encode()):014d}",
            "purchase-date": _fmt(bought),
            "payments-date": _fmt(bought + timedelta(minutes=30)),
            "buyer-email": o.email
            or f"{zlib.crc32(o.name.encode()):012d}@marketplace.amazon.co.jp",
            "buyer-name": o.name,
            "buyer-phone-number": o.phone,
            "sku": o.sku,
            "product-name": f"商品 {o.sku}",
            "quantity-purchased": str(o.quantity),
            "currency": "JPY",
            "item-price": str(o.price * o.quantity),
            "ship-service-level": "Standard",
            "recipient-name": o.recipient or o.name,
            "ship-address-1": line1,
            "ship-address-2": o.address_2,
            "ship-city": city,
            "ship-state": state,
            "ship-postal-code": postal,
            "ship-country": "JP",
            "ship-phone-number": o.phone,
            "sales-channel": "Amazon.co.jp",
            "is-business-order": "true" if o.business else "false",
            "payment-method": o.payment,
            "cod-collectible-amount": str(o.price * o.quantity) if o.payment == "COD" else "0",
            "already-paid": "0",
            "payment-method-fee": "330" if o.payment == "COD" else "0",
            "points-granted": "0",
            "is-prime": "false",
        }
        report_rows.append("\t".join(values.get(h, "") for h in header))
    return [
        ("all_orders.txt", ("\n".join(all_rows) + "\n").encode("utf-8")),
        ("orders.txt", ("\n".join(report_rows) + "\n").encode("utf-8")),
    ]


def background(n: int = 40, sku: str = "SG-0001") -> list[Order]:
    """Ordinary, unrelated, paid and shipped orders that give SKUs and places their norms."""
    return [
        Order(place=i, name=person(i + 30), phone=phone(i + 100), sku=sku, hours=i * 7.0)
        for i in range(n)
    ]


def repeat_canceller(count: int = 5) -> list[Order]:
    """One buyer (same name, phone, account, address) cancelling ``count`` orders, days apart."""
    return [
        Order(
            place=12,
            name="清水 恵",
            phone="090-5274-8926",
            status="Cancelled",
            sku=f"SG-00{10 + i}",
            hours=i * 100.0,
            email="c1@marketplace.amazon.co.jp",
        )
        for i in range(count)
    ]


def run(
    orders: list[Order], settings: Settings | None = None, context: ScanContext | None = None
) -> ScanResult:
    """Scan ``orders`` through the real readers."""
    return scan(read_exports(exports(orders)), settings or Settings(), context)


def level_of(result: ScanResult, order: Order) -> str:
    """The risk level the scan gave ``order``."""
    row = result.orders.loc[result.orders["order_id"] == order.order_id]
    assert len(row) == 1, order.order_id
    return str(row["risk_level"].iloc[0])


def codes_of(result: ScanResult, order: Order) -> set[str]:
    """The rule codes that fired on ``order``."""
    row = result.orders.loc[result.orders["order_id"] == order.order_id]
    value = str(row["reason_codes"].iloc[0])
    return set(value.split("|")) if value else set()
