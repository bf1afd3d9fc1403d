"""Reading one export: every layout, encoding, delimiter and the bad inputs."""

from __future__ import annotations

import random
from pathlib import Path

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
    table_text,
)

from sellerguard.cli import _mapped  # the map the scan command makes of each file
from sellerguard.errors import UnreadableExport
from sellerguard.exports import ITEM_COLUMNS, ExportRead, detect_export, read_export

TOKYO = "Asia/Tokyo"


def three_orders() -> list[dict[str, str]]:
    return [
        all_orders_row("250-0000001-0000001"),
        all_orders_row("250-0000002-0000002", order_status="Cancelled", quantity="3"),
        all_orders_row("250-0000003-0000003", order_status="Pending", ship_postal_code="0010010"),
    ]


def test_all_orders_report_reads_every_row_with_canonical_columns() -> None:
    data = export_bytes(ALL_ORDERS_HEADER, three_orders())
    read = read_export(("all.txt", data))
    assert read.kind == "all_orders"
    assert (read.encoding, read.delimiter, read.line_ending) == ("utf-8", "\t", "LF")
    assert (read.rows_in, read.rows_read, read.problems) == (3, 3, [])
    items = read.items
    assert list(items.columns) == list(ITEM_COLUMNS)
    assert items["order_id"].tolist() == [
        "250-0000001-0000001",
        "250-0000002-0000002",
        "250-0000003-0000003",
    ]
    assert items["order_status"].tolist() == ["Shipped", "Cancelled", "Pending"]
    assert items["quantity"].tolist() == [1, 3, 1]
    assert str(items["quantity"].dtype) == "Int64"
    assert str(items["item_price"].dtype) == "Float64"
    assert str(items["purchase_date"].dtype) == f"datetime64[ns, {TOKYO}]"
    assert items["purchase_date"].iloc[0] == pd.Timestamp("2026-05-01 10:00", tz=TOKYO)
    assert items["is_business_order"].tolist() == [False, False, False]
    assert pd.api.types.is_string_dtype(items["order_id"])
    assert items["source_kind"].tolist() == ["all_orders"] * 3
    assert items["source_file"].tolist() == ["all.txt"] * 3
    assert items["source_line"].tolist() == [2, 3, 4]
    assert items["buyer_name"].isna().all()


def test_leading_zero_postal_codes_and_ids_stay_text() -> None:
    rows = three_orders()
    rows[0]["ship-postal-code"] = "060-0001"
    rows[1]["ship-postal-code"] = "0600001"
    data = export_bytes(ALL_ORDERS_HEADER, rows)
    items = read_export(("all.txt", data)).items
    assert items["ship_postal_code"].tolist() == ["060-0001", "0600001", "0010010"]


@pytest.mark.parametrize("cod", [False, True], ids=["no_cod", "cod"])
def test_order_report_with_and_without_cod_columns(cod: bool) -> None:
    header = ORDER_REPORT_HEADER + (COD_COLUMNS if cod else []) + ORDER_REPORT_TAIL
    extra = (
        {
            "payment-method": "COD",
            "cod-collectible-amount": "2508",
            "already-paid": "0",
            "payment-method-fee": "330",
        }
        if cod
        else {}
    )
    row = order_report_row(
        "503-1234567-0000001", **{k.replace("-", "_"): v for k, v in extra.items()}
    )
    read = read_export(("orders.txt", export_bytes(header, [row])))
    assert read.kind == "order_report"
    item = read.items.iloc[0]
    assert item["buyer_name"] == "山田 太郎"
    assert item["ship_phone"] == "090-1234-5678"
    assert item["ship_address_2"] == "サンプルビル 101"
    assert item["order_item_id"] == "10000000000001"
    if cod:
        assert item["payment_method"] == "COD"
        assert item["cod_collectible_amount"] == 2508
        assert item["payment_method_fee"] == 330
    else:
        assert pd.isna(item["payment_method"])
        assert pd.isna(item["cod_collectible_amount"])


