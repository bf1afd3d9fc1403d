"""The pandas steps the compiled address passes replaced: their reference in the tests.

Each function here is what ``sellerguard.address.assess`` did before the pass of the same
name (without ``_by_steps``) went into ``sellerguard.address.kernels``; the property tests
compare the two on random text.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from sellerguard.address.assess import (
    _HAS_KANJI_OR_DIGIT,
    _NONSENSE_WORDS,
    _PLACE_AND_BLOCK,
)
from sellerguard.address.normalise import extract_groups, join_text


def split_place_by_steps(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """``_split_place`` with pandas and RE2: the compiled pass's reference."""
    split = extract_groups(text, _PLACE_AND_BLOCK)
    return split["prefix"].fillna("").str.replace("第$", "", regex=True), split["suffix"].fillna("")


def nonsense_by_steps(lines: pd.Series) -> pd.Series:
    """``_nonsense`` with pandas and RE2: the compiled pass's reference."""
    text = lines.str.replace("[ \t\r\n\u3000]+", "", regex=True).fillna("")
    no_substance = ~text.str.contains(_HAS_KANJI_OR_DIGIT, regex=True)
    dummy = text.str.contains(_NONSENSE_WORDS, regex=True)
    short = text.str.len() <= 3
    one_char = np.zeros(len(text), dtype=bool)
    rows = short.to_numpy(dtype=bool)
    if rows.any():
        one_char[rows] = [len(set(v)) <= 1 for v in text[rows].tolist()]
    return (text != "") & (no_substance | dummy | pd.Series(one_char, index=lines.index))


def assemble_by_steps(
    texts: dict[str, pd.Series], matched: np.ndarray[Any, Any]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """``_assemble`` with pandas and Arrow joins: the compiled pass's reference."""
    index = texts["prefix"].index
    is_matched = pd.Series(matched, index=index)
    place = (texts["city"] + texts["town"] + texts["words"]).where(is_matched, texts["prefix"])
    building_key = join_text([place, texts["block"], texts["building"]], "|", index)
    address_key = join_text([building_key, texts["room"]], "|", index)
    street = join_text(
        [
            texts["prefecture"].fillna(""),
            texts["jp_city"].where(is_matched).fillna(""),
            texts["jp_town"].where(is_matched).fillna(""),
            texts["leftover"].where(is_matched, texts["prefix"]),
            texts["block"],
        ],
        "",
        index,
    )
    canonical = join_text(
        [street, *(texts[part].where(texts[part] != "") for part in ("building", "room"))],
        " ",
        index,
        skip_missing=True,
    )
    return building_key, address_key, canonical.str.strip().where(street.notna())
