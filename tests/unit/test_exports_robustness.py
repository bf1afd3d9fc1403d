"""Reader edge cases: quoting in TSV, encodings that change mid-file, random damage."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from test_exports_factory import ALL_ORDERS_HEADER, all_orders_row, table_text

from sellerguard.exports import read_export

SMALL = ["amazon-order-id", "purchase-date", "order-status", "product-name", "quantity"]


def test_excel_tab_delimited_with_quoted_fields() -> None:
    data = (
        "amazon-order-id\tpurchase-date\torder-status\tproduct-name\tquantity\n"
        'A-1\t2026-05-01\tShipped\t"tab\there"\t1\n'
        'A-2\t2026-05-01\tShipped\t"say ""hi"""\t2\n'
    )
    read = read_export(("excel.txt", data.encode("cp932")))
    assert read.problems == []
    assert read.items["product_name"].tolist() == ["tab\there", 'say "hi"']


def test_amazon_tsv_with_stray_quotes_is_not_quoted() -> None:
    data = (
        "amazon-order-id\tpurchase-date\torder-status\tproduct-name\tquantity\n"
        'A-1\t2026-05-01\tShipped\t"Sale Tシャツ\t1\n'
        'A-2\t2026-05-01\tShipped\t24" モニター\t2\n'
        "A-3\t2026-05-01\tShipped\tふつう\t3\n"
    )
    read = read_export(("all.txt", data.encode()))
    assert read.problems == []
    assert read.items["product_name"].tolist() == ['"Sale Tシャツ', '24" モニター', "ふつう"]
    assert read.items["quantity"].tolist() == [1, 2, 3]


def test_cr_only_line_endings() -> None:
    data = "\r".join(["\t".join(SMALL), "A-1\t2026-05-01\tShipped\tX\t1", "A-2\t2026-05-01"]) + "\r"
    read = read_export(("mac.txt", data.encode()))
    assert read.line_ending == "CR"
    assert [(p.line, p.reason) for p in read.problems] == [(3, "too_few_fields")]
    assert read.items["source_line"].tolist() == [2]


def test_unterminated_quote_at_the_end_is_a_truncated_row() -> None:
    data = ",".join(SMALL) + '\r\nA-1,2026-05-01,Shipped,"ok",1\r\nA-2,2026-05-01,Shipped,"cut of'
    read = read_export(("cut.csv", data.encode()))
    assert (read.rows_in, read.rows_read) == (2, 1)
    assert [(p.line, p.reason) for p in read.problems] == [(3, "truncated_row")]


def test_file_that_turns_out_to_be_cp932_after_an_ascii_start() -> None:
    ascii_row = "\t".join(["A-{}", "2026-05-01T10:00:00+09:00", "Shipped", "plain", "1"])
    lines = ["\t".join(SMALL)] + [ascii_row.format(i) for i in range(60_000)]
    lines.append("\t".join(["B-1", "2026-05-01T10:00:00+09:00", "Shipped", "日本語の商品", "1"]))
    data = ("\n".join(lines) + "\n").encode("cp932")
    assert len(data) > 2 * 1024 * 1024
    read = read_export(("late.txt", data))
    assert read.encoding == "cp932"
    assert read.rows_read == 60_001
    assert read.items["product_name"].iloc[-1] == "日本語の商品"
    assert read.problems == []


def test_utf8_file_with_a_broken_character_keeps_its_text_and_warns() -> None:
    good = "\t".join(["A-1", "2026-05-01T10:00:00+09:00", "Shipped", "日本語", "1"])
    bad = "\t".join(["A-2", "2026-05-01T10:00:00+09:00", "Shipped", "壊れ", "1"]).encode()
    data = (
        ("\t".join(SMALL) + "\n" + good + "\n").encode()
        + bad.replace("壊".encode(), b"\xe5\xa3")
        + b"\n"
    )
    read = read_export(("broken.txt", data))
    assert read.encoding == "utf-8"
    assert read.items["product_name"].iloc[0] == "日本語"
    assert read.items["product_name"].iloc[1].endswith("れ")
    assert [(p.line, p.reason, p.rejected) for p in read.problems] == [(3, "bad_encoding", False)]