def test_unshipped_order_report_variant() -> None:
    header = [
        "order-id",
        "order-item-id",
        "purchase-date",
        "payments-date",
        "reporting-date",
        "promise-date",
        "days-past-promise",
        "buyer-email",
        "buyer-name",
        "buyer-phone-number",
        "sku",
        "product-name",
        "quantity-purchased",
        "quantity-shipped",
        "quantity-to-ship",
        "ship-service-level",
        "recipient-name",
        "ship-address-1",
        "ship-postal-code",
    ]
    row = ["249-1-1", "11", "2026-05-01T10:00:00+09:00", "", "", "", "0", "", "", "", "S", "P",
           "2", "0", "2", "Standard", "佐藤", "1-2-3", "100-0001"]  # fmt: skip
    read = read_export(("unshipped.txt", export_bytes(header, [row])))
    assert read.kind == "order_report"
    assert read.items["quantity_to_ship"].tolist() == [2]
    assert read.items["quantity"].tolist() == [2]


@pytest.mark.parametrize(
    ("payment", "expected"),
    [
        ("コンビニ", "CVS"),
        ("CVS", "CVS"),
        ("コンビニ決済", "CVS"),
        ("代金引換", "COD"),
        ("COD", "COD"),
        ("Other", "Other"),
        ("クレジットカード", "Other"),
        ("Convenience Store Payment", "CVS"),
        ("Cash on Delivery", "COD"),
        ("", None),
    ],
)
def test_pending_report_payment_type_maps_to_payment_method(
    payment: str, expected: str | None
) -> None:
    row = ["250-1-1", "7001", "2026/05/01 10:00:00", "SKU-A", "商品A", "5", payment]
    read = read_export(("pending.txt", export_bytes(PENDING_HEADER, [row])))
    assert read.kind == "pending"
    item = read.items.iloc[0]
    assert item["quantity"] == 5
    assert item["purchase_date"] == pd.Timestamp("2026-05-01 10:00", tz=TOKYO)
    if expected is None:
        assert pd.isna(item["payment_method"])
    else:
        assert item["payment_method"] == expected


def test_returns_report() -> None:
    row = ["250-1-1", "2026-05-01", "2026-05-09", "Approved", "D1234RMA", "SKU-A", "B01",
           "商品A", "2", "UNWANTED_ITEM", "3960"]  # fmt: skip
    read = read_export(("returns.csv", export_bytes(RETURNS_HEADER, [row], delimiter=",")))
    assert read.kind == "returns"
    item = read.items.iloc[0]
    assert item["return_date"] == pd.Timestamp("2026-05-09", tz=TOKYO)
    assert item["purchase_date"] == pd.Timestamp("2026-05-01", tz=TOKYO)
    assert (item["return_status"], item["rma_id"], item["sku"]) == ("Approved", "D1234RMA", "SKU-A")
    assert item["return_quantity"] == 2
    assert item["refund_amount"] == 3960
    assert item["return_reason"] == "UNWANTED_ITEM"


def test_fba_customer_returns_report() -> None:
    header = ["return-date", "order-id", "sku", "asin", "fnsku", "product-name", "quantity",
              "fulfillment-center-id", "detailed-disposition", "reason", "status",
              "license-plate-number", "customer-comments"]  # fmt: skip
    row = ["2026-05-09T10:00:00+09:00", "250-1-1", "SKU-A", "B01", "X001", "商品A", "2", "NRT1",
           "SELLABLE", "UNWANTED_ITEM", "Unit returned to inventory", "LPN1", ""]  # fmt: skip
    read = read_export(("fba_returns.txt", export_bytes(header, [row])))
    assert read.kind == "returns"
    item = read.items.iloc[0]
    assert item["return_quantity"] == 2
    assert pd.isna(item["quantity"])
    assert item["return_reason"] == "UNWANTED_ITEM"
    assert item["return_date"] == pd.Timestamp("2026-05-09 10:00", tz=TOKYO)


def test_orders_api_file() -> None:
    rows = [
        ["250-1-1", "2026-05-01T01:00:00Z", "2026-05-03T01:00:00Z", "Canceled", "MFN", "CVS",
         "9800", "JPY", "false"],
        ["250-1-2", "2026-05-01T01:00:00Z", "2026-05-01T02:00:00Z", "Pending", "MFN", "COD",
         "", "JPY", "true"],
    ]  # fmt: skip
    read = read_export(("api.tsv", export_bytes(ORDERS_API_HEADER, rows)))
    assert read.kind == "orders_api"
    items = read.items
    assert items["payment_method"].tolist() == ["CVS", "COD"]
    assert items["order_total"].iloc[0] == 9800
    assert pd.isna(items["order_total"].iloc[1])
    assert items["last_updated_date"].iloc[0] == pd.Timestamp("2026-05-03 10:00", tz=TOKYO)
    assert items["is_business_order"].tolist() == [False, True]
    assert items["currency"].tolist() == ["JPY", "JPY"]


