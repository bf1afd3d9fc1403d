"""Importing real export files into the store, and reading them back as an order set."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sellerguard.errors import UnreadableExport
from sellerguard.exports import ITEM_COLUMNS as READER_COLUMNS
from sellerguard.exports import read_exports
from sellerguard.store import Store
from sellerguard.store.rows import ITEM_COLUMNS as STORE_COLUMNS

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


def order_report_cp932(n: int) -> bytes:
    """An order report in Shift_JIS with CRLF, as older Seller Central downloads are."""
    lines = [ORDER_REPORT_HEADER]
    for i in range(n):
        lines.append(
            f"503-1111111-{i:07d}\titem{i}\t2026-02-0{1 + i % 9}T10:00:00+09:00\t"
            f"2026-02-0{1 + i % 9}T10:05:00+09:00\tx{i}@marketplace.amazon.co.jp\t山田 太郎\t"
            f"03-1234-5678\tSKU-B\t商品B\t1\tJPY\t2400\t山田 太郎\t千代田1-1\t\t千代田区\t東京都\t"
            "100-0001\tJP\t03-1234-5678"
        )
    return ("\r\n".join(lines) + "\r\n").encode("cp932")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "home")


def test_store_keeps_every_column_the_readers_produce() -> None:
    assert set(READER_COLUMNS) == set(STORE_COLUMNS)


def test_import_records_each_file_and_is_idempotent(store: Store, tmp_path: Path) -> None:
    path = tmp_path / "orders.txt"
    path.write_bytes(order_report_cp932(5))
    first = store.import_exports([path])
    [record] = first.files
    assert record.kind == "order_report"
    assert record.encoding.lower().replace("_", "-") in {"cp932", "shift-jis", "ms932"}
    assert (record.rows_in, record.rows_read, record.new_orders) == (5, 5, 5)
    assert not record.duplicate
    again = store.import_exports([path, ("copy.txt", path.read_bytes())])
    assert [f.duplicate for f in again.files] == [True, True]
    assert sum(f.new_orders for f in again.files) == 0
    assert store.order_count() == 5
    files = store.imported_files()
    assert list(files["name"]) == ["orders.txt"]
    assert files.loc[0, "sha256"] == record.sha256
    items = store.items()
    assert set(items["buyer_name"]) == {"山田 太郎"}


def test_later_download_updates_status_without_duplicates(store: Store) -> None:
    store.import_exports(
        [("a.txt", all_orders([("249-0000000-0000001", "Pending", "2026-02-01T10:00:00+09:00")]))]
    )
    summary = store.import_exports(
        [
            (
                "b.txt",
                all_orders(
                    [
                        ("249-0000000-0000001", "Cancelled", "2026-02-07T10:00:00+09:00"),
                        ("249-0000000-0000002", "Shipped", "2026-02-03T10:00:00+09:00"),
                    ]
                ),
            )
        ]
    )
    assert summary.files[0].new_orders == 1
    orders = store.order_set().orders.set_index("order_id")
    assert len(orders) == 2
    assert orders.loc["249-0000000-0000001", "status"] == "Cancelled"


def test_stored_order_set_matches_reading_the_files(store: Store) -> None:
    sources = [
        ("orders.txt", order_report_cp932(4)),
        ("all.txt", all_orders([("503-1111111-0000001", "Shipped", "2026-02-03T10:00:00+09:00")])),
    ]
    store.import_exports(sources)
    direct = read_exports(sources).orders.sort_values("order_id", ignore_index=True)
    stored = store.order_set().orders.sort_values("order_id", ignore_index=True)
    columns = ["order_id", "status", "quantity", "order_value", "sku", "ship_postal_code"]
    pd.testing.assert_frame_equal(stored[columns], direct[columns])


def test_unreadable_file_imports_nothing(store: Store) -> None:
    with pytest.raises(UnreadableExport):
        store.import_exports(
            [("good.txt", order_report_cp932(2)), ("bad.txt", b"\x00\x01\x02 not an export")]
        )
    assert store.order_count() == 0
    assert store.imported_files().empty


def test_progress_reaches_one(store: Store) -> None:
    seen: list[float] = []
    store.import_exports([("orders.txt", order_report_cp932(3))], progress=seen.append)
    assert seen[-1] == 1.0
    assert seen == sorted(seen)