def test_cp932_with_undecodable_bytes_warns_with_the_line() -> None:
    lines = ["\t".join(SMALL), "\t".join(["A-1", "2026-05-01", "Shipped", "商品", "1"])]
    data = ("\n".join(lines) + "\n").encode("cp932") + b"A-2\t2026-05-01\tShipped\t\x82\xff\t1\n"
    read = read_export(("sjis.txt", data))
    assert read.encoding == "cp932"
    assert read.rows_read == 2
    assert [(p.line, p.reason) for p in read.problems] == [(3, "bad_encoding")]


ROW_KINDS = st.sampled_from(["good", "good", "good", "short", "long", "no_id", "blank"])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    kinds=st.lists(ROW_KINDS, min_size=1, max_size=30),
    crlf=st.booleans(),
    comma=st.booleans(),
    multiline_every=st.integers(min_value=0, max_value=4),
    final_newline=st.booleans(),
)
def test_random_damage_is_reported_line_by_line(
    kinds: list[str], crlf: bool, comma: bool, multiline_every: int, final_newline: bool
) -> None:
    """Every bad row is reported at its physical line; every good row keeps its line."""
    newline = "\r\n" if crlf else "\n"
    delimiter = "," if comma else "\t"
    header = table_text(ALL_ORDERS_HEADER, [], delimiter=delimiter, newline=newline)
    lines: list[str] = [header.rstrip("\r\n")]
    expected_good: list[int] = []
    expected_bad: dict[int, str] = {}
    line = 2
    for index, kind in enumerate(kinds):
        if kind == "blank":
            lines.append("")
            line += 1
            continue
        row = all_orders_row(f"250-{index:07d}-0000001")
        spans = 1
        if comma and multiline_every and index % multiline_every == 0:
            row["product-name"] = "一行目\n二行目"
            spans = 2
        if kind == "no_id":
            row["amazon-order-id"] = ""
        text = table_text(ALL_ORDERS_HEADER, [row], delimiter=delimiter, newline=newline)
        body = text[len(header) :].removesuffix(newline)
        if crlf:
            body = body.replace("\n", "\r\n").replace("\r\r\n", "\r\n")
        if kind == "short":
            body = delimiter.join(["250-9-9", "x"])
            spans = 1
        elif kind == "long":
            body = body + delimiter + "extra"
        lines.append(body)
        if kind == "good":
            expected_good.append(line)
        else:
            expected_bad[line] = {"short": "too_few_fields", "long": "too_many_fields"}.get(
                kind, "missing_order_id"
            )
        line += spans
    data = newline.join(lines) + (newline if final_newline else "")
    read = read_export(("random.txt", data.encode("cp932")))
    rejected = {p.line: p.reason for p in read.problems if p.rejected}
    if not final_newline and kinds[-1] == "short":
        expected_bad[max(expected_bad)] = "truncated_row"
    assert rejected == expected_bad
    assert read.items["source_line"].tolist() == expected_good
    assert read.rows_in == read.rows_read + len(rejected)
    assert read.rows_read == len(expected_good)
    assert pd.api.types.is_string_dtype(read.items["order_id"])


def _spy_parses(monkeypatch) -> list[bool]:  # type: ignore[no-untyped-def]
    import sellerguard.exports.read as reader

    calls: list[bool] = []
    original = reader.pacsv.read_csv

    def spy(*args, **kwargs):  # type: ignore[no-untyped-def]
        calls.append(kwargs["read_options"].use_threads)
        return original(*args, **kwargs)

    monkeypatch.setattr(reader.pacsv, "read_csv", spy)
    return calls


def big_rows(count: int) -> list[str]:
    row = "\t".join(["A-{}", "2026-05-01T10:00:00+09:00", "Shipped", "plain", "1"])
    return ["\t".join(SMALL)] + [row.format(i) for i in range(count)]