def test_japanese_headers() -> None:
    header = ["注文番号", "購入日", "商品名", "数量", "出荷先郵便番号", "都道府県", "購入者名",
              "電話番号", "お届け先住所1", "備考"]  # fmt: skip
    row = ["250-1-1", "2026/5/1 9:05", "商品A", "２", "060-0001", "北海道", "山田", "011-000-0000",
           "北一条西2-1", "メモ"]  # fmt: skip
    read = read_export(("社内.csv", export_bytes(header, [row], encoding="cp932", delimiter=",")))
    assert read.kind == "order_report"
    assert read.encoding == "cp932"
    item = read.items.iloc[0]
    assert item["order_id"] == "250-1-1"
    assert item["purchase_date"] == pd.Timestamp("2026-05-01 09:05", tz=TOKYO)
    assert item["quantity"] == 2
    assert (item["ship_postal_code"], item["ship_state"], item["buyer_name"]) == (
        "060-0001",
        "北海道",
        "山田",
    )
    assert item["ship_phone"] == "011-000-0000"


ENCODINGS = ["utf-8", "utf-8-sig", "cp932", "utf-16"]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("newline", ["\n", "\r\n"], ids=["LF", "CRLF"])
@pytest.mark.parametrize("delimiter", ["\t", ","], ids=["tsv", "csv"])
def test_encodings_delimiters_and_line_endings_give_the_same_items(
    encoding: str, newline: str, delimiter: str
) -> None:
    reference = read_export(("ref.txt", export_bytes(ALL_ORDERS_HEADER, three_orders()))).items
    data = export_bytes(
        ALL_ORDERS_HEADER, three_orders(), encoding, delimiter=delimiter, newline=newline
    )
    read = read_export(("x.txt", data))
    assert read.encoding == encoding
    assert read.delimiter == delimiter
    assert read.line_ending == ("CRLF" if newline == "\r\n" else "LF")
    pd.testing.assert_frame_equal(
        read.items.drop(columns="source_file"), reference.drop(columns="source_file")
    )


def test_excel_csv_with_quotes_embedded_commas_quotes_and_newlines() -> None:
    rows = three_orders()
    rows[0]["product-name"] = 'Tシャツ, 白 "限定"'
    rows[1]["product-name"] = "二行の\n商品名"
    rows[2]["item-price"] = "1,980"
    data = export_bytes(
        ALL_ORDERS_HEADER, rows, "cp932", delimiter=",", newline="\r\n", quote_all=True
    )
    read = read_export(("excel.csv", data))
    assert (read.rows_in, read.rows_read) == (3, 3)
    items = read.items
    assert items["product_name"].tolist() == ['Tシャツ, 白 "限定"', "二行の\n商品名", "商品A"]
    assert items["item_price"].tolist() == [1980, 1980, 1980]
    assert items["source_line"].tolist() == [2, 3, 5]


def test_tab_separated_product_name_starting_with_a_quote_is_plain_text() -> None:
    rows = three_orders()
    rows[0]["product-name"] = '"限定" Tシャツ'
    rows[1]["product-name"] = '24" モニター'
    read = read_export(("all.txt", export_bytes(ALL_ORDERS_HEADER, rows)))
    assert read.items["product_name"].tolist()[:2] == ['"限定" Tシャツ', '24" モニター']
    assert read.problems == []


def test_columns_in_any_order_and_unknown_columns_are_ignored() -> None:
    header = [*ALL_ORDERS_HEADER, "seller-memo", "x-custom"]
    shuffled = header[:]
    random.Random(7).shuffle(shuffled)
    rows = [{**row, "seller-memo": "note", "x-custom": "1"} for row in three_orders()]
    reference = read_export(("a.txt", export_bytes(ALL_ORDERS_HEADER, three_orders()))).items
    read = read_export(("a.txt", export_bytes(shuffled, rows)))
    pd.testing.assert_frame_equal(read.items, reference)


