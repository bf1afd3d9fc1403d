"""Phone keys and phone problems, and the name linking key."""

from __future__ import annotations

import pandas as pd
import pytest

from sellerguard.address import PHONE_PROBLEMS, assess_phones, normalise_name
from sellerguard.i18n import t


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("090-2726-9582", "09027269582"),
        ("09027269582", "09027269582"),
        ("+81 90-2726-9582", "09027269582"),
        ("+81(0)90 2726 9582", "09027269582"),
        ("0081-90-2726-9582", "09027269582"),
        ("８１９０２７２６９５８２", "09027269582"),
        ("０９０－２７２６－９５８２", "09027269582"),
        ("090ー2726ー9582", "09027269582"),
        ("(052)477-4190", "0524774190"),
        ("（052）477‐4190", "0524774190"),
        ("052.477.4190", "0524774190"),
        ("03 5412 7000", "0354127000"),
    ],
)
def test_phone_key_folds_typing_variants(typed: str, key: str) -> None:
    facts = assess_phones(pd.DataFrame({"ship_phone": [typed]}, dtype="str"))
    assert facts.loc[0, "phone_key"] == key
    assert pd.isna(facts.loc[0, "phone_problem"])


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("0120-123-456", "phone_service"),
        ("0800-170-3111", "phone_service"),
        ("0570-078-374", "phone_service"),
        ("050-3188-7341", "phone_service"),
        ("020-4617-2233", "phone_service"),
        ("0990-519-310", "phone_service"),
        ("000-0000-0000", "phone_placeholder"),
        ("090-0000-0000", "phone_placeholder"),
        ("1111111111", "phone_placeholder"),
        ("0123456789", "phone_placeholder"),
        ("03-1234-5678", "phone_placeholder"),
        ("123", "phone_invalid"),
        ("03-5412-700", "phone_invalid"),
        ("090-2726-95821", "phone_invalid"),
        ("なし", "phone_invalid"),
        ("+1 650 253 00", "phone_invalid"),
        ("090-1234-567", "phone_invalid"),
        ("050-3188-734", "phone_invalid"),
        ("0120-123-4567", "phone_invalid"),
    ],
)
def test_phone_problems(typed: str, problem: str) -> None:
    facts = assess_phones(pd.DataFrame({"ship_phone": [typed]}, dtype="str"))
    assert facts.loc[0, "phone_problem"] == problem


@pytest.mark.parametrize(
    "typed",
    [
        "03-5412-7000",
        "06-6366-6183",
        "0297-80-2827",
        "011-211-1467",
        "070-1725-7810",
        "060-4132-5678",
        # A range phonenumbers lists as unallocated: not called invalid (see phones.py).
        "011-914-3509",
        "+1 650-253-0000",
    ],
)
def test_ordinary_numbers_pass(typed: str) -> None:
    facts = assess_phones(pd.DataFrame({"ship_phone": [typed]}, dtype="str"))
    assert pd.isna(facts.loc[0, "phone_problem"])


def test_buyer_phone_is_the_fallback_and_index_is_kept() -> None:
    orders = pd.DataFrame(
        {
            "ship_phone": ["090-2726-9582", None, "", None],
            "buyer_phone": ["03-5412-7000", "06-6366-6183", "0297-80-2827", None],
        },
        index=["a", "b", "c", "d"],
        dtype="str",
    )
    facts = assess_phones(orders)
    assert facts["phone_key"].tolist()[:3] == ["09027269582", "0663666183", "0297802827"]
    assert pd.isna(facts.loc["d", "phone_key"])
    assert pd.isna(facts.loc["d", "phone_problem"])
    assert list(facts.index) == ["a", "b", "c", "d"]
    assert isinstance(facts["phone_problem"].dtype, pd.CategoricalDtype)


def test_every_phone_problem_is_explained() -> None:
    for kind in PHONE_PROBLEMS:
        for lang in ("ja", "en"):
            assert t(f"phone.problem.{kind}", lang)


def test_name_key_folds_spaces_widths_honorifics_and_kana() -> None:
    names = pd.Series(
        [
            "山田 太郎 様",
            "山田　太郎",
            "山田太郎さん",
            "やまだ たろう",
            "ﾔﾏﾀﾞ ﾀﾛｳ",
            None,
            "  ",
            "john SMITH",
        ],
        index=range(10, 18),
        dtype="str",
    )
    keys = normalise_name(names)
    assert keys.tolist()[:5] == ["山田太郎", "山田太郎", "山田太郎", "ヤマダタロウ", "ヤマダタロウ"]
    assert pd.isna(keys.iloc[5]) and pd.isna(keys.iloc[6])
    assert keys.iloc[7] == "JOHNSMITH"
    assert list(keys.index) == list(range(10, 18))
