"""Canonical columns and the export layouts SellerGuard reads, declared as data.

Readers rename every known header (English Seller Central headers, Japanese aliases written
by other tools) to the snake_case names of ``ITEM_COLUMNS`` and fill the ones a layout lacks
with NA, so that every ``OrderSet.items`` table has the same columns and dtypes whatever the
source (docs/ARCHITECTURE.md §1).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Final, Literal

Kind = Literal["all_orders", "order_report", "pending", "returns", "orders_api"]

ALL_ORDERS: Final = "all_orders"
ORDER_REPORT: Final = "order_report"
PENDING: Final = "pending"
RETURNS: Final = "returns"
ORDERS_API: Final = "orders_api"
KINDS: Final[tuple[str, ...]] = (ALL_ORDERS, ORDER_REPORT, PENDING, RETURNS, ORDERS_API)

ValueType = Literal["str", "datetime", "int", "float", "bool", "payment"]

TIMEZONE: Final = "Asia/Tokyo"

#: Item-level canonical columns and the type of value each holds. ``payment`` is text
#: normalised to COD / CVS / Other. Columns after ``refund_amount`` are filled by the reader.
ITEM_COLUMNS: Final[dict[str, ValueType]] = {
    "order_id": "str",
    "order_item_id": "str",
    "merchant_order_id": "str",
    "purchase_date": "datetime",
    "last_updated_date": "datetime",
    "payments_date": "datetime",
    "order_status": "str",
    "item_status": "str",
    "fulfillment_channel": "str",
    "sales_channel": "str",
    "sku": "str",
    "asin": "str",
    "product_name": "str",
    "quantity": "int",
    "quantity_shipped": "int",
    "quantity_to_ship": "int",
    "currency": "str",
    "item_price": "float",
    "item_tax": "float",
    "shipping_price": "float",
    "shipping_tax": "float",
    "order_total": "float",
    "buyer_email": "str",
    "buyer_name": "str",
    "buyer_phone": "str",
    "recipient_name": "str",
    "ship_address_1": "str",
    "ship_address_2": "str",
    "ship_address_3": "str",
    "ship_city": "str",
    "ship_state": "str",
    "ship_postal_code": "str",
    "ship_country": "str",
    "ship_phone": "str",
    "is_business_order": "bool",
    "payment_method": "payment",
    "cod_collectible_amount": "float",
    "already_paid": "float",
    "payment_method_fee": "float",
    "return_date": "datetime",
    "return_reason": "str",
    "return_status": "str",
    "return_quantity": "int",
    "rma_id": "str",
    "refund_amount": "float",
    "source_kind": "str",
    "source_file": "str",
    "source_line": "int",
}

#: Columns the reader adds itself (never read from a file).
PROVENANCE_COLUMNS: Final[tuple[str, ...]] = ("source_kind", "source_file", "source_line")

#: Columns that hold identifiers or codes: surrounding spaces and Excel's ``="..."`` wrapper
#: are removed so that the same order read from two files has the same key.
KEY_COLUMNS: Final[frozenset[str]] = frozenset(
    {
        "order_id",
        "order_item_id",
        "merchant_order_id",
        "sku",
        "asin",
        "ship_postal_code",
        "buyer_phone",
        "ship_phone",
        "order_status",
        "item_status",
        "fulfillment_channel",
        "currency",
        "ship_country",
        "rma_id",
    }
)

#: Internal name for the pending report's ``payment-type``; becomes ``payment_method``.
PAYMENT_TYPE: Final = "payment_type"

_ALIASES: Final[dict[str, tuple[str, ...]]] = {
    "order_id": (
        "受注番号",
        "ご注文番号",
        "注文コード",
        "amazon-order-id",
        "order-id",
        "amazon-order-number",
        "注文番号",
        "注文id",
        "amazon注文番号",
        "オーダー番号",
        "オーダーid",
        "注文no",
    ),
    "order_item_id": (
        "order-item-id",
        "注文商品id",
        "注文商品番号",
        "注文アイテムid",
        "商品注文番号",
    ),
    "merchant_order_id": ("merchant-order-id", "出品者注文番号", "出品者注文id"),
    "purchase_date": (
        "受注日",
        "受注日時",
        "ご注文日",
        "purchase-date",
        "order-date",
        "購入日",
        "購入日時",
        "注文日",
        "注文日時",
    ),
    "last_updated_date": (
        "last-updated-date",
        "last-update-date",
        "最終更新日",
        "最終更新日時",
        "更新日",
        "更新日時",
    ),
    "payments_date": (
        "payments-date",
        "payment-date",
        "支払日",
        "支払い日",
        "支払日時",
        "支払い日時",
        "決済日",
    ),
    "order_status": ("order-status", "注文ステータス", "注文状況"),
    "item_status": ("item-status", "商品ステータス", "アイテムステータス"),
    "fulfillment_channel": (
        "fulfillment-channel",
        "フルフィルメントチャネル",
        "出荷チャネル",
        "出荷経路",
    ),
    "sales_channel": ("sales-channel", "販売チャネル"),
    "sku": (
        "sku",
        "merchant-sku",
        "seller-sku",
        "出品者sku",
        "sku番号",
        "商品コード",
        "商品管理番号",
    ),
    "asin": ("asin", "asin番号"),
    "product_name": ("product-name", "item-name", "title", "商品名", "商品名称"),
    "quantity": (
        "quantity",
        "quantity-purchased",
        "quantity-ordered",
        "数量",
        "購入数",
        "購入数量",
        "注文数",
        "注文数量",
        "個数",
    ),
    "quantity_shipped": ("quantity-shipped", "出荷数", "出荷済み数"),
    "quantity_to_ship": ("quantity-to-ship", "未出荷数", "出荷待ち数"),
    "currency": ("currency", "order-total-currency", "通貨"),
    "item_price": ("item-price", "商品価格", "価格", "商品代金", "販売価格"),
    "item_tax": ("item-tax", "商品税", "商品の税"),
    "shipping_price": ("shipping-price", "配送料", "送料"),
    "shipping_tax": ("shipping-tax", "配送料の税", "送料の税"),
    "order_total": ("order-total-amount", "order-total", "注文合計", "注文合計金額", "合計金額"),
    "buyer_email": (
        "buyer-email",
        "購入者メールアドレス",
        "購入者eメール",
        "購入者メール",
        "メールアドレス",
    ),
    "buyer_name": ("buyer-name", "購入者名", "購入者氏名", "注文者名", "注文者氏名"),
    "buyer_phone": ("buyer-phone-number", "buyer-phone", "購入者電話番号", "注文者電話番号"),
    "recipient_name": (
        "送付先氏名",
        "送付先名",
        "届け先氏名",
        "お届け先",
        "氏名",
        "お名前",
        "recipient-name",
        "お届け先氏名",
        "お届け先名",
        "お届け先の氏名",
        "受取人名",
        "受取人氏名",
        "配送先氏名",
        "配送先名",
        "出荷先氏名",
        "宛名",
    ),
    "ship_address_1": (
        "送付先住所1",
        "お届け先住所",
        "配送先住所",
        "送付先住所",
        "住所",
        "ship-address-1",
        "住所1",
        "お届け先住所1",
        "配送先住所1",
        "出荷先住所1",
    ),
    "ship_address_2": (
        "送付先住所2",
        "ship-address-2",
        "住所2",
        "お届け先住所2",
        "配送先住所2",
        "出荷先住所2",
    ),
    "ship_address_3": (
        "送付先住所3",
        "ship-address-3",
        "住所3",
        "お届け先住所3",
        "配送先住所3",
        "出荷先住所3",
    ),
    "ship_city": ("ship-city", "市区町村", "お届け先市区町村", "配送先市区町村", "出荷先市区町村"),
    "ship_state": (
        "ship-state",
        "都道府県",
        "お届け先都道府県",
        "配送先都道府県",
        "出荷先都道府県",
    ),
    "ship_postal_code": (
        "送付先郵便番号",
        "届け先郵便番号",
        "〒",
        "ship-postal-code",
        "郵便番号",
        "出荷先郵便番号",
        "お届け先郵便番号",
        "配送先郵便番号",
    ),
    "ship_country": ("ship-country", "国", "国コード", "お届け先国"),
    "ship_phone": (
        "送付先電話番号",
        "届け先電話番号",
        "tel",
        "電話",
        "ship-phone-number",
        "ship-phone",
        "電話番号",
        "お届け先電話番号",
        "配送先電話番号",
        "出荷先電話番号",
    ),
    "is_business_order": ("is-business-order", "法人注文", "ビジネス注文", "法人購入"),
    "payment_method": ("payment-method", "支払い方法", "支払方法", "決済方法", "お支払い方法"),
    PAYMENT_TYPE: ("payment-type", "支払い種別", "支払種別"),
    "cod_collectible_amount": ("cod-collectible-amount", "代引き金額", "代金引換額", "代引金額"),
    "already_paid": ("already-paid", "支払済み額", "支払済額"),
    "payment_method_fee": ("payment-method-fee", "代引き手数料", "代引手数料", "決済手数料"),
    "return_date": (
        "return-request-date",
        "return-date",
        "返品リクエスト日",
        "返品日",
        "返品依頼日",
    ),
    "return_reason": ("return-reason", "reason", "返品理由"),
    "return_status": ("return-request-status", "return-status", "返品ステータス"),
    "return_quantity": ("return-quantity", "返品数", "返品数量"),
    "rma_id": ("amazon-rma-id", "rma-id", "返品承認番号"),
    "refund_amount": ("refunded-amount", "refund-amount", "返金額", "返金金額"),
}


def normalise_header(header: str) -> str:
    """Return the comparable form of a header: NFKC, lower case, words joined by ``-``.

    Words are separated by spaces, ``_``, ``-`` or a change of case, so ``order_id``,
    ``Order ID``, ``AmazonOrderId`` (the Orders API's names, which other tools export) and
    ``amazon-order-id`` compare equal to their Seller Central form.

    Parameters
    ----------
    header
        A header cell as written in the file (may carry a BOM, quotes or padding).
    """
    text = unicodedata.normalize("NFKC", header).strip().strip('"').strip().lstrip("\ufeff")
    text = _CASE_CHANGE.sub(" ", text).lower()
    return "-".join(text.replace("_", " ").split())


_CASE_CHANGE = re.compile(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])")


#: Normalised header -> canonical column.
HEADER_ALIASES: Final[dict[str, str]] = {
    normalise_header(alias): column for column, aliases in _ALIASES.items() for alias in aliases
}

#: Headers of reports that are not order exports (settlement, inventory, listings ...).
FOREIGN_HEADERS: Final[frozenset[str]] = frozenset(
    {
        "settlement-id",
        "settlement-start-date",
        "transaction-type",
        "amount-type",
        "amount-description",
        "listing-id",
        "open-date",
        "afn-fulfillable-quantity",
        "afn-warehouse-quantity",
        "deposit-date",
    }
)


@dataclass(frozen=True)
class Layout:
    """One export layout: how its headers identify it.

    Attributes
    ----------
    kind
        The ``source_kind`` of rows read from it.
    any_of
        The layout matches when at least one of these canonical columns is present.
    description
        Where the file comes from, for documentation and messages.
    """

    kind: str
    any_of: frozenset[str]
    description: str


#: Tried in order; the first layout whose markers are present wins.
LAYOUTS: Final[tuple[Layout, ...]] = (
    Layout(
        ORDERS_API,
        frozenset({"order_total"}),
        "SellerGuard's own Orders API pull (getOrders): one row per order, with PaymentMethod",
    ),
    Layout(
        RETURNS,
        frozenset({"return_date", "return_status", "return_quantity", "rma_id", "refund_amount"}),
        "Seller Central returns report",
    ),
    Layout(
        ORDER_REPORT,
        frozenset(
            {
                "buyer_email",
                "buyer_name",
                "buyer_phone",
                "recipient_name",
                "ship_address_1",
                "ship_phone",
                "quantity_to_ship",
            }
        ),
        "order report (注文レポート), with or without the COD columns; unshipped/actionable too",
    ),
    Layout(
        ALL_ORDERS,
        frozenset({"order_status", "item_status"}),
        "all-orders report (GET_FLAT_FILE_ALL_ORDERS_DATA_...)",
    ),
    Layout(
        PENDING,
        frozenset({PAYMENT_TYPE, "order_item_id"}),
        "pending-orders report (Japan): order-id, order-item-id, ..., payment-type",
    ),
)

#: Precedence of sources when merging text values (lower wins).
SOURCE_PRECEDENCE: Final[dict[str, int]] = {
    ORDER_REPORT: 0,
    ALL_ORDERS: 1,
    ORDERS_API: 2,
    PENDING: 3,
    RETURNS: 4,
}

#: Raw payment values (NFKC, lower case) -> canonical payment method.
PAYMENT_VALUES: Final[dict[str, str]] = {
    "cod": "COD",
    "cashondelivery": "COD",
    "cash-on-delivery": "COD",
    "cash on delivery": "COD",
    "代金引換": "COD",
    "代金引き換え": "COD",
    "代引き": "COD",
    "代引": "COD",
    "cvs": "CVS",
    "convenience store": "CVS",
    "conveniencestore": "CVS",
    "コンビニ": "CVS",
    "コンビニ決済": "CVS",
    "コンビニ払い": "CVS",
    "コンビニ・atm・ネットバンキング払い": "CVS",
    "コンビニ・atm・ネットバンキング・電子マネー払い": "CVS",
    "other": "Other",
}

TRUE_VALUES: Final[frozenset[str]] = frozenset({"true", "t", "yes", "y", "1", "はい", "○"})
FALSE_VALUES: Final[frozenset[str]] = frozenset({"false", "f", "no", "n", "0", "いいえ", "×"})


def canonical_columns(headers: Iterable[str]) -> dict[int, str]:
    """Map header positions to canonical columns; unknown and repeated headers are dropped.

    Parameters
    ----------
    headers
        The header cells in file order.

    Returns
    -------
    dict
        Position -> canonical column, for the first occurrence of each canonical column.
    """
    found: dict[int, str] = {}
    seen: set[str] = set()
    for position, header in enumerate(headers):
        column = HEADER_ALIASES.get(normalise_header(header))
        if column is not None and column not in seen:
            found[position] = column
            seen.add(column)
    return found


def detect_kind(columns: Iterable[str]) -> str | None:
    """Return the kind of export whose markers the canonical ``columns`` carry, or None."""
    present = set(columns)
    for layout in LAYOUTS:
        if present & layout.any_of:
            return layout.kind
    return None