def test_excel_mangled_values() -> None:
    rows = three_orders()
    rows[0].update({"purchase-date": "2026/5/1 9:05", "amazon-order-id": '="250-0000001-0000001"'})
    rows[1].update({"purchase-date": "2026/05/01", "item-price": "¥1,980"})
    rows[2].update(
        {"purchase-date": "2026年5月1日", "quantity": "1.0", "is-business-order": "TRUE"}
    )
    read = read_export(("excel.csv", export_bytes(ALL_ORDERS_HEADER, rows, delimiter=",")))
    items = read.items
    assert read.problems == []
    assert items["order_id"].iloc[0] == "250-0000001-0000001"
    assert items["purchase_date"].tolist() == [
        pd.Timestamp("2026-05-01 09:05", tz=TOKYO),
        pd.Timestamp("2026-05-01", tz=TOKYO),
        pd.Timestamp("2026-05-01", tz=TOKYO),
    ]
    assert items["item_price"].tolist() == [1980, 1980, 1980]
    assert items["quantity"].tolist() == [1, 3, 1]
    assert items["is_business_order"].tolist() == [False, False, True]


def test_excel_serial_dates_are_read_as_tokyo_time() -> None:
    rows = three_orders()
    rows[0]["purchase-date"] = "46143.4375"
    rows[1]["purchase-date"] = "46143"
    rows[2]["purchase-date"] = "12"
    read = read_export(("serial.csv", export_bytes(ALL_ORDERS_HEADER, rows, delimiter=",")))
    assert read.items["purchase_date"].iloc[0] == pd.Timestamp("2026-05-01 10:30", tz=TOKYO)
    assert read.items["purchase_date"].iloc[1] == pd.Timestamp("2026-05-01", tz=TOKYO)
    assert [(p.line, p.reason) for p in read.problems] == [(4, "bad_date")]


def test_mixed_iso_forms_parse_to_tokyo_time() -> None:
    rows = three_orders()
    rows[0]["purchase-date"] = "2026-05-01T01:00:00Z"
    rows[1]["purchase-date"] = "2026-05-01 10:00:00"
    rows[2]["purchase-date"] = "2026-05-01T10:00:00.000+09:00"
    items = read_export(("a.txt", export_bytes(ALL_ORDERS_HEADER, rows))).items
    assert items["purchase_date"].tolist() == [pd.Timestamp("2026-05-01 10:00", tz=TOKYO)] * 3


def test_bad_values_keep_the_row_and_warn_with_line() -> None:
    rows = three_orders()
    rows[1]["purchase-date"] = "yesterday"
    rows[2]["quantity"] = "lots"
    rows[2]["is-business-order"] = "maybe"
    read = read_export(("a.txt", export_bytes(ALL_ORDERS_HEADER, rows)))
    assert (read.rows_in, read.rows_read, read.rows_rejected) == (3, 3, 0)
    found = {(p.line, p.reason, p.column, p.got, p.rejected) for p in read.problems}
    assert found == {
        (3, "bad_date", "purchase-date", "yesterday", False),
        (4, "bad_number", "quantity", "lots", False),
        (4, "bad_boolean", "is-business-order", "maybe", False),
    }
    assert pd.isna(read.items["purchase_date"].iloc[1])
    assert pd.isna(read.items["quantity"].iloc[2])
    assert read.items["quantity"].iloc[0] == 1


def test_fractional_quantity_is_a_bad_number() -> None:
    rows = three_orders()
    rows[0]["quantity"] = "1.5"
    read = read_export(("a.txt", export_bytes(ALL_ORDERS_HEADER, rows)))
    assert [(p.line, p.reason) for p in read.problems] == [(2, "bad_number")]
    assert pd.isna(read.items["quantity"].iloc[0])


