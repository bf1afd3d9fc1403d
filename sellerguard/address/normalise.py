"""Text folding for Japanese addresses, applied alike to what buyers type and to Japan Post.

Every function works on a whole pandas ``str`` Series (pyarrow-backed, so most steps run in
C++); Python only runs per value for the rare kanji numerals next to a block marker.

Folding rules (documented here because linking keys depend on them):

- NFKC (full/half width, ``〒``-style symbols, compatibility ideographs such as ``塚``).
- Variant characters to one form: ``ヶ ヵ が → ケ``, ``ノ 之 → の``, ``﨑 嵜 碕 → 崎``,
  ``藪 → 薮``, ``髙 → 高``, ``濵 濱 → 浜``, ``邊 邉 → 辺`` and a few more (``VARIANTS``).
- Kyoto street directions to one spelling: ``上る 上がる → 上ル``, ``西入る 西入ル → 西入``.
- Hyphen look-alikes (``ー ― ‐ − – — ｰ ~``) after a digit or kanji numeral become ``-``.
- Kanji numerals become digits only directly before ``丁目 番 番地 号 地割`` (``番町`` is a town
  name and stays), between hyphens, and before ``条`` in Hokkaido only, so ``八幡``, ``四日市``,
  ``一条通``, ``三番町`` keep their names.
- ``1035の2`` becomes ``1035-2``; spaces disappear except between two ASCII letters/digits.
"""

from __future__ import annotations

import re

import pandas as pd

#: Variant characters folded to one form on both sides (typed text and Japan Post).
VARIANTS: dict[str, str] = {
    "ヶ": "ケ",
    "ヵ": "ケ",
    "が": "ケ",
    "ノ": "の",
    "之": "の",
    "﨑": "崎",
    "嵜": "崎",
    "碕": "崎",
    "藪": "薮",
    "髙": "高",
    "濵": "浜",
    "濱": "浜",
    "邊": "辺",
    "邉": "辺",
    "齋": "斎",
    "齊": "斎",
    "澤": "沢",
    "櫻": "桜",
    "槇": "槙",
    "冨": "富",
    "曾": "曽",
    "德": "徳",
    "舘": "館",
    "嶋": "島",
    "廣": "広",
    "瀨": "瀬",
    "龍": "竜",
    "國": "国",
    "眞": "真",
    "條": "条",
    "埜": "野",
    "峯": "峰",
    "淵": "渕",
    "檜": "桧",
    "驒": "騨",
    "栁": "柳",
    "鷗": "鴎",
    "籠": "篭",
    "ヱ": "エ",
    "ヰ": "イ",
}

_DIRECTIONS: tuple[tuple[str, str], ...] = (
    (r"上(?:が|ガ)?[るル]", "上ル"),
    (r"下(?:が|ガ)?[るル]", "下ル"),
    (r"西入[るル]?", "西入"),
    (r"東入[るル]?", "東入"),
)

KANJI_DIGITS = "〇一二三四五六七八九十百千"
_KANJI_VALUE = {c: i for i, c in enumerate("〇一二三四五六七八九")}
_KANJI_UNIT = {"十": 10, "百": 100, "千": 1000}
_DASHES = "ー―‐−–—⁃~〜"

# Kanji numerals before a block marker (番 but not 番町), between hyphens, or 第N地割.
_KANJI_NEAR_MARKER = re.compile(
    rf"[{KANJI_DIGITS}]+(?=丁目|番地|番(?!町)|号|地割)"
    rf"|(?<=[0-9]-)[{KANJI_DIGITS}]+"
    rf"|[{KANJI_DIGITS}]+(?=-[0-9{KANJI_DIGITS}])"
)
_KANJI_BEFORE_JO = re.compile(rf"[{KANJI_DIGITS}]+(?=条)")
_HAS_KANJI_NEAR_MARKER = rf"[{KANJI_DIGITS}](?:丁目|番|号|地割|条|-)|-[{KANJI_DIGITS}]"


