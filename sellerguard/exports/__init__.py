"""Read Seller Central order exports (and SellerGuard's own API pulls) into one order set.

The modules follow the data: ``columns`` declares the canonical columns and each layout,
``detect`` recognises a file (encoding, delimiter, quoting, kind), ``spreadsheet`` turns an
Excel workbook into text, ``read`` parses one file and reports its bad rows, ``values``
converts text to dates, numbers and codes, ``merge`` joins files into orders.

>>> from pathlib import Path
>>> from sellerguard.exports import read_exports
>>> order_set = read_exports([Path("all_orders.txt"), Path("orders.txt")])  # doctest: +SKIP
>>> order_set.orders  # one row per order id                               # doctest: +SKIP
"""

from sellerguard.exports.columns import (
    ALL_ORDERS,
    ITEM_COLUMNS,
    KINDS,
    LAYOUTS,
    ORDER_REPORT,
    ORDERS_API,
    PENDING,
    RETURNS,
    Layout,
)
from sellerguard.exports.detect import ExportFormat, Source, detect_export
from sellerguard.exports.merge import (
    ORDER_COLUMNS,
    ORDER_EXTRA_COLUMNS,
    OrderSet,
    conform_items,
    empty_items,
    merge_orders,
    read_exports,
)
from sellerguard.exports.read import ExportRead, RowProblem, read_export

__all__ = [
    "ALL_ORDERS",
    "ITEM_COLUMNS",
    "KINDS",
    "LAYOUTS",
    "ORDERS_API",
    "ORDER_COLUMNS",
    "ORDER_EXTRA_COLUMNS",
    "ORDER_REPORT",
    "PENDING",
    "RETURNS",
    "ExportFormat",
    "ExportRead",
    "Layout",
    "OrderSet",
    "RowProblem",
    "Source",
    "conform_items",
    "detect_export",
    "empty_items",
    "merge_orders",
    "read_export",
    "read_exports",
]