def malformed_text() -> str:
    """Header, good, short (line 3), good, overlong (line 5), no order id (6), good, cut (8)."""
    good = table_text(ALL_ORDERS_HEADER, three_orders()).splitlines()
    width = len(ALL_ORDERS_HEADER)
    short = "\t".join(["250-9-9", "", "2026-05-01T10:00:00+09:00"])
    overlong = good[2] + "\textra\tcells"
    no_id = "\t" * (width - 1)
    cut = good[3][: len(good[3]) // 2]
    return "\n".join([good[0], good[1], short, good[2], overlong, no_id, good[3], cut])


def test_malformed_rows_are_reported_with_lines_and_the_rest_is_read() -> None:
    read = read_export(("bad.txt", malformed_text().encode()))
    width = str(len(ALL_ORDERS_HEADER))
    assert (read.rows_in, read.rows_read) == (7, 3)
    assert read.rows_in == read.rows_read + read.rows_rejected
    found = [(p.line, p.reason, p.expected) for p in read.problems]
    assert found == [
        (3, "too_few_fields", width),
        (5, "too_many_fields", width),
        (6, "missing_order_id", "amazon-order-id"),
        (8, "truncated_row", width),
    ]
    assert read.items["source_line"].tolist() == [2, 4, 7]
    assert all(p.file == "bad.txt" for p in read.problems)


def test_malformed_rows_with_crlf_blank_lines_and_quoted_newlines() -> None:
    rows = three_orders()
    rows[0]["product-name"] = "一行目\r\n二行目"
    text = table_text(ALL_ORDERS_HEADER, rows, delimiter=",", newline="\r\n")
    lines = text.split("\r\n")
    # header(1) row0(2-3) row1(4) row2(5): insert a blank line and a short row after row0
    broken = [*lines[:3], "", "250-9-9,x", *lines[3:]]
    read = read_export(("excel.csv", "\r\n".join(broken).encode("cp932")))
    assert (read.rows_in, read.rows_read) == (4, 3)
    assert [(p.line, p.reason) for p in read.problems] == [(5, "too_few_fields")]
    assert read.items["source_line"].tolist() == [2, 6, 7]


def test_big_file_with_bad_rows_keeps_exact_line_numbers() -> None:
    """Large enough for the threaded reader, which must fall back to number rows."""
    good = table_text(ALL_ORDERS_HEADER, three_orders()).splitlines()[1]
    lines = [table_text(ALL_ORDERS_HEADER, []).rstrip("\n")]
    bad_lines = {5_001, 20_000, 33_333}
    for line in range(2, 40_002):
        fresh = good.replace("250-0000001-0000001", f"250-{line:07d}-0000001")
        lines.append("250-1-1\tshort" if line in bad_lines else fresh)
    read = read_export(("big.txt", ("\n".join(lines) + "\n").encode()))
    assert read.rows_in == 40_000
    assert read.rows_read == 40_000 - len(bad_lines)
    assert [p.line for p in read.problems] == sorted(bad_lines)
    kept = read.items["source_line"].to_numpy()
    assert kept[0] == 2 and kept[-1] == 40_001
    assert not set(kept) & bad_lines
    assert read.items["order_id"].str.slice(4, 11).astype(int).tolist() == kept.tolist()


def test_header_only_file_has_no_rows() -> None:
    read = read_export(("empty.txt", table_text(ALL_ORDERS_HEADER, []).encode()))
    assert (read.kind, read.rows_in, read.rows_read) == ("all_orders", 0, 0)
    assert list(read.items.columns) == list(ITEM_COLUMNS)


@pytest.mark.parametrize(
    ("data", "reason"),
    [
        (b"", "empty"),
        (b"  \r\n\n", "empty"),
        (b"\xef\xbb\xbf", "empty"),
        (b"\x00\x01\x02binary\x00garbage" * 10, "binary"),
        (b"PK\x03\x04" + b"\x00" * 100, "binary"),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100, "spreadsheet"),
        (
            b"settlement-id\tsettlement-start-date\ttransaction-type\torder-id\tamount\n1\t2\t3\t4\t5\n",
            "other_report",
        ),
        (b"sku\tasin\tprice\tquantity\nA\tB01\t100\t3\n", "no_order_id"),
        (b"hello world\n", "no_order_id"),
        (b"order-id\tfoo\tbar\n1\t2\t3\n", "unknown_layout"),
    ],
    ids=[
        "empty",
        "blank",
        "bom_only",
        "binary",
        "zip",
        "xls",
        "settlement",
        "inventory",
        "prose",
        "unknown",
    ],
)
def test_not_an_export_is_refused_naming_the_file(data: bytes, reason: str) -> None:
    with pytest.raises(UnreadableExport) as caught:
        read_export(("upload.txt", data))
    err = caught.value
    assert err.reason == reason
    assert err.params["file"] == "upload.txt"
    for lang in ("ja", "en"):
        message = err.message(lang)
        assert "upload.txt" in message
        assert "{" not in message


def test_missing_file_is_refused(tmp_path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UnreadableExport) as caught:
        read_export(tmp_path / "nope.txt")
    assert caught.value.params["file"] == "nope.txt"


