"""The compiled phone pass against the pandas steps it stands in for (phones.phone_key and
the shape patterns of phones._classify)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pyarrow as pa
from hypothesis import example, given, settings
from hypothesis import strategies as st

from sellerguard.address import phones

# Phone-like text: digits, every ASCII separator, the prefixes the fold rewrites, extension
# words in both cases, and now and then any printable ASCII character.
_PIECES = st.sampled_from(
    [
        *"0123456789",
        " ",
        "\t",
        "-",
        "(",
        ")",
        "[",
        "]",
        ".",
        "/",
        "+",
        "#",
        "+81",
        "0081",
        "81",
        "00",
        "ext",
        "EXT",
        "Ext",
        "内線",
        "０",
        "９",
        "ー",
        "\n",
        "x",
        "e",
        "t",
        "a",
    ]
)
# Numbers built the way the rules read them: a prefix that decides the shape, digits, maybe
# a separator or an extension.
_PREFIXES = st.sampled_from(
    [
        "0",
        "00",
        "000",
        "0120",
        "0800",
        "0570",
        "0990",
        "020",
        "050",
        "060",
        "070",
        "080",
        "090",
        "01",
        "03",
        "06",
        "04",
        "0601",
        "+81",
        "+810",
        "0081",
        "00810",
        "81",
        "+1",
        "+44",
        "001",
        "1",
        "9",
        "12345678",
        "98765432",
        "0123456",
        "1111",
        "0000",
    ]
)
_NUMBERS = st.builds(
    lambda prefix, digits, separator, suffix: prefix + separator.join(digits) + suffix,
    _PREFIXES,
    st.lists(st.text("0123456789", min_size=1, max_size=5), max_size=4),
    st.sampled_from(["", "", "-", " ", ")", "."]),
    st.sampled_from(["", "", "", "ext1", " EXT 22", "#3", "x", "\t"]),
)
_TEXT = st.one_of(
    _NUMBERS,
    st.lists(_PIECES, max_size=16).map("".join),
    st.text(st.characters(min_codepoint=32, max_codepoint=126), max_size=16),
)


def _fold(values: list[str | None]) -> tuple[pd.Series, np.ndarray, np.ndarray]:
    from sellerguard.address import phone_kernels

    folded, shapes, fallback = phone_kernels.fold_phones(pa.array(values, type=pa.string()))
    return pd.Series(pd.array(folded, dtype="str")), shapes, fallback


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(st.none(), _TEXT), min_size=1, max_size=30))
@example(["+81 90-1234-5678", "0081-3-1234-5678", "81312345678", "001-212-555-1234"])
@example(["03-1234-5678 ext 12", "0120-123-456", "0000000000", "0312345678#9", "0123456"])
@example(["+810312345678", "+8100", "0081", "8112345678901", "00", "000", "#", ""])
@example(["06012345678", "07012345678", "08012345678", "09012345678", "0601234567"])
@example(["0201234567", "0501234567", "0601234567", "0701234567", "0120123456", "0990123456"])
@example(["819012345678", "81312345678", "8103123456789", "810312345678", "8131234567"])
@example(["0355555555", "0011111111", "00810312345678", "0012", "00012", "0312345678ext9"])
def test_compiled_fold_and_shapes_match_the_pandas_steps(values: list[str | None]) -> None:
    keys, shapes, fallback = _fold(values)
    series = pd.Series(values, dtype="str")
    plain = np.asarray([v is None or all(c == "\t" or " " <= c <= "~" for c in v) for v in values])
    assert (fallback == ~plain).all()
    rows = np.flatnonzero(~fallback)
    expected = phones.phone_key(series.iloc[rows])
    assert keys.iloc[rows].tolist() == expected.tolist()
    assert shapes[rows].tolist() == phones._shapes_by_steps(expected).tolist()
    assert keys[fallback].isna().all() and (shapes[fallback] == 0).all()


def test_assessment_with_the_compiled_pass_equals_the_pandas_steps() -> None:
    """Whole facts, fallback rows included, against keys and problems found by pattern."""
    typed = [
        "090-1234-5678",
        "０９０－１２３４－５６７８",
        "03 (1234) 5678",
        "+81 3 1234 5678",
        "0120-444-444",
        "0570-000-000",
        "050-1234-5678",
        "000-0000-0000",
        "0312345678 内線 5",
        "+1 212 555 0100",
        "+44 20 7946 0958",
        "abc",
        "",
        " ",
        None,
        "0311112222",
        "12345678",
    ]
    distinct = pd.DataFrame({"phone": pd.Series(typed, dtype="str")})
    facts = phones._assess_distinct(distinct)
    keys = phones.phone_key(distinct["phone"])
    typed_flags = (distinct["phone"].str.strip().fillna("") != "").to_numpy(dtype=bool)
    pd.testing.assert_series_equal(facts["phone_key"], keys, check_names=False)
    pd.testing.assert_series_equal(
        facts["phone_problem"], phones._classify(keys, typed_flags), check_names=False
    )
    assert facts["phone_problem"].notna().sum() >= 5


@settings(deadline=None)  # the first example loads the compiled pass
@given(
    st.lists(
        st.one_of(
            st.none(),
            st.text("0123456789+", max_size=20),
            st.text("0123456789+x-", max_size=6),
            st.sampled_from(["0312345678", "+12125551234", "0" * 17, "0" * 18, "1" * 17]),
        ),
        max_size=40,
    )
)
def test_phone_key_codes_from_numbers_equal_the_codes_of_the_text(
    keys: list[str | None],
) -> None:
    from sellerguard.address.normalise import codes

    series = pd.Series(keys, dtype="str")
    assert phones._key_codes(series).tolist() == codes(series).tolist()