def test_big_file_cut_off_at_the_end_is_parsed_once(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = _spy_parses(monkeypatch)
    data = "\n".join([*big_rows(200_000), "A-x\t2026-05"]).encode()
    read = read_export(("cut.txt", data))
    assert calls == [True]
    assert (read.rows_in, read.rows_read) == (200_001, 200_000)
    assert [(p.line, p.reason) for p in read.problems] == [(200_002, "truncated_row")]


def test_big_file_with_the_same_bad_line_twice_is_numbered_exactly(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    calls = _spy_parses(monkeypatch)
    lines = big_rows(200_000)
    lines.insert(1000, "A-x\t2026-05")
    lines.append("A-x\t2026-05")
    read = read_export(("twice.txt", "\n".join(lines).encode()))
    assert calls == [True, False]
    assert [(p.line, p.reason) for p in read.problems] == [
        (1001, "too_few_fields"),
        (200_003, "truncated_row"),
    ]


def test_every_data_row_ending_with_a_spare_tab_is_read() -> None:
    lines = ["\t".join(SMALL)] + [f"A-{i}\t2026-05-01\tShipped\tX\t{i}\t" for i in range(1, 4)]
    read = read_export(("spare.txt", ("\n".join(lines) + "\n").encode()))
    assert read.problems == []
    assert read.items["quantity"].tolist() == [1, 2, 3]


def test_header_ending_with_a_spare_delimiter_is_read() -> None:
    lines = [",".join(SMALL) + ","] + [f"A-{i},2026-05-01,Shipped,X,{i}" for i in range(1, 4)]
    read = read_export(("spare.csv", ("\r\n".join(lines) + "\r\n").encode()))
    assert read.problems == []
    assert read.items["order_id"].tolist() == ["A-1", "A-2", "A-3"]


def test_rows_with_extra_values_are_still_rejected() -> None:
    lines = ["\t".join(SMALL)] + [f"A-{i}\t2026-05-01\tShipped\tX\t{i}\tmemo" for i in range(1, 4)]
    read = read_export(("extra.txt", ("\n".join(lines) + "\n").encode()))
    assert read.rows_read == 0
    assert [p.reason for p in read.problems] == ["too_many_fields"] * 3


def test_big_excel_csv_with_multiline_values_and_bad_rows_keeps_exact_lines() -> None:
    """Threaded reader, serial re-parse and the quote-aware line map, all at once."""
    header = ",".join(SMALL)
    lines = [header]
    expected_good: list[int] = []
    expected_bad: list[int] = []
    line = 2
    for i in range(120_000):
        if i % 40_000 == 17:
            lines.append(f"B-{i},2026-05-01")
            expected_bad.append(line)
            line += 1
        elif i % 1000 == 3:
            lines.append(f'A-{i},2026-05-01,Shipped,"二行\r\nの商品, ""特価""",1')
            expected_good.append(line)
            line += 2
        else:
            lines.append(f"A-{i},2026-05-01,Shipped,plain,1")
            expected_good.append(line)
            line += 1
    read = read_export(("big.csv", ("\r\n".join(lines) + "\r\n").encode("cp932")))
    assert [p.line for p in read.problems] == expected_bad
    assert read.items["source_line"].tolist() == expected_good
    assert read.items["product_name"].iloc[3] == '二行\r\nの商品, "特価"'


def test_download_cut_inside_a_character_reports_the_last_row(
    capfd: pytest.CaptureFixture[str],
) -> None:
    rows = [
        "\t".join([f"A-{i}", "2026-05-01T10:00:00+09:00", "Shipped", "日本語の商品", "1"])
        for i in range(3)
    ]
    data = ("\t".join(SMALL) + "\n" + "\n".join(rows)).encode()
    cut = data[: data.rindex("商".encode()) + 1]  # the last row ends inside 商
    read = read_export(("cut.txt", cut))
    assert read.items["order_id"].tolist() == ["A-0", "A-1"]
    assert read.rows_in == read.rows_read + read.rows_rejected == 3
    assert {(p.line, p.rejected) for p in read.problems} == {(4, True), (4, False)}
    assert capfd.readouterr().err == ""  # no "Exception ignored" from pyarrow
