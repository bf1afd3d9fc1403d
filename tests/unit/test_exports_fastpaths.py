"""The shortcuts the readers and the merge take on large files give the exact results of the
general paths they replace."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pytest
from test_exports_factory import (
    ALL_ORDERS_HEADER,
    ORDER_REPORT_HEADER,
    all_orders_row,
    export_bytes,
    order_report_row,
)

from sellerguard.exports import OrderSet, read_export, read_exports
from sellerguard.exports import merge as merge_module
from sellerguard.exports import values as values_module
from sellerguard.exports.values import constant_text, empty_column, strip_key


def exact_strip(values: pa.ChunkedArray) -> list[str | None]:
    """What ``strip_key`` returns, computed the long way."""
    unwrapped = pc.replace_substring_regex(values, r'^="(.*)"$', r"\1")
    trimmed = pc.utf8_trim_whitespace(unwrapped)
    return [None if v in (None, "") else v for v in trimmed.to_pylist()]


@pytest.mark.parametrize(
    "texts",
    [
        ["A-1", "B-2", None],
        [" A-1", "B-2"],
        ["A-1 ", "B-2"],
        ["A-1\t", "B-2"],
        ['="0123"', "B-2"],
        ["x=", "=x"],
        ["ＡＢ", "B-2"],
        ["A-1\u3000", "B-2"],
        [" ", "B-2"],
        [None, None],
    ],
)
def test_strip_key_shortcut_matches_the_exact_trim(texts: list[str | None]) -> None:
    whole = pa.array(texts, pa.large_string())
    # several chunks, one of them a slice with a non-zero offset
    chunked = pa.chunked_array([whole, whole.slice(1), pa.array([], pa.large_string())])
    assert strip_key(chunked).to_pylist() == exact_strip(chunked)


def test_plain_ends_answers_true_only_when_nothing_can_change() -> None:
    plain = pa.chunked_array([pa.array(["A-1", None, "ASIN"], pa.large_string())])
    assert values_module._plain_ends(plain)
    for odd in (" A", "A ", '="A"', "あ", "A\r"):
        values = pa.chunked_array([pa.array(["A-1", odd], pa.large_string())])
        assert not values_module._plain_ends(values), odd
    assert not values_module._plain_ends(pa.chunked_array([pa.array(["A"], pa.string())]))


@pytest.mark.parametrize("n", [0, 1, 7, 1 << 16, (1 << 16) + 3, 3 * (1 << 16)])
def test_constant_text_repeats_the_value_from_one_shared_block(n: int) -> None:
    series = constant_text("orders.txt", n)
    assert len(series) == n
    assert pd.api.types.is_string_dtype(series.dtype)
    assert series.eq("orders.txt").all()
    arrow = pa.array(series.array)
    chunks = arrow.chunks if isinstance(arrow, pa.ChunkedArray) else [arrow]
    data_buffers = {chunk.buffers()[2].address for chunk in chunks if chunk.buffers()[2]}
    assert len(data_buffers) <= 1


def test_empty_datetime_column_is_tokyo_nat() -> None:
    empty = empty_column("datetime", 4)
    expected = pd.Series(np.full(4, np.datetime64("NaT"), "datetime64[ns]")).dt.tz_localize(
        "Asia/Tokyo"
    )
    assert empty.dtype == expected.dtype
    assert empty.equals(expected)


def test_newline_count_in_slices(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(values_module, "_COUNT_CHUNK", 5)
    payload = b"a\nbb\n\nccc\r\ndddd\neeeee\n"
    assert values_module.count_byte(payload, 10) == payload.count(b"\n")
    assert values_module.count_byte(bytearray(payload), 13) == 1
    assert values_module.count_byte(b"", 10) == 0


@pytest.mark.parametrize("seed", range(6))
def test_precedence_order_is_the_four_key_sort(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n = 400
    codes = rng.integers(-1, 60, n)
    rank = rng.integers(0, 6, n)
    file_codes = np.sort(rng.integers(0, 3, n))
    lines = rng.integers(2, 30, n)
    if seed % 2:
        # file by file in line order: the stable-sort shortcut applies
        lines = np.concatenate([np.sort(lines[file_codes == f]) for f in np.unique(file_codes)])
    expected = np.lexsort((lines, file_codes, rank, codes))
    got = merge_module._precedence_order(codes, rank, file_codes, lines)
    assert np.array_equal(got, expected)


@pytest.mark.parametrize("seed", range(6))
def test_first_ranked_picks_what_a_full_sort_picks(seed: int) -> None:
    rng = np.random.default_rng(seed)
    n_groups = 50
    size = 300
    low = -1 if seed == 0 else 0
    group = rng.integers(low, n_groups, size)
    keys = (rng.integers(0, 3, size).astype(np.float64), rng.integers(0, 2, size))
    ranked = np.lexsort((np.arange(size), *keys, group))
    sorted_groups = group[ranked]
    head = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
    expected = np.full(n_groups, -1, dtype=np.int64)
    expected[sorted_groups[head]] = ranked[head]
    assert np.array_equal(merge_module._first_ranked(group, keys, n_groups), expected)
    empty = merge_module._first_ranked(np.zeros(0, dtype=np.int64), (), 3)
    assert empty.tolist() == [-1, -1, -1]


def test_an_order_without_any_sku_gets_no_other_orders_skus() -> None:
    items = pd.DataFrame(
        {
            "order_id": ["A", "A", "B", "C"],
            "sku": ["s2", "s1", None, "s3"],
            "source_kind": ["all_orders"] * 4,
            "source_file": ["f.txt"] * 4,
            "source_line": [2, 3, 4, 5],
        }
    )
    orders = OrderSet.from_items(items).orders.set_index("order_id")
    assert orders.loc["A", "skus"] == "s1|s2"
    assert pd.isna(orders.loc["B", "skus"])
    assert orders.loc["C", "skus"] == "s3"
    assert orders["sources"].tolist() == ["f.txt:2;f.txt:3", "f.txt:4", "f.txt:5"]


def test_sources_skip_rows_without_a_file_name() -> None:
    items = pd.DataFrame(
        {
            "order_id": ["A", "A", "B"],
            "sku": ["s1", "s1", "s2"],
            "source_kind": ["all_orders"] * 3,
            "source_file": ["f.txt", None, None],
            "source_line": [2, 3, 4],
        }
    )
    orders = OrderSet.from_items(items).orders.set_index("order_id")
    assert orders.loc["A", "sources"] == "f.txt:2"
    assert pd.isna(orders.loc["B", "sources"])


def two_files() -> list[tuple[str, bytes]]:
    all_orders = export_bytes(
        ALL_ORDERS_HEADER,
        [all_orders_row("A-1", sku="S1"), all_orders_row("A-2", sku="S2", quantity="2")],
    )
    report = export_bytes(
        ORDER_REPORT_HEADER,
        [order_report_row("A-2", "21", sku="S2"), order_report_row("A-3", "31")],
    )
    return [("all.txt", all_orders), ("orders.txt", report)]


def test_stacked_items_equal_a_plain_concat_and_reads_keep_their_own_rows() -> None:
    files = two_files()
    merged = read_exports(files)
    alone = [read_export(source).items for source in files]
    expected = pd.concat(alone, ignore_index=True)
    assert list(merged.items.columns) == list(expected.columns)
    assert (merged.items.dtypes == expected.dtypes).all()
    assert merged.items.equals(expected)
    for read, items in zip(merged.reads, alone, strict=True):
        assert read.items.equals(items)
    # a column no file has is all NA, with its canonical dtype
    assert merged.items["refund_amount"].isna().all()
    assert str(merged.items["refund_amount"].dtype) == "Float64"
    assert merged.items["return_date"].isna().all()


def test_read_exports_merges_like_merge_orders_over_its_items() -> None:
    merged = read_exports(two_files())
    rebuilt = merge_module.merge_orders(merged.items)
    assert merged.orders.equals(rebuilt)
    assert (merged.orders.dtypes == rebuilt.dtypes).all()


def _amazon_ids(rng: np.random.Generator, n: int) -> list[str]:
    parts = rng.integers(0, [1000, 10**7, 10**7], size=(n, 3))
    return [f"{a:03d}-{b:07d}-{c:07d}" for a, b, c in parts.tolist()]


@pytest.mark.parametrize("large", [False, True])
def test_amazon_order_numbers_spell_the_ids_digits_in_every_chunk_and_slice(large: bool) -> None:
    ids = ["000-0000000-0000000", "999-9999999-9999999", "503-1234567-0000001", "250-0000001-2"]
    kind = pa.large_string() if large else pa.string()
    chunked = pa.chunked_array(
        [pa.array(ids[:3], kind).slice(1), pa.array([], kind), pa.array(ids[:2], kind)]
    )
    numbers = values_module.amazon_order_numbers(chunked)
    assert numbers is not None
    assert numbers.tolist() == [
        99_999_999_999_999_999,
        50_312_345_670_000_001,
        0,
        99_999_999_999_999_999,
    ]
    assert values_module.amazon_order_numbers(pa.array([], kind)) is not None


@pytest.mark.parametrize(
    "odd",
    [
        "503-1234567-123456",  # one digit short
        "503-1234567-12345678",  # one digit more
        "503-1234567/1234567",  # another separator
        "5031-234567-1234567",  # hyphen in another place
        "503-12345a7-1234567",  # a letter
        "503-1234567-123456７",  # a full-width digit: 21 bytes
        "503-1234567-1234 67",  # a space
        "",
        None,
    ],
)
def test_amazon_order_numbers_refuse_any_other_shape(odd: str | None) -> None:
    values = pa.array(["503-1234567-1234567", odd, "503-1234567-1234568"])
    assert values_module.amazon_order_numbers(values) is None
    assert values_module.amazon_order_numbers(pa.array([odd, odd])) is None


@pytest.mark.parametrize("seed", [1, 2])
def test_order_ids_factorise_as_the_strings_do(seed: int) -> None:
    rng = np.random.default_rng(seed)
    distinct = _amazon_ids(rng, 500)
    ids = pd.Series(rng.choice(np.array(distinct, dtype=object), 3000), dtype="str")
    for values in (ids, pd.concat([ids, pd.Series(["S-00012"], dtype="str")], ignore_index=True)):
        codes, first_rows = merge_module._factorize_order_ids(values)
        expected_codes, expected_uniques = pd.factorize(values)
        assert codes.tolist() == expected_codes.tolist()
        assert values.take(first_rows).tolist() == list(expected_uniques)
        assert first_rows.tolist() == sorted(
            {code: row for row, code in reversed(list(enumerate(codes)))}.values()
        )