def kanji_number(text: str) -> int:
    """Return the value of a kanji numeral: ``二十三`` → 23, ``二〇三`` → 203, ``十`` → 10."""
    if all(c in _KANJI_VALUE for c in text):
        return int("".join(str(_KANJI_VALUE[c]) for c in text))
    total, digit = 0, 0
    for char in text:
        if char in _KANJI_UNIT:
            total += (digit or 1) * _KANJI_UNIT[char]
            digit = 0
        else:
            digit = digit * 10 + _KANJI_VALUE[char]
    return total + digit


def _kanji_to_digits(match: re.Match[str]) -> str:
    return str(kanji_number(match.group(0)))


def _convert_kanji(text: str, hokkaido: bool) -> str:
    text = _KANJI_NEAR_MARKER.sub(_kanji_to_digits, text)
    if hokkaido:
        text = _KANJI_BEFORE_JO.sub(_kanji_to_digits, text)
    return text


def fold_place_series(values: pd.Series, prefecture: pd.Series | None = None) -> pd.Series:
    """Fold address text for comparison and linking (see the module docstring).

    Parameters
    ----------
    values
        Address text (any part: a whole address, a town name, a building).
    prefecture
        The prefecture of each value (same index) when known: numerals before ``条`` are
        converted only in 北海道.

    Returns
    -------
    pandas.Series
        ``str`` dtype, same index; NA stays NA.
    """
    text = values.astype("str").str.normalize("NFKC")
    text = text.str.replace(r"\s+", " ", regex=True).str.strip()
    text = text.str.replace(r"([^0-9A-Za-z]) ", r"\1", regex=True)
    text = text.str.replace(r" ([^0-9A-Za-z])", r"\1", regex=True)
    for pattern, spelling in _DIRECTIONS:
        text = text.str.replace(pattern, spelling, regex=True)
    for old, new in VARIANTS.items():
        text = text.str.replace(old, new, regex=False)
    text = text.str.replace(rf"([0-9{KANJI_DIGITS}])[{_DASHES}]+", r"\1-", regex=True)
    text = text.str.replace(r"-+", "-", regex=True)
    has_kanji = text.str.contains(_HAS_KANJI_NEAR_MARKER, regex=True).fillna(False)
    if bool(has_kanji.any()):
        subset = text[has_kanji]
        if prefecture is None:
            hokkaido = [False] * len(subset)
        else:
            hokkaido = (prefecture[has_kanji] == "北海道").fillna(False).tolist()
        converted = [_convert_kanji(v, h) for v, h in zip(subset.tolist(), hokkaido, strict=True)]
        text.loc[has_kanji] = pd.Series(converted, index=subset.index, dtype="str")
    for _ in range(2):
        text = text.str.replace(r"([0-9])の([0-9])", r"\1-\2", regex=True)
    return text


def fold_place(value: str, prefecture: str | None = None) -> str:
    """Fold one piece of address text (see :func:`fold_place_series`)."""
    pref = None if prefecture is None else pd.Series([prefecture], dtype="str")
    folded = fold_place_series(pd.Series([value], dtype="str"), pref).iloc[0]
    return "" if pd.isna(folded) else str(folded)


def town_match_key(town: pd.Series, prefecture: pd.Series) -> pd.Series:
    """Fold Japan Post town names the way typed text is folded, minus a leading 大字/字."""
    folded = fold_place_series(town, prefecture)
    return folded.str.replace(r"^大?字", "", regex=True)


# Block markers turned into hyphens once the town is cut off: 2丁目3番地4号 → 2-3-4.
MARKERS = (
    (r"第([0-9]+)地割", r"\1-"),
    (r"([0-9]+)地割", r"\1-"),
    (r"([0-9]+)(?:丁目|番地|番|号(?!室))", r"\1-"),
)


def block_markers_to_hyphens(rest: pd.Series) -> pd.Series:
    """Turn ``5丁目25番地13号`` into ``5-25-13-`` (room markers ``号室`` are kept)."""
    for pattern, replacement in MARKERS:
        rest = rest.str.replace(pattern, replacement, regex=True)
    return rest.str.replace(r"-+", "-", regex=True)


def block_of(rest: pd.Series) -> pd.Series:
    """Return the leading block numbers (``5-25-13``) of folded text, NA when none."""
    hyphenated = block_markers_to_hyphens(rest.astype("str"))
    return hyphenated.str.extract(r"^([0-9]+(?:-[0-9]+)*)", expand=False).astype("str")