def test_no_order_id_message_says_what_is_missing() -> None:
    with pytest.raises(UnreadableExport) as caught:
        read_export(("inv.txt", b"sku\tasin\tprice\nA\tB\t1\n"))
    assert "order-id" in caught.value.message("en")
    assert "注文番号" in caught.value.message("ja")


def test_detect_export_without_reading_rows() -> None:
    data = export_bytes(ALL_ORDERS_HEADER, three_orders(), "cp932", newline="\r\n")
    fmt = detect_export(("all.txt", data))
    assert (fmt.kind, fmt.encoding, fmt.delimiter, fmt.line_ending, fmt.quoted) == (
        "all_orders",
        "cp932",
        "\t",
        "CRLF",
        False,
    )
    assert fmt.columns[0] == "order_id"


def test_read_from_path_names_the_file(tmp_path) -> None:  # type: ignore[no-untyped-def]
    data = export_bytes(ALL_ORDERS_HEADER, three_orders(), "cp932", newline="\r\n")
    path = tmp_path / "all.txt"
    path.write_bytes(data)
    read = read_export(path)
    assert read.name == "all.txt"
    assert read.items["source_file"].iloc[0] == "all.txt"


def test_row_problem_message_in_both_languages() -> None:
    read = read_export(("bad.txt", malformed_text().encode()))
    first = read.problems[0]
    assert first.message("ja").startswith("bad.txt 3 行目")
    assert first.message("en").startswith("bad.txt line 3")


def test_a_column_bad_throughout_lists_a_hundred_warnings_and_counts_the_rest() -> None:
    rows = [all_orders_row(f"250-{i:07d}-0000001", purchase_date="someday") for i in range(250)]
    read = read_export(("mangled.txt", export_bytes(ALL_ORDERS_HEADER, rows)))
    assert read.rows_read == 250
    dates = [p for p in read.problems if p.reason == "bad_date"]
    assert [p.line for p in dates] == list(range(2, 102))
    more = [p for p in read.problems if p.reason == "more_warnings"]
    assert [(p.line, p.expected, p.got, p.column) for p in more] == [
        (None, "bad_date", "150", "purchase-date")
    ]
    assert "150" in more[0].message("en")


