"""Merging several exports into one order table, with provenance."""

from __future__ import annotations

import pandas as pd
import pytest
from test_exports_factory import (
    ALL_ORDERS_HEADER,
    COD_COLUMNS,
    ORDER_REPORT_HEADER,
    ORDER_REPORT_TAIL,
    ORDERS_API_HEADER,
    PENDING_HEADER,
    RETURNS_HEADER,
    all_orders_row,
    export_bytes,
    order_report_row,
)

from sellerguard.errors import UnreadableExport
from sellerguard.exports import ITEM_COLUMNS, ORDER_EXTRA_COLUMNS, OrderSet, read_exports

TOKYO = "Asia/Tokyo"
COD_HEADER = ORDER_REPORT_HEADER + COD_COLUMNS + ORDER_REPORT_TAIL


def all_orders_file() -> tuple[str, bytes]:
    rows = [
        all_orders_row("A-1", sku="SKU-A", quantity="1", item_price="1000"),
        all_orders_row("A-1", sku="SKU-B", quantity="4", item_price="800", asin="B02"),
        all_orders_row("A-2", order_status="Cancelled", quantity="9", sku="SKU-C"),
        all_orders_row("A-3", order_status="Pending", ship_city=""),
    ]
    return ("all.txt", export_bytes(ALL_ORDERS_HEADER, rows))


def order_report_file() -> tuple[str, bytes]:
    rows = [
        order_report_row("A-1", "11", sku="SKU-A", quantity_purchased="1", item_price="1000",
                         payment_method="Other"),
        order_report_row("A-1", "12", sku="SKU-B", quantity_purchased="4", item_price="800",
                         payment_method="Other", buyer_name=""),
        order_report_row("A-4", "41", buyer_name="佐藤 花子", payment_method="COD"),
    ]  # fmt: skip
    return ("orders.txt", export_bytes(COD_HEADER, rows, "cp932", newline="\r\n"))


def by_id(order_set: OrderSet) -> pd.DataFrame:
    return order_set.orders.set_index("order_id")


def test_all_orders_and_order_report_merge_into_one_row_per_order() -> None:
    merged = read_exports([all_orders_file(), order_report_file()])
    orders = by_id(merged)
    assert list(orders.index) == ["A-1", "A-2", "A-3", "A-4"]
    assert list(merged.orders.columns) == [
        c for c in ITEM_COLUMNS if c not in ("source_kind", "source_file", "source_line")
    ] + list(ORDER_EXTRA_COLUMNS)
    assert isinstance(merged.orders.index, pd.RangeIndex)
    a1 = orders.loc["A-1"]
    assert a1["quantity"] == 5
    assert a1["order_value"] == 1800
    assert a1["buyer_name"] == "山田 太郎"
    assert a1["ship_city"] == "札幌市中央区"
    assert a1["status"] == "Shipped"
    assert a1["order_status"] == "Shipped"
    assert a1["payment_method"] == "Other"
    assert a1["sku"] == "SKU-B"
    assert a1["asin"] == "B02"
    assert a1["skus"] == "SKU-A|SKU-B"
    assert bool(a1["in_order_report"]) and not bool(a1["in_pending_report"])
    assert a1["sources"] == "orders.txt:2;orders.txt:3;all.txt:2;all.txt:3"
    assert orders.loc["A-2", "status"] == "Cancelled"
    assert orders.loc["A-2", "quantity"] == 9
    assert not bool(orders.loc["A-2", "in_order_report"])
    assert orders.loc["A-3", "status"] == "Pending"
    assert orders.loc["A-4", "status"] == "Unshipped"
    assert orders.loc["A-4", "payment_method"] == "COD"
    assert orders.loc["A-4", "buyer_name"] == "佐藤 花子"
    assert len(merged.items) == 7
    assert [r.name for r in merged.reads] == ["all.txt", "orders.txt"]


