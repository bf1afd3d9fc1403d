"""Linking key for person names (buyer and recipient).

The key folds what varies in typing but not in the person: NFKC (widths), every space
(``山田 太郎`` / ``山田　太郎`` / ``山田太郎``) and middle dot (``ジョン・スミス``), honorific
suffixes (様, さま, さん, 殿, 御中), letter case, and hiragana to katakana (``やまだ`` /
``ヤマダ``). It does not relate kanji to their readings (``山田`` and ``ヤマダ`` stay
different): that needs a dictionary and would link different people who share a reading.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd
import pyarrow as pa

from sellerguard.address.normalise import nfkc, spread, str_series, uniques_text

#: What ``kernels.katakana`` does, as a ``str.translate`` table (the tests' reference).
HIRAGANA_TO_KATAKANA = {code: code + 0x60 for code in range(0x3041, 0x3097)}
_SUFFIXES = r"(?:様|さま|サマ|さん|サン|殿|どの|御中)+$"


def normalise_name(names: pd.Series) -> pd.Series:
    """Return the linking key of each name (same index, ``str``; NA when empty).

    Parameters
    ----------
    names
        Names as typed (buyer-name, recipient-name).

    Returns
    -------
    pandas.Series
        NFKC, spaces and middle dots removed, honorifics stripped, upper-case Latin,
        hiragana as katakana.
    """
    found = distinct_name_keys(names)
    result = spread(found.keys, found.ids, names.index)
    result.name = names.name
    return result


@dataclass(frozen=True)
class DistinctNames:
    """The distinct names of a column and their keys.

    ``ids`` numbers each row's name by first appearance (-1: missing); ``names`` holds the
    names as typed and ``keys`` their linking keys (NA when empty), both in id order.
    """

    ids: np.ndarray
    names: pd.Series
    keys: pd.Series


def distinct_name_keys(names: pd.Series) -> DistinctNames:
    """:func:`normalise_name`'s keys once per distinct name, with the rows' ids."""
    from sellerguard.address import kernels  # numba loads on first use

    ids, uniques = pd.factorize(names.astype("str"), use_na_sentinel=True)
    distinct = uniques_text(uniques)
    text = nfkc(distinct).str.replace("[ \t\r\n・]+", "", regex=True)
    text = text.str.replace(_SUFFIXES, "", regex=True).str.upper()
    keys = str_series(kernels.katakana(pa.array(text.array)), text.index)
    return DistinctNames(ids.astype(np.int64), distinct, keys.where(keys != ""))