def test_a_large_binary_file_is_refused_from_its_beginning(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from pathlib import Path

    path = tmp_path / "movie.txt"
    path.write_bytes(b"\x00\x01binary" * 600_000)
    loaded: list[str] = []
    monkeypatch.setattr(Path, "read_bytes", lambda self: loaded.append(self.name) or b"")
    with pytest.raises(UnreadableExport) as caught:
        read_export(path)
    assert caught.value.reason == "binary"
    assert loaded == []


def test_detect_export_on_a_large_path_reads_only_its_beginning(tmp_path) -> None:  # type: ignore[no-untyped-def]
    rows = [
        all_orders_row(f"250-{i:07d}-0000001", product_name="日本語の商品名") for i in range(20_000)
    ]
    path = tmp_path / "big.txt"
    path.write_bytes(export_bytes(ALL_ORDERS_HEADER, rows))
    assert path.stat().st_size > 2 * 1024 * 1024
    fmt = detect_export(path)
    assert (fmt.kind, fmt.encoding) == ("all_orders", "utf-8")


def test_columns_converted_on_two_threads_read_as_on_one(monkeypatch: pytest.MonkeyPatch) -> None:
    """Large files convert their columns on two threads; the items and the warnings (in
    column order on each line) are those of the one-thread conversion."""
    from sellerguard import parallel

    rows = [all_orders_row(f"250-{i:07d}-0000001") for i in range(300)]
    for i in range(0, 300, 7):
        rows[i]["purchase-date"] = "someday"
        rows[i]["quantity"] = "lots"
        rows[i]["is-business-order"] = "maybe"
    data = export_bytes(ALL_ORDERS_HEADER, rows)
    monkeypatch.setenv(parallel.WORKERS_ENV, "1")
    one = read_export(("mixed.txt", data))
    monkeypatch.setenv(parallel.WORKERS_ENV, "2")
    monkeypatch.setattr(parallel, "MIN_ROWS_TO_SPLIT", 1)
    two = read_export(("mixed.txt", data))
    pd.testing.assert_frame_equal(two.items, one.items)
    assert two.problems == one.problems
    assert {p.reason for p in two.problems} == {"bad_date", "bad_number", "bad_boolean"}


def _mapped_read(tmp_path: Path, name: str, data: bytes) -> ExportRead:
    """``read_export`` of ``data`` mapped from a file, as ``sellerguard scan`` passes it."""
    path = tmp_path / name
    path.write_bytes(data)
    with _mapped(path) as mapped:
        return read_export((name, mapped))


def _big_export(bad_lines: tuple[int, ...] = (4_000, 9_999)) -> bytes:
    """Over the 4 MB parsed in threads (and the 2 MB the format is detected from), with
    ``bad_lines`` and a cut last row."""
    good = table_text(ALL_ORDERS_HEADER, three_orders()).splitlines()[1]
    lines = [table_text(ALL_ORDERS_HEADER, []).rstrip("\n")]
    for line in range(2, 20_002):
        fresh = good.replace("250-0000001-0000001", f"250-{line:07d}-0000001")
        lines.append("250-1-1\tshort" if line in bad_lines else fresh)
    return ("\n".join(lines) + "\n" + good[:40]).encode()


@pytest.mark.parametrize(
    "data",
    [
        malformed_text().encode(),
        (malformed_text() + "\r\n\r\n").encode(),
        export_bytes(ALL_ORDERS_HEADER, three_orders(), "cp932", newline="\r\n"),
        export_bytes(ALL_ORDERS_HEADER, three_orders(), "utf-8-sig"),
        export_bytes(ALL_ORDERS_HEADER, three_orders(), "utf-16"),
        export_bytes(ALL_ORDERS_HEADER, three_orders(), "cp932", delimiter=",", quote_all=True),
        _big_export(),
        malformed_text().encode("utf-8")[:-3] + b"\xe5\x95",  # cut inside a character
    ],
    ids=["malformed", "blank_tail", "cp932", "bom", "utf16", "excel", "big", "cut_utf8"],
)
def test_a_mapped_file_reads_as_its_bytes(tmp_path: Path, data: bytes) -> None:
    expected = read_export(("orders.txt", data))
    mapped = _mapped_read(tmp_path, "orders.txt", data)
    assert mapped.problems == expected.problems
    assert (mapped.kind, mapped.encoding, mapped.line_ending, mapped.rows_in) == (
        expected.kind,
        expected.encoding,
        expected.line_ending,
        expected.rows_in,
    )
    pd.testing.assert_frame_equal(mapped.items, expected.items)


@pytest.mark.parametrize(
    ("tail", "last"), [(b"", "truncated_row"), (b"\r\n\n", "too_few_fields")], ids=["cut", "blank"]
)
def test_a_big_mapped_file_keeps_its_bad_rows_and_short_last_row(
    tmp_path: Path, tail: bytes, last: str
) -> None:
    read = _mapped_read(tmp_path, "big.txt", _big_export() + tail)
    assert read.rows_in == 20_001
    assert [(p.line, p.reason) for p in read.problems] == [
        (4_000, "too_few_fields"),
        (9_999, "too_few_fields"),
        (20_002, last),
    ]
    # Only the last row bad: the threaded parse keeps it, numbered from the end of the map.
    read = _mapped_read(tmp_path, "cut.txt", _big_export(bad_lines=()) + tail)
    assert [(p.line, p.reason) for p in read.problems] == [(20_002, last)]
    assert read.rows_read == 20_000


def test_a_mapped_workbook_and_a_mapped_non_export(tmp_path: Path) -> None:
    from test_exports_spreadsheet import ROWS, workbook

    data = workbook(ROWS)
    expected = read_export(("orders.xlsx", data))
    mapped = _mapped_read(tmp_path, "orders.xlsx", data)
    assert (mapped.kind, mapped.encoding) == (expected.kind, "xlsx")
    pd.testing.assert_frame_equal(mapped.items, expected.items)
    with _mapped(tmp_path / "orders.xlsx") as mapped_book:
        assert detect_export(("orders.xlsx", mapped_book)).encoding == "xlsx"
    with pytest.raises(UnreadableExport) as caught:
        _mapped_read(tmp_path, "inventory.txt", b"sku\tasin\tprice\tquantity\nA\tB01\t100\t3\n")
    assert (caught.value.reason, caught.value.params["file"]) == ("no_order_id", "inventory.txt")