def test_dtypes_of_the_order_table() -> None:
    orders = read_exports([all_orders_file(), order_report_file()]).orders
    assert pd.api.types.is_string_dtype(orders["order_id"])
    assert pd.api.types.is_string_dtype(orders["sources"])
    assert str(orders["quantity"].dtype) == "Int64"
    assert str(orders["order_value"].dtype) == "Float64"
    assert str(orders["in_order_report"].dtype) == "boolean"
    assert str(orders["purchase_date"].dtype) == f"datetime64[ns, {TOKYO}]"


def test_the_same_file_twice_does_not_double_quantities() -> None:
    once = read_exports([all_orders_file(), order_report_file()])
    twice = read_exports(
        [all_orders_file(), order_report_file(), order_report_file(), all_orders_file()]
    )
    assert len(twice.items) == len(once.items)
    pd.testing.assert_frame_equal(twice.orders, once.orders)
    assert len(twice.reads) == 4


def test_a_later_download_replaces_an_earlier_row_of_the_same_item() -> None:
    early = export_bytes(ALL_ORDERS_HEADER, [all_orders_row("A-9", order_status="Pending",
                         last_updated_date="2026-05-01T10:00:00+09:00")])  # fmt: skip
    late = export_bytes(ALL_ORDERS_HEADER, [all_orders_row("A-9", order_status="Cancelled",
                        last_updated_date="2026-05-07T10:00:00+09:00")])  # fmt: skip
    for files in (
        [("early.txt", early), ("late.txt", late)],
        [("late.txt", late), ("early.txt", early)],
    ):
        merged = read_exports(files)
        assert len(merged.items) == 1
        order = merged.orders.iloc[0]
        assert order["status"] == "Cancelled"
        assert order["quantity"] == 1


def test_pending_report_orders_and_payment() -> None:
    pending = export_bytes(PENDING_HEADER, [["P-1", "91", "2026-05-01T10:00:00+09:00", "SKU-Z",
                           "商品Z", "30", "コンビニ"]])  # fmt: skip
    merged = read_exports([("pending.txt", pending), all_orders_file()])
    order = by_id(merged).loc["P-1"]
    assert order["status"] == "Pending"
    assert bool(order["in_pending_report"])
    assert order["payment_method"] == "CVS"
    assert order["quantity"] == 30
    assert order["sources"] == "pending.txt:2"


def test_orders_api_payment_method_wins_and_status_is_the_latest() -> None:
    api = export_bytes(ORDERS_API_HEADER, [["A-1", "2026-05-01T01:00:00Z", "2026-05-09T01:00:00Z",
                       "Canceled", "MFN", "CVS", "1800", "JPY", "false"]])  # fmt: skip
    merged = read_exports([all_orders_file(), order_report_file(), ("api.tsv", api)])
    order = by_id(merged).loc["A-1"]
    assert order["payment_method"] == "CVS"
    assert order["status"] == "Canceled"
    assert order["quantity"] == 5
    assert order["sources"].endswith("api.tsv:2")


def test_orders_api_only_order_takes_value_from_order_total() -> None:
    api = export_bytes(ORDERS_API_HEADER, [["X-1", "2026-05-01T01:00:00Z", "2026-05-01T02:00:00Z",
                       "Pending", "MFN", "COD", "4500", "JPY", "false"]])  # fmt: skip
    order = read_exports([("api.tsv", api)]).orders.iloc[0]
    assert order["order_value"] == 4500
    assert order["status"] == "Pending"
    assert pd.isna(order["quantity"])


def test_returns_flag_orders_without_changing_their_quantity() -> None:
    returns = export_bytes(RETURNS_HEADER, [["A-2", "2026-05-01", "2026-05-09", "Approved",
                           "RMA1", "SKU-C", "B01", "商品C", "1", "DEFECTIVE", "980"]])  # fmt: skip
    merged = read_exports([all_orders_file(), ("returns.txt", returns)])
    orders = by_id(merged)
    assert bool(orders.loc["A-2", "returned"])
    assert orders.loc["A-2", "quantity"] == 9
    assert orders.loc["A-2", "return_reason"] == "DEFECTIVE"
    assert not bool(orders.loc["A-1", "returned"])


