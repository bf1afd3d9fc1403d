"""Excel workbooks saved from a report are read from their first sheet."""

from __future__ import annotations

import datetime as dt
import io
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from sellerguard.errors import UnreadableExport
from sellerguard.exports import detect_export, read_export, read_exports

TOKYO = "Asia/Tokyo"
HEADER = ["order-id", "order-item-id", "purchase-date", "buyer-name", "sku", "quantity-purchased",
          "item-price", "ship-postal-code", "ship-address-1", "ship-phone-number"]  # fmt: skip


def workbook(rows: list[list[object]], blank_rows_at: tuple[int, ...] = ()) -> bytes:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.append(HEADER)
    for index, row in enumerate(rows):
        if index in blank_rows_at:
            sheet.append([])
        sheet.append(row)
    other = book.create_sheet("メモ")
    other.append(["not", "an", "export"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


ROWS: list[list[object]] = [
    ["250-1-1", "11", dt.datetime(2026, 5, 1, 10, 0), "山田 太郎", "SKU-A", 2, 1980.0, "060-0001",
     "北一条西2-1\nサンプルビル", "090-1234-5678"],
    ["250-1-2", "12", "2026-05-02T09:00:00+09:00", "佐藤", "SKU-B", 1, 980.5, "100-0001", "丸の内1",
     "03-0000-0000"],
]  # fmt: skip


def test_first_sheet_of_a_workbook_is_read() -> None:
    data = workbook(ROWS, blank_rows_at=(1,))
    read = read_export(("orders.xlsx", data))
    assert (read.kind, read.encoding) == ("order_report", "xlsx")
    assert (read.rows_in, read.rows_read, read.problems) == (2, 2, [])
    items = read.items
    assert items["source_line"].tolist() == [2, 4]
    assert items["purchase_date"].tolist() == [
        pd.Timestamp("2026-05-01 10:00", tz=TOKYO),
        pd.Timestamp("2026-05-02 09:00", tz=TOKYO),
    ]
    assert items["quantity"].tolist() == [2, 1]
    assert items["item_price"].tolist() == [1980, 980.5]
    assert items["ship_postal_code"].tolist() == ["060-0001", "100-0001"]
    assert items["ship_address_1"].iloc[0] == "北一条西2-1 サンプルビル"
    assert items["order_item_id"].tolist() == ["11", "12"]


def test_workbook_path_detect_and_merge(tmp_path: Path) -> None:
    path = tmp_path / "orders.xlsx"
    path.write_bytes(workbook(ROWS))
    fmt = detect_export(path)
    assert (fmt.kind, fmt.encoding) == ("order_report", "xlsx")
    merged = read_exports([path])
    assert merged.orders["order_id"].tolist() == ["250-1-1", "250-1-2"]
    assert merged.orders["sources"].tolist() == ["orders.xlsx:2", "orders.xlsx:3"]


def test_workbook_without_an_order_id_is_refused() -> None:
    book = openpyxl.Workbook()
    book.active.append(["sku", "price"])
    book.active.append(["A", 100])
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(UnreadableExport) as caught:
        read_export(("inventory.xlsx", buffer.getvalue()))
    assert caught.value.reason == "no_order_id"
    assert caught.value.params["file"] == "inventory.xlsx"
