"""The compiled address passes give exactly what the pandas steps give (their reference)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from address_reference import (
    assemble_by_steps,
    nonsense_by_steps,
    split_place_by_steps,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerguard.address import kernels
from sellerguard.address.assess import (
    _assemble,
    _nonsense,
    _split_block,
    _split_block_by_steps,
    _split_place,
)
from sellerguard.address.normalise import (
    _fold_by_steps,
    character_tables,
    fold_place_series,
    nfkc,
)

# Every character some step looks at, their look-alikes, and ones the passes leave to pandas.
_ADDRESS_CHARACTERS = (
    "0123456789aZNob.#№-ー―‐−~〜 \t\r\n　上下がガるル西東入ノの之ヶヵケ﨑崎髙ア"
    "〇一二三四五六七八九十百千丁目番地号室割条線区町内第ハイツビル・ﾊｲﾂ１２Ａ－"
    "\x0b\x85\u2028\ue000😀"
)
_VALUES = st.lists(
    st.one_of(st.none(), st.text(alphabet=_ADDRESS_CHARACTERS, max_size=24)),
    min_size=1,
    max_size=20,
)
_CLEAN = st.lists(st.text(alphabet=_ADDRESS_CHARACTERS, max_size=24), min_size=1, max_size=20)
_SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _listed(series: pd.Series) -> list[str | None]:
    return [None if pd.isna(v) else str(v) for v in series.tolist()]


@_SETTINGS
@given(values=_VALUES, hokkaido=st.booleans())
def test_folding_matches_the_pandas_steps(values: list[str | None], hokkaido: bool) -> None:
    text = pd.Series(values, dtype="str")
    prefecture = pd.Series(["北海道" if hokkaido else "東京都"] * len(values), dtype="str")
    assert _listed(fold_place_series(text, prefecture)) == _listed(_fold_by_steps(text, prefecture))


@_SETTINGS
@given(values=_CLEAN)
def test_place_split_matches_the_pattern(values: list[str]) -> None:
    text = fold_place_series(pd.Series(values, dtype="str")).fillna("")
    place, rest = _split_place(text)
    expected_place, expected_rest = split_place_by_steps(text)
    assert place.tolist() == expected_place.tolist()
    assert rest.tolist() == expected_rest.tolist()


@_SETTINGS
@given(values=_CLEAN)
def test_block_split_matches_the_pandas_steps(values: list[str]) -> None:
    suffix = pd.Series(values, dtype="str")
    assert _split_block(suffix).to_dict("list") == _split_block_by_steps(suffix).to_dict("list")


_PART = st.text(alphabet="東京都港区1-2 \u3000\x0b\x85aB|ビル号", max_size=6)


@_SETTINGS
@given(
    rows=st.lists(
        st.tuples(
            *([_PART] * 8),
            *([st.one_of(st.none(), _PART)] * 3),
            st.booleans(),
        ),
        min_size=1,
        max_size=20,
    )
)
def test_keys_and_canonical_text_match_the_pandas_steps(rows: list[tuple[object, ...]]) -> None:
    texts = {
        name: pd.Series([row[i] for row in rows], dtype="str")
        for i, name in enumerate(kernels.ASSEMBLY_PARTS)
    }
    matched = np.array([bool(row[-1]) for row in rows])
    for got, expected in zip(
        _assemble(texts, matched), assemble_by_steps(texts, matched), strict=True
    ):
        assert _listed(got) == _listed(expected)


@_SETTINGS
@given(values=st.lists(st.one_of(st.none(), st.text(max_size=12)), min_size=1, max_size=20))
def test_katakana_is_the_translate_table(values: list[str | None]) -> None:
    from sellerguard.address.names import HIRAGANA_TO_KATAKANA

    mixed = [None if v is None else v + "ぁゖ゗ゝあ、ア" for v in values]
    folded = kernels.katakana(pa.array(mixed, type=pa.string())).to_pylist()
    assert folded == [None if v is None else v.translate(HIRAGANA_TO_KATAKANA) for v in mixed]


_LINE_CHARACTERS = " \t\r\n　aあア山々〆0０9９TeStsſダミテスト不明なしxX×*＊-"


@_SETTINGS
@given(values=st.lists(st.text(alphabet=_LINE_CHARACTERS, max_size=12), min_size=1, max_size=20))
def test_nonsense_lines_match_the_pandas_steps(values: list[str]) -> None:
    lines = pd.Series(values, dtype="str")
    assert _nonsense(lines).tolist() == nonsense_by_steps(lines).tolist()


@pytest.mark.parametrize(
    ("line", "nonsense"),
    [
        ("テ スト", True),
        ("あああ", True),
        ("ａ", True),
        ("山田ビル", False),
        ("  ", False),
        ("1-2-3", False),
        ("ああい", True),
        ("ハイツ", True),
        ("sample 1", True),
    ],
)
def test_nonsense_lines(line: str, nonsense: bool) -> None:
    assert _nonsense(pd.Series([line], dtype="str")).tolist() == [nonsense]


@pytest.mark.parametrize(
    ("value", "folded"),
    [
        ("京都市中京区河原町通東入る中島町 ７４", "京都市中京区河原町通東入中島町74"),
        ("上がる 下ル 西入ル", "上ル下ル西入"),
        ("新宮市新町五丁目25番13号", "新宮市新町5丁目25番13号"),
        ("1035の2 ハイツ・ノ辺 B 101", "1035-2ハイツ・の辺B 101"),
        ("竜ヶ崎市 ２ー３ーー４", "竜ケ崎市2-3-4"),
    ],
)
def test_compiled_folding_on_written_addresses(value: str, folded: str) -> None:
    text = pd.Series([value], dtype="str")
    classes, variants = character_tables()
    _, fallback = kernels.fold(pa.array(nfkc(text).array), classes, variants)
    assert fallback.tolist() == [False]  # the compiled pass folded it
    assert fold_place_series(text).tolist() == [folded]


@pytest.mark.parametrize(
    "value",
    [
        "1-2\x0b3",  # a control character
        "1-2\u20283",  # a line separator
        "一〇二三四五六七八九一二三四五六七八九〇番地",  # 20 numerals: beyond 64 bits
    ],
)
def test_values_the_compiled_fold_leaves_to_pandas(value: str) -> None:
    classes, variants = character_tables()
    _, fallback = kernels.fold(pa.array([value, "1-2-3"]), classes, variants)
    assert fallback.tolist() == [True, False]
    text = pd.Series([value], dtype="str")
    pref = pd.Series(["北海道"], dtype="str")
    assert _listed(fold_place_series(text, pref)) == _listed(_fold_by_steps(text, pref))


@pytest.mark.parametrize(
    ("value", "hokkaido", "folded"),
    [
        ("札幌市中央区北一条西二丁目", True, "札幌市中央区北1条西2丁目"),
        ("京都市中京区三条通", False, "京都市中京区三条通"),  # 条 converts in Hokkaido only
        ("三番町二十三番地", False, "三番町23番地"),  # 番町 is a town name
        ("阿三二丁目", False, "阿三2丁目"),  # a town name ending in a numeral
        ("小百五丁目", False, "小百5丁目"),
        ("二〇三号", False, "203号"),
        ("五-十二", False, "5-12"),
        ("第十一地割", False, "第11地割"),
        ("千番", False, "1000番"),  # longer as digits than as kanji
        ("千-千-千-千", False, "1000-1000-1000-1000"),
    ],
)
def test_kanji_numerals_in_the_compiled_fold(value: str, hokkaido: bool, folded: str) -> None:
    text = pd.Series([value], dtype="str")
    pref = pd.Series(["北海道" if hokkaido else "京都府"], dtype="str")
    classes, variants = character_tables()
    _, fallback = kernels.fold(pa.array([value]), classes, variants, np.array([hokkaido]))
    assert fallback.tolist() == [False]
    assert fold_place_series(text, pref).tolist() == [folded]
    assert _listed(_fold_by_steps(text, pref)) == [folded]


def test_block_split_leaves_newlines_and_private_use_to_pandas() -> None:
    classes = character_tables()[0]
    *_, fallback = kernels.split_block(
        pa.array(["1-2\n3", "1\ue000", "5-25-13 ビル101号室"]), classes
    )
    assert fallback.tolist() == [True, True, False]
    suffix = pd.Series(["1-2\n3", "1\ue000", "5-25-13 ビル101号室"], dtype="str")
    parts = _split_block(suffix)
    assert parts.to_dict("list") == _split_block_by_steps(suffix).to_dict("list")
    assert parts.iloc[2].tolist() == ["5-25-13", "ビル", "101"]


def test_string_buffers_of_a_sliced_chunked_array_with_nulls() -> None:
    """Offsets into a slice, several chunks and nulls survive the trip through the buffers."""
    chunked = pa.chunked_array([["x", None, "一丁目"], ["ノ", "abc"]]).slice(1, 3)
    data, offsets, valid = kernels.string_buffers(chunked)
    assert valid.tolist() == [False, True, True]
    rebuilt = kernels.string_array(data[offsets[0] : offsets[-1]], offsets - offsets[0], valid)
    assert rebuilt.to_pylist() == [None, "一丁目", "ノ"]
    classes, variants = character_tables()
    folded, fallback = kernels.fold(chunked, classes, variants)
    assert folded.to_pylist() == [None, "1丁目", "の"]
    assert not fallback.any()