def test_from_items_and_concat_rebuild_the_same_orders() -> None:
    merged = read_exports([all_orders_file(), order_report_file()])
    rebuilt = OrderSet.from_items(merged.items.sample(frac=1, random_state=3))
    pd.testing.assert_frame_equal(by_id(rebuilt).sort_index(), by_id(merged).sort_index())
    parts = OrderSet.concat(
        [read_exports([all_orders_file()]), read_exports([order_report_file()])]
    )
    pd.testing.assert_frame_equal(parts.orders, merged.orders)
    assert len(parts.reads) == 2


def test_from_items_accepts_stored_dtypes() -> None:
    merged = read_exports([all_orders_file(), order_report_file()])
    stored = merged.items.astype({"quantity": "float64", "source_line": "int64"})
    stored = stored.drop(columns=["rma_id"])
    rebuilt = OrderSet.from_items(stored)
    pd.testing.assert_frame_equal(rebuilt.orders, merged.orders)


@pytest.mark.parametrize("files", [[], "header_only"])
def test_no_rows_gives_empty_tables_with_every_column(files: object) -> None:
    sources = [] if files == [] else [("h.txt", export_bytes(ALL_ORDERS_HEADER, []))]
    merged = read_exports(sources)
    assert merged.items.empty and merged.orders.empty
    assert list(merged.items.columns) == list(ITEM_COLUMNS)
    assert "sources" in merged.orders.columns
    assert str(merged.orders["quantity"].dtype) == "Int64"


def test_two_equal_lines_of_one_file_stay_two_items_even_when_read_twice() -> None:
    rows = [all_orders_row("D-1", quantity="1"), all_orders_row("D-1", quantity="1")]
    data = export_bytes(ALL_ORDERS_HEADER, rows)
    once = read_exports([("a.txt", data)])
    assert once.orders.iloc[0]["quantity"] == 2
    twice = read_exports([("a.txt", data), ("a.txt", data)])
    assert len(twice.items) == 2
    assert twice.orders.iloc[0]["quantity"] == 2
    stored = OrderSet.from_items(twice.items)
    assert stored.orders.iloc[0]["quantity"] == 2


def test_from_items_accepts_naive_and_text_dates_and_object_text() -> None:
    merged = read_exports([all_orders_file(), order_report_file()])
    stored = merged.items.copy()
    stored["purchase_date"] = stored["purchase_date"].dt.tz_localize(None)
    stored["payments_date"] = stored["payments_date"].dt.strftime("%Y-%m-%dT%H:%M:%S%z")
    stored["buyer_name"] = stored["buyer_name"].astype(object)
    stored["is_business_order"] = stored["is_business_order"].astype(object)
    rebuilt = OrderSet.from_items(stored)
    pd.testing.assert_frame_equal(rebuilt.orders, merged.orders)
    assert str(rebuilt.items["purchase_date"].dtype) == f"datetime64[ns, {TOKYO}]"


def test_concat_of_nothing_is_empty() -> None:
    empty = OrderSet.concat([])
    assert empty.orders.empty and empty.items.empty
    assert list(empty.items.columns) == list(ITEM_COLUMNS)


@pytest.mark.parametrize(
    "columns",
    [
        ("order_id", "sku", "quantity", "payment_method", "status"),
        ("order_value", "skus", "asin", "product_name", "sources", "no_such_column"),
        (),
    ],
)
def test_asking_for_some_columns_merges_exactly_those(columns: tuple[str, ...]) -> None:
    api = export_bytes(ORDERS_API_HEADER, [["A-1", "2026-05-01T01:00:00Z", "2026-05-09T01:00:00Z",
                       "Canceled", "MFN", "CVS", "1800", "JPY", "false"],
                       ["X-1", "2026-05-01T01:00:00Z", "2026-05-01T02:00:00Z",
                       "Pending", "MFN", "COD", "4500", "JPY", "false"]])  # fmt: skip
    files = [all_orders_file(), order_report_file(), ("api.tsv", api)]
    full = read_exports(files).orders
    some = read_exports(files, columns=columns).orders
    expected = [c for c in full.columns if c in columns or c == "order_id"]
    assert list(some.columns) == expected
    pd.testing.assert_frame_equal(some, full[expected])


@pytest.mark.parametrize("era", ["historic", "current"])
def test_the_scan_columns_merge_as_in_the_full_table(tmp_path: object, era: str) -> None:
    from pathlib import Path

    from sellerguard.demo import generate_demo
    from sellerguard.rules import SCAN_COLUMNS

    folder = Path(str(tmp_path))
    generate_demo(folder, orders=1500, seed=11, era=era)
    files = sorted((folder / era).glob("*.txt"))
    assert len(files) >= 3  # all-orders, order report and the pending or returns report
    full = read_exports(files).orders
    scan = read_exports(files, columns=SCAN_COLUMNS).orders
    expected = [c for c in full.columns if c in SCAN_COLUMNS]
    assert list(scan.columns) == expected
    pd.testing.assert_frame_equal(scan, full[expected])


# --- several files read at once ---------------------------------------------------------------


@pytest.fixture
def two_readers(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLERGUARD_WORKERS", "2")


def test_files_read_side_by_side_merge_as_read_one_by_one(
    two_readers: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    files = [all_orders_file(), order_report_file(), ("again.txt", all_orders_file()[1])]
    together = read_exports(files)
    monkeypatch.setenv("SELLERGUARD_WORKERS", "1")
    one_by_one = read_exports(files)
    pd.testing.assert_frame_equal(together.orders, one_by_one.orders)
    pd.testing.assert_frame_equal(together.items, one_by_one.items)
    assert [read.name for read in together.reads] == ["all.txt", "orders.txt", "again.txt"]


def test_two_files_are_read_at_once(two_readers: None, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each read waits for the other to start: one after the other would never finish."""
    import threading

    import sellerguard.exports.merge as merge

    started = threading.Barrier(2, timeout=60)
    read_export = merge.read_export

    def waiting(source: tuple[str, bytes], skip: object = ()) -> object:
        started.wait()
        return read_export(source, skip)

    monkeypatch.setattr(merge, "read_export", waiting)
    merged = read_exports([all_orders_file(), order_report_file()])
    assert list(by_id(merged).index) == ["A-1", "A-2", "A-3", "A-4"]


@pytest.mark.parametrize("workers", ["1", "2"])
def test_the_first_file_in_order_that_is_not_an_export_is_the_error(
    workers: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same error as reading one by one, whichever file finishes first."""
    monkeypatch.setenv("SELLERGUARD_WORKERS", workers)
    not_an_export = ("inventory.txt", b"sku\tasin\tprice\nA\tB\t1\n")
    empty = ("empty.txt", b"")
    with pytest.raises(UnreadableExport) as caught:
        read_exports([all_orders_file(), not_an_export, empty])
    assert caught.value.params["file"] == "inventory.txt"


def test_with_columns_the_item_columns_nothing_reads_are_left_unparsed() -> None:
    """A scan's read leaves payment dates, taxes and the like empty: no warning for a bad
    tax, while a short row is still reported and the wanted columns are still read."""
    rows = [
        order_report_row("A-1", "11", item_tax="abc", buyer_name="佐藤 花子"),
        order_report_row("A-2", "21", buyer_name="鈴木 一郎"),
    ]
    data = export_bytes(ORDER_REPORT_HEADER + ORDER_REPORT_TAIL, rows) + b"A-3\t31\n"
    files = [("orders.txt", data), all_orders_file()]
    complete = read_exports(files)
    assert [p.reason for p in complete.problems] == ["bad_number", "too_few_fields"]
    scan = read_exports(files, columns=["buyer_name", "quantity"])
    assert [p.reason for p in scan.problems] == ["too_few_fields"]
    assert scan.items["item_tax"].isna().all() and scan.items["payments_date"].isna().all()
    assert complete.items["payments_date"].notna().any()
    assert by_id(scan)["buyer_name"].tolist() == by_id(complete)["buyer_name"].tolist()
    assert by_id(scan)["quantity"].tolist() == by_id(complete)["quantity"].tolist()
