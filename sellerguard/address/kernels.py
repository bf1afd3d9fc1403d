"""Compiled (numba) passes over address text: folding and splitting in one pass per value.

The folding of :mod:`sellerguard.address.normalise` and the block split of
:mod:`sellerguard.address.assess` are a dozen regular-expression passes each; over half a
million distinct addresses those passes were most of a scan's time. Here each value is
decoded once from the Arrow string buffers, every step runs on its code points, and the
result is written straight into new Arrow buffers: no Python string is made.

Each kernel does exactly what the pandas steps do (the property tests compare the two on
random text), and hands back a ``fallback`` flag for the values it does not take on: text
with control characters, unusual whitespace or private-use characters, and runs of kanji
numerals too long for 64-bit numbers. The caller runs the pandas steps on those rows, so
the result is the same either way.

Compiled code is cached (:mod:`sellerguard.jit`): the first scan on a machine compiles for
a few seconds, later ones load it.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from sellerguard.jit import njit as _njit

# Character classes (bit flags), looked up by code point below U+10000.
_DIGIT = 1  # 0-9
_KANJI_DIGIT = 2  # 〇一二三四五六七八九十百千
_DASH = 4  # ー―‐−–—⁃~〜
_STRANGE = 8  # control characters, unusual whitespace, private use: left to pandas
_KATAKANA = 16  # [ァ-ヺー]
_ALNUM = 32  # [0-9A-Za-z]
_LETTER = 64  # [A-Za-z]
_SPACE = 128  # space, tab, CR, LF

_BMP = 0x10000


def character_classes(kanji_digits: str, dashes: str) -> np.ndarray[Any, Any]:
    table = np.zeros(_BMP, dtype=np.uint8)
    for c in "0123456789":
        table[ord(c)] |= _DIGIT | _ALNUM
    for c in "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz":
        table[ord(c)] |= _LETTER | _ALNUM
    for c in kanji_digits:
        table[ord(c)] |= _KANJI_DIGIT
    for c in dashes:
        table[ord(c)] |= _DASH
    table[0x30A1 : 0x30FA + 1] |= _KATAKANA
    table[0x30FC] |= _KATAKANA
    for c in " \t\r\n":
        table[ord(c)] |= _SPACE
    strange = [
        *range(0x00, 0x09),
        0x0B,
        0x0C,
        *range(0x0E, 0x20),
        *range(0x7F, 0xA1),
        0x1680,
        0x180E,
        *range(0x2000, 0x2010),
        *range(0x2028, 0x2030),
        *range(0x205F, 0x2070),
        0x3000,
        0xFEFF,
        *range(0xE000, 0xF900),
    ]
    for code in strange:
        table[code] |= _STRANGE
    return table


def variant_map(variants: dict[str, str]) -> np.ndarray[Any, Any]:
    table = np.arange(_BMP, dtype=np.int32)
    for source, target in variants.items():
        if source != "ノ":  # the particle depends on its neighbours
            table[ord(source)] = ord(target)
    return table


# ---------------------------------------------------------------------------------------
# UTF-8 in and out


@_njit
def _decode(data: Any, start: int, end: int, out: Any) -> int:
    n = 0
    i = start
    while i < end:
        b = np.int32(data[i])
        if b < 0x80:
            c = b
            i += 1
        elif b < 0xE0:
            c = ((b & 0x1F) << 6) | (np.int32(data[i + 1]) & 0x3F)
            i += 2
        elif b < 0xF0:
            c = (
                ((b & 0x0F) << 12)
                | ((np.int32(data[i + 1]) & 0x3F) << 6)
                | (np.int32(data[i + 2]) & 0x3F)
            )
            i += 3
        else:
            c = (
                ((b & 0x07) << 18)
                | ((np.int32(data[i + 1]) & 0x3F) << 12)
                | ((np.int32(data[i + 2]) & 0x3F) << 6)
                | (np.int32(data[i + 3]) & 0x3F)
            )
            i += 4
        out[n] = c
        n += 1
    return n


@_njit
def _encode(cps: Any, start: int, end: int, out: Any, pos: int) -> int:
    for k in range(start, end):
        c = cps[k]
        if c < 0x80:
            out[pos] = c
            pos += 1
        elif c < 0x800:
            out[pos] = 0xC0 | (c >> 6)
            out[pos + 1] = 0x80 | (c & 0x3F)
            pos += 2
        elif c < 0x10000:
            out[pos] = 0xE0 | (c >> 12)
            out[pos + 1] = 0x80 | ((c >> 6) & 0x3F)
            out[pos + 2] = 0x80 | (c & 0x3F)
            pos += 3
        else:
            out[pos] = 0xF0 | (c >> 18)
            out[pos + 1] = 0x80 | ((c >> 12) & 0x3F)
            out[pos + 2] = 0x80 | ((c >> 6) & 0x3F)
            out[pos + 3] = 0x80 | (c & 0x3F)
            pos += 4
    return pos


@_njit
def _longest(offsets: Any) -> int:
    """The length in bytes of the longest value (at least 1)."""
    longest = 1
    for v in range(len(offsets) - 1):
        longest = max(longest, offsets[v + 1] - offsets[v])
    return longest


@_njit
def _flags(classes: Any, c: int) -> int:
    return int(classes[c]) if c < _BMP else 0


# ---------------------------------------------------------------------------------------
# Folding (normalise.fold_place_series after NFKC)

_UE, _SHITA, _GA_HIRA, _GA_KATA, _RU_HIRA, _RU_KATA = (ord(c) for c in "上下がガるル")
_NISHI, _HIGASHI, _IRI = (ord(c) for c in "西東入")
_NO_KATA, _NO_HIRA = ord("ノ"), ord("の")
_CHO, _ME, _BAN, _GO, _JO, _CHI, _WARI = (ord(c) for c in "丁目番号条地割")
_HYPHEN, _BLANK = ord("-"), ord(" ")
_ZERO_K, _TEN_K, _HUNDRED_K, _THOUSAND_K = (ord(c) for c in "〇十百千")
_SIMPLE_DIGITS = np.array([ord(c) for c in "一二三四五六七八九"], dtype=np.int32)


@_njit
def _fold_spaces(src: Any, n: int, dst: Any, classes: Any) -> int:
    """``[ \\t\\r\\n]+`` → one space, strip, then drop spaces not between two ASCII alnums
    (the regex ``([^0-9A-Za-z]) | ([^0-9A-Za-z])`` → ``\\1\\2``, or all of them when no
    ASCII letter or digit is followed by a space)."""
    m = 0
    previous_space = False
    for k in range(n):
        c = src[k]
        if _flags(classes, c) & _SPACE:
            if not previous_space:
                dst[m] = _BLANK
                m += 1
            previous_space = True
        else:
            dst[m] = c
            m += 1
            previous_space = False
    start = 0
    while start < m and dst[start] == _BLANK:
        start += 1
    end = m
    while end > start and dst[end - 1] == _BLANK:
        end -= 1
    between = False
    for k in range(start, end - 1):
        if dst[k + 1] == _BLANK and _flags(classes, dst[k]) & _ALNUM:
            between = True
            break
    out = 0
    i = start
    if between:
        while i < end:
            c = dst[i]
            if i + 1 < end and not (_flags(classes, c) & _ALNUM) and dst[i + 1] == _BLANK:
                src[out] = c
                out += 1
                i += 2
            elif c == _BLANK and i + 1 < end and not (_flags(classes, dst[i + 1]) & _ALNUM):
                src[out] = dst[i + 1]
                out += 1
                i += 2
            else:
                src[out] = c
                out += 1
                i += 1
    else:
        while i < end:
            if dst[i] != _BLANK:
                src[out] = dst[i]
                out += 1
            i += 1
    for k in range(out):
        dst[k] = src[k]
    return out


@_njit
def _fold_directions(src: Any, n: int, dst: Any) -> int:
    """Kyoto directions: ``上(が|ガ)?(る|ル)`` → 上ル (下 alike), ``西入(る|ル)?`` → 西入 (東 alike)."""
    m = 0
    i = 0
    while i < n:
        c = src[i]
        if c in (_UE, _SHITA):
            j = i + 1
            if j < n and (src[j] == _GA_HIRA or src[j] == _GA_KATA):
                j += 1
            if j < n and (src[j] == _RU_HIRA or src[j] == _RU_KATA):
                dst[m] = c
                dst[m + 1] = _RU_KATA
                m += 2
                i = j + 1
                continue
        elif (c in (_NISHI, _HIGASHI)) and i + 1 < n and src[i + 1] == _IRI:
            dst[m] = c
            dst[m + 1] = _IRI
            m += 2
            i += 2
            if i < n and (src[i] == _RU_HIRA or src[i] == _RU_KATA):
                i += 1
            continue
        dst[m] = c
        m += 1
        i += 1
    return m


@_njit
def _fold_variants(src: Any, n: int, dst: Any, classes: Any, variants: Any) -> None:
    """Variant characters to one form, then ノ → の outside katakana words (same length)."""
    for k in range(n):
        c = src[k]
        dst[k] = variants[c] if c < _BMP else c
    for k in range(n):
        c = dst[k]
        if c == _NO_KATA:
            before = k > 0 and (_flags(classes, dst[k - 1]) & _KATAKANA) != 0
            after = k + 1 < n and (_flags(classes, dst[k + 1]) & _KATAKANA) != 0
            src[k] = c if (before or after) else _NO_HIRA
        else:
            src[k] = c
    for k in range(n):
        dst[k] = src[k]


@_njit
def _collapse_hyphens(src: Any, n: int, dst: Any) -> int:
    """``-+`` → ``-`` from ``src`` into ``dst``; return the new length."""
    m = 0
    for k in range(n):
        if src[k] == _HYPHEN and m > 0 and dst[m - 1] == _HYPHEN:
            continue
        dst[m] = src[k]
        m += 1
    return m


@_njit
def _fold_dashes(src: Any, n: int, dst: Any, classes: Any) -> int:
    """A run of dash look-alikes after a digit or kanji numeral → ``-``; then ``-+`` → ``-``."""
    m = 0
    i = 0
    while i < n:
        c = src[i]
        dst[m] = c
        m += 1
        i += 1
        if (
            _flags(classes, c) & (_DIGIT | _KANJI_DIGIT)
            and i < n
            and _flags(classes, src[i]) & _DASH
        ):
            dst[m] = _HYPHEN
            m += 1
            while i < n and _flags(classes, src[i]) & _DASH:
                i += 1
    out = _collapse_hyphens(dst, m, src)
    for k in range(out):
        dst[k] = src[k]
    return out


_NO_MARKER, _SMALL_MARKER, _OTHER_MARKER = 0, 1, 2  # split_kanji_run's marker kinds


@_njit
def _numeral_value(c: int) -> int:
    """A kanji digit's value (〇 0 … 九 9), or its unit (十 10, 百 100, 千 1000)."""
    for digit in range(9):
        if c == _SIMPLE_DIGITS[digit]:
            return digit + 1
    if c == _ZERO_K:
        return 0
    if c == _TEN_K:
        return 10
    if c == _HUNDRED_K:
        return 100
    return 1000


@_njit
def _kanji_number(src: Any, start: int, end: int) -> int:
    """``normalise.kanji_number`` of ``src[start:end]`` (二十三 → 23, 二〇三 → 203)."""
    units = False
    for k in range(start, end):
        if src[k] in (_TEN_K, _HUNDRED_K, _THOUSAND_K):
            units = True
    if not units:
        value = 0
        for k in range(start, end):
            value = value * 10 + _numeral_value(src[k])
        return value
    total = 0
    digit = 0
    for k in range(start, end):
        if src[k] in (_TEN_K, _HUNDRED_K, _THOUSAND_K):
            total += (digit if digit else 1) * _numeral_value(src[k])
            digit = 0
        else:
            digit = digit * 10 + _numeral_value(src[k])
    return total + digit


@_njit
def _write_number(dst: Any, m: int, value: int) -> int:
    """Write ``value`` in decimal digits at ``dst[m]``; return the new end."""
    digits = 1
    rest = value
    while rest >= 10:
        rest //= 10
        digits += 1
    for k in range(digits - 1, -1, -1):
        dst[m + k] = 48 + value % 10
        value //= 10
    return m + digits


@_njit
def _convert_run(src: Any, start: int, end: int, kind: int, dst: Any, m: int) -> int:
    """``normalise.split_kanji_run`` of the run ``src[start:end]`` before a marker of
    ``kind``, written as the town-name tail it keeps and the number's digits."""
    if end - start == 1:
        return _write_number(dst, m, _kanji_number(src, start, end))
    plain = True
    for k in range(start, end):
        if src[k] in (_ZERO_K, _TEN_K, _HUNDRED_K, _THOUSAND_K):
            plain = False
    if plain:  # digit by digit without 〇: only the last digit is the number
        for k in range(start, end - 1):
            dst[m] = src[k]
            m += 1
        return _write_number(dst, m, _kanji_number(src, end - 1, end))
    if kind == _SMALL_MARKER:
        for first in range(start, end):
            value = _kanji_number(src, first, end)
            if value <= 99:
                for k in range(start, first):
                    dst[m] = src[k]
                    m += 1
                return _write_number(dst, m, value)
    return _write_number(dst, m, _kanji_number(src, start, end))


@_njit
def _convert_kanji(src: Any, n: int, dst: Any, classes: Any, hokkaido: bool) -> int:
    """``normalise._convert_kanji``: kanji numerals before 丁目, 番地, 番 (not 番町), 号 or
    地割, after ``N-`` or before ``-N`` become digits; in Hokkaido also before 条 (a second
    pass over the first one's result, as ``re.sub`` does it). Result in ``dst``; -1 when a
    run is too long for 64-bit arithmetic (left to the pandas steps)."""
    m = _numeral_pass(src, n, dst, classes, False)
    if m < 0 or not hokkaido:
        return m
    for k in range(m):
        src[k] = dst[k]
    return _numeral_pass(src, m, dst, classes, True)


@_njit
def _numeral_pass(src: Any, n: int, dst: Any, classes: Any, before_jo: bool) -> int:
    """One pass of ``_convert_kanji`` over each maximal run of kanji numerals: the markers
    and hyphens of ``_KANJI_NEAR_MARKER``, or (``before_jo``) 条 only."""
    m = 0
    i = 0
    while i < n:
        if not (_flags(classes, src[i]) & _KANJI_DIGIT):
            dst[m] = src[i]
            m += 1
            i += 1
            continue
        end = i
        while end < n and _flags(classes, src[end]) & _KANJI_DIGIT:
            end += 1
        if end - i > 18:
            return -1
        nxt = src[end] if end < n else -1
        after = src[end + 1] if end + 1 < n else -1
        kind = -1
        if before_jo:
            if nxt == _JO:
                kind = _SMALL_MARKER
        elif (nxt == _CHO and after == _ME) or (nxt == _CHI and after == _WARI):
            kind = _SMALL_MARKER
        elif (nxt == _BAN and after != _MACHI) or nxt == _GO:
            kind = _OTHER_MARKER
        elif (
            i >= 2
            and src[i - 1] == _HYPHEN
            and _flags(classes, src[i - 2]) & (_DIGIT | _KANJI_DIGIT)
        ) or (nxt == _HYPHEN and after >= 0 and _flags(classes, after) & (_DIGIT | _KANJI_DIGIT)):
            kind = _NO_MARKER
        if kind >= 0:
            m = _convert_run(src, i, end, kind, dst, m)
        else:
            for k in range(i, end):
                dst[m] = src[k]
                m += 1
        i = end
    return m


@_njit
def _fold_no(src: Any, n: int, dst: Any, classes: Any) -> None:
    """``1035の2`` → ``1035-2`` (every の between two digits)."""
    for k in range(n):
        c = src[k]
        if (
            c == _NO_HIRA
            and k > 0
            and k + 1 < n
            and _flags(classes, src[k - 1]) & _DIGIT
            and _flags(classes, src[k + 1]) & _DIGIT
        ):
            dst[k] = _HYPHEN
        else:
            dst[k] = c
    for k in range(n):
        src[k] = dst[k]


@_njit
def _fold_kernel(
    data: Any, offsets: Any, valid: Any, hokkaido: Any, classes: Any, variants: Any
) -> tuple[Any, Any, Any]:
    count = len(offsets) - 1
    longest = _longest(offsets)
    # Every other step shortens the text; a kanji numeral may become up to four digits
    # (千 → 1000): four code points for one, four bytes for three.
    a = np.empty(4 * longest + 8, dtype=np.int32)
    b = np.empty(4 * longest + 8, dtype=np.int32)
    out = np.empty(2 * (offsets[count] - offsets[0]) + 8, dtype=np.uint8)
    out_offsets = np.zeros(count + 1, dtype=np.int64)
    fallback = np.zeros(count, dtype=np.bool_)
    pos = 0
    for v in range(count):
        out_offsets[v] = pos
        if not valid[v]:
            continue
        n = _decode(data, offsets[v], offsets[v + 1], a)
        # Which steps can change this value (each step is a no-op without its characters).
        strange = spaces = directions = variant = dashes = numerals = no = False
        for k in range(n):
            c = a[k]
            flags = _flags(classes, c)
            strange |= (flags & _STRANGE) != 0
            spaces |= (flags & _SPACE) != 0
            directions |= c in (_RU_HIRA, _RU_KATA, _IRI)
            variant |= c == _NO_KATA or (c < _BMP and variants[c] != c)
            dashes |= (flags & _DASH) != 0 or c == _HYPHEN
            numerals |= (flags & _KANJI_DIGIT) != 0
            no |= c == _NO_HIRA
        if strange:
            fallback[v] = True
            continue
        if not (spaces or directions or variant or dashes or numerals or no):
            for k in range(offsets[v], offsets[v + 1]):
                out[pos] = data[k]
                pos += 1
            continue
        src, dst = a, b
        if spaces:
            n = _fold_spaces(src, n, dst, classes)
            src, dst = dst, src
        if directions:
            n = _fold_directions(src, n, dst)
            src, dst = dst, src
        if variant:
            _fold_variants(src, n, dst, classes, variants)
            src, dst = dst, src
        if dashes:
            n = _fold_dashes(src, n, dst, classes)
            src, dst = dst, src
        if numerals:
            n = _convert_kanji(src, n, dst, classes, hokkaido[v])
            if n < 0:
                fallback[v] = True
                continue
            src, dst = dst, src
        if no or variant:  # variants may have made a の
            _fold_no(src, n, dst, classes)
        pos = _encode(src, 0, n, out, pos)
    out_offsets[count] = pos
    return out[:pos], out_offsets, fallback


# ---------------------------------------------------------------------------------------
# Place and block: ^(?P<prefix>(?:[^0-9]|[0-9]+(?:条|線|区|番町|番丁|町内))*)(?P<suffix>.*)$

_SEN, _KU, _MACHI, _CHOU_T, _NAI, _DAI = (ord(c) for c in "線区町丁内第")


@_njit
def _place_kernel(data: Any, offsets: Any, valid: Any, classes: Any) -> tuple[Any, Any]:
    """Byte positions where the place ends (a trailing 第 dropped) and the block begins."""
    count = len(offsets) - 1
    place_end = np.zeros(count, dtype=np.int64)
    block_start = np.zeros(count, dtype=np.int64)
    longest = _longest(offsets)
    cps = np.empty(longest + 1, dtype=np.int32)
    for v in range(count):
        start = offsets[v]
        if not valid[v]:
            place_end[v] = start
            block_start[v] = offsets[v + 1]
            continue
        n = _decode(data, start, offsets[v + 1], cps)
        i = 0
        while i < n:
            if not (_flags(classes, cps[i]) & _DIGIT):
                i += 1
                continue
            j = i
            while j < n and _flags(classes, cps[j]) & _DIGIT:
                j += 1
            if j < n and (cps[j] == _JO or cps[j] == _SEN or cps[j] == _KU):
                i = j + 1
            elif j + 1 < n and (
                (cps[j] == _BAN and (cps[j + 1] == _MACHI or cps[j + 1] == _CHOU_T))
                or (cps[j] == _MACHI and cps[j + 1] == _NAI)
            ):
                i = j + 2
            else:
                break
        end = i - 1 if i > 0 and cps[i - 1] == _DAI else i
        place_end[v] = start + _utf8_length(cps, 0, end)
        block_start[v] = start + _utf8_length(cps, 0, i)
    return place_end, block_start


@_njit
def _utf8_length(cps: Any, start: int, end: int) -> int:
    total = 0
    for k in range(start, end):
        c = cps[k]
        total += 1 if c < 0x80 else (2 if c < 0x800 else (3 if c < 0x10000 else 4))
    return total


# ---------------------------------------------------------------------------------------
# Block, building and room (assess._split_block)

_SHITSU, _SHARP, _NUMERO = ord("室"), ord("#"), ord("№")
_DOT, _NAKAGURO = ord("."), ord("・")
_CAPITAL_N, _SMALL_O = ord("N"), ord("o")
_NEWLINE = ord("\n")


@_njit
def _hyphenate(src: Any, n: int, dst: Any, classes: Any) -> int:
    """Block markers → hyphens (``block_markers_to_hyphens`` and the ``#|No.?|№`` spaces),
    for values holding 丁目, 番, 号, 地割, #, No or №; others are copied as they are."""
    marked = False
    for k in range(n):
        c = src[k]
        if c in (_BAN, _GO, _SHARP, _NUMERO) or (
            k + 1 < n
            and (
                (c == _CHO and src[k + 1] == _ME)
                or (c == _CHI and src[k + 1] == _WARI)
                or (c == _CAPITAL_N and src[k + 1] == _SMALL_O)
            )
        ):
            marked = True
    if not marked:
        for k in range(n):
            dst[k] = src[k]
        return n
    # 第N地割, N地割, N丁目|N番地|N番|N号 (not 号室) → N- in one left-to-right scan.
    m = 0
    i = 0
    while i < n:
        c = src[i]
        start = i + 1 if c == _DAI else i
        j = start
        while j < n and _flags(classes, src[j]) & _DIGIT:
            j += 1
        if j > start:
            chiwari = j + 1 < n and src[j] == _CHI and src[j + 1] == _WARI
            if chiwari:
                for k in range(start, j):
                    dst[m] = src[k]
                    m += 1
                dst[m] = _HYPHEN
                m += 1
                i = j + 2
                continue
            if c != _DAI:
                width = 0
                if (j + 1 < n and src[j] == _CHO and src[j + 1] == _ME) or (
                    j + 1 < n and src[j] == _BAN and src[j + 1] == _CHI
                ):
                    width = 2
                elif (j < n and src[j] == _BAN) or (
                    j < n and src[j] == _GO and not (j + 1 < n and src[j + 1] == _SHITSU)
                ):
                    width = 1
                for k in range(i, j):
                    dst[m] = src[k]
                    m += 1
                if width:
                    dst[m] = _HYPHEN
                    m += 1
                i = j + width
                continue
        dst[m] = c
        m += 1
        i += 1
    out = _collapse_hyphens(dst, m, src)
    # #, No., No, № → space
    m = 0
    i = 0
    while i < out:
        c = src[i]
        if c in (_SHARP, _NUMERO):
            dst[m] = _BLANK
            i += 1
        elif c == _CAPITAL_N and i + 1 < out and src[i + 1] == _SMALL_O:
            dst[m] = _BLANK
            i += 3 if i + 2 < out and src[i + 2] == _DOT else 2
        else:
            dst[m] = c
            i += 1
        m += 1
    return m


@_njit
def _digits_end(cps: Any, i: int, n: int, classes: Any) -> int:
    while i < n and _flags(classes, cps[i]) & _DIGIT:
        i += 1
    return i


@_njit
def _room_ending(cps: Any, i: int, n: int, classes: Any) -> int:
    """Where ``(ROOM)?(?:号室|号)?$`` matches from ``i``: the room's end (> i), ``i`` when it
    matches without a room, -1 when it does not match. ROOM is ``[A-Za-z]?[0-9]+[A-Za-z]?``."""
    j = i
    if j < n and _flags(classes, cps[j]) & _LETTER:
        j += 1
    k = _digits_end(cps, j, n, classes)
    if k > j:
        if k < n and _flags(classes, cps[k]) & _LETTER:
            k += 1
        if _marker_tail(cps, k, n):
            return k
    return i if _marker_tail(cps, i, n) else -1


@_njit
def _marker_tail(cps: Any, i: int, n: int) -> bool:
    """Whether ``cps[i:n]`` is empty, 号 or 号室."""
    if i == n:
        return True
    if cps[i] != _GO:
        return False
    return i + 1 == n or (i + 2 == n and cps[i + 1] == _SHITSU)


@_njit
def _block_kernel(
    data: Any, offsets: Any, valid: Any, classes: Any
) -> tuple[Any, Any, Any, Any, Any, Any, Any]:
    """Block, building and room of each suffix, and the values left to pandas."""
    count = len(offsets) - 1
    longest = _longest(offsets)
    a = np.empty(longest + 2, dtype=np.int32)
    b = np.empty(longest + 2, dtype=np.int32)
    size = max(offsets[count] - offsets[0], 1)
    blocks = np.empty(size, dtype=np.uint8)
    buildings = np.empty(size, dtype=np.uint8)
    rooms = np.empty(size, dtype=np.uint8)
    block_offsets = np.zeros(count + 1, dtype=np.int64)
    building_offsets = np.zeros(count + 1, dtype=np.int64)
    room_offsets = np.zeros(count + 1, dtype=np.int64)
    fallback = np.zeros(count, dtype=np.bool_)
    block_pos = building_pos = room_pos = 0
    for v in range(count):
        block_offsets[v] = block_pos
        building_offsets[v] = building_pos
        room_offsets[v] = room_pos
        if not valid[v]:
            continue
        n = _decode(data, offsets[v], offsets[v + 1], a)
        strange = False
        for k in range(n):
            if a[k] == _NEWLINE or _flags(classes, a[k]) & _STRANGE:
                strange = True
                break
        if strange:  # ``.`` stops at a newline; the private-use 号室 mark is taken
            fallback[v] = True
            continue
        n = _hyphenate(a, n, b, classes)  # result in b
        # ^(?P<block>[0-9]+(?:-[0-9]+){0,2})?(?:-(?P<extra>[0-9]+))?-?(?P<tail>.*)$
        i = 0
        block_end = 0
        j = _digits_end(b, 0, n, classes)
        if j > 0:
            i = j
            for _ in range(2):
                if i < n and b[i] == _HYPHEN:
                    k = _digits_end(b, i + 1, n, classes)
                    if k > i + 1:
                        i = k
                        continue
                break
            block_end = i
        extra_start = extra_end = i
        if i < n and b[i] == _HYPHEN:
            k = _digits_end(b, i + 1, n, classes)
            if k > i + 1:
                extra_start, extra_end = i + 1, k
                i = k
        if i < n and b[i] == _HYPHEN:
            i += 1
        block_pos = _encode(b, 0, block_end, blocks, block_pos)
        # rest = tail.strip(" -")
        start, end = i, n
        while start < end and (b[start] == _BLANK or b[start] == _HYPHEN):
            start += 1
        while end > start and (b[end - 1] == _BLANK or b[end - 1] == _HYPHEN):
            end -= 1
        # room: the leftmost start where (ROOM)?(?:号室|号)?$ matches
        room_start = room_end = end
        for s in range(start, end + 1):
            e = _room_ending(b, s, end, classes)
            if e >= 0:
                room_start, room_end = s, e
                break
        # building: what precedes the leftmost start of [ -]*(?:ROOM)?(?:号室|号)?$
        cut = end
        for s in range(start, end + 1):
            t = s
            while t < end and (b[t] == _BLANK or b[t] == _HYPHEN):
                t += 1
            if _room_ending(b, t, end, classes) >= 0:
                cut = s
                break
        # spaces and middle dots go, then trailing hyphens
        m = 0
        for k in range(start, cut):
            if b[k] != _BLANK and b[k] != _NAKAGURO:
                a[m] = b[k]
                m += 1
        while m > 0 and a[m - 1] == _HYPHEN:
            m -= 1
        building_pos = _encode(a, 0, m, buildings, building_pos)
        if room_end > room_start:
            room_pos = _encode(b, room_start, room_end, rooms, room_pos)
        else:
            room_pos = _encode(b, extra_start, extra_end, rooms, room_pos)
    block_offsets[count] = block_pos
    building_offsets[count] = building_pos
    room_offsets[count] = room_pos
    return (
        blocks[:block_pos],
        block_offsets,
        buildings[:building_pos],
        building_offsets,
        rooms[:room_pos],
        room_offsets,
        fallback,
    )


# ---------------------------------------------------------------------------------------
# What an address line holds (assess._nonsense)

_IDEOGRAPHIC_SPACE, _ITERATION_MARK, _SHIME = 0x3000, ord("々"), ord("〆")


@_njit
def _substance_kernel(data: Any, offsets: Any, valid: Any) -> tuple[Any, Any, Any, Any, Any]:
    """Each line without its spaces, and whether it is empty, holds a kanji or a digit, or
    is at most three of one character."""
    count = len(offsets) - 1
    longest = _longest(offsets)
    cps = np.empty(longest + 1, dtype=np.int32)
    out = np.empty(max(offsets[count] - offsets[0], 1), dtype=np.uint8)
    out_offsets = np.zeros(count + 1, dtype=np.int64)
    substance = np.zeros(count, dtype=np.bool_)
    one_char = np.zeros(count, dtype=np.bool_)
    pos = 0
    for v in range(count):
        out_offsets[v] = pos
        if not valid[v]:
            continue
        n = _decode(data, offsets[v], offsets[v + 1], cps)
        m = 0
        for k in range(n):
            c = cps[k]
            if c in (_BLANK, 0x09, 0x0D, 0x0A, _IDEOGRAPHIC_SPACE):
                continue
            cps[m] = c
            m += 1
            if (
                0x3400 <= c <= 0x9FFF
                or 0xF900 <= c <= 0xFAFF
                or c in (_ITERATION_MARK, _SHIME)
                or 0x30 <= c <= 0x39
                or 0xFF10 <= c <= 0xFF19
            ):
                substance[v] = True
        if 0 < m <= 3:
            one_char[v] = True
            for k in range(1, m):
                if cps[k] != cps[0]:
                    one_char[v] = False
        pos = _encode(cps, 0, m, out, pos)
    out_offsets[count] = pos
    return out[:pos], out_offsets, substance, one_char, out_offsets[1:] == out_offsets[:-1]


def line_substance(
    values: pa.Array | pa.ChunkedArray,
) -> tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Lines without spaces; whether each has a kanji or digit, is one repeated character
    (at most three), or is empty (a missing line counts as empty)."""
    data, offsets, valid = string_buffers(values)
    out, out_offsets, substance, one_char, empty = _substance_kernel(data, offsets, valid)
    everything = np.ones(len(valid), dtype=bool)
    return string_array(out, out_offsets, everything), substance, one_char, empty


# ---------------------------------------------------------------------------------------
# Linking keys and canonical form (assess._assemble)


@_njit
def _put(data: Any, offsets: Any, row: int, out: Any, pos: int) -> int:
    for k in range(offsets[row], offsets[row + 1]):
        out[pos] = data[k]
        pos += 1
    return pos


@_njit
def _length(offsets: Any, row: int) -> int:
    return int(offsets[row + 1] - offsets[row])


@_njit
def _spaceish(c: int) -> bool:
    """Whitespace in any sense a trim might use (a superset of Unicode's White_Space)."""
    return (
        c <= 0x20
        or 0x7F <= c <= 0xA0
        or c in (0x1680, 0x180E, 0x3000, 0xFEFF)
        or 0x2000 <= c <= 0x200F
        or 0x2028 <= c <= 0x202F
        or 0x205F <= c <= 0x206F
    )


@_njit
def _edge_is_space(out: Any, start: int, end: int) -> bool:
    """Whether the UTF-8 text ``out[start:end]`` starts or ends with whitespace: those rows
    are trimmed by Arrow, the same call the pandas steps made."""
    if end == start:
        return False
    first = np.empty(4, dtype=np.int32)
    _decode(out, start, start + _char_width(out[start]), first)
    last = end - 1
    while last > start and 0x80 <= out[last] < 0xC0:
        last -= 1
    _decode(out, last, end, first[1:])
    return _spaceish(first[0]) or _spaceish(first[1])


@_njit
def _char_width(byte: int) -> int:
    return 1 if byte < 0x80 else (2 if byte < 0xE0 else (3 if byte < 0xF0 else 4))


#: The texts ``assemble`` takes, in the order ``_assemble_kernel`` reads them.
ASSEMBLY_PARTS: tuple[str, ...] = (
    "city",
    "town",
    "words",
    "prefix",
    "leftover",
    "block",
    "building",
    "room",
    "prefecture",
    "jp_city",
    "jp_town",
)


@_njit
def _assemble_kernel(
    city: Any,
    town: Any,
    words: Any,
    prefix: Any,
    leftover: Any,
    block: Any,
    building: Any,
    room: Any,
    prefecture: Any,
    jp_city: Any,
    jp_town: Any,
    matched: Any,
) -> tuple[Any, Any, Any, Any, Any, Any, Any]:
    """Building key, address key and canonical text of each address (see ``_assemble``).

    Each text argument is a (bytes, offsets, valid) triple."""
    count = len(matched)
    size = 1
    for column in (city, town, words, prefix, leftover, block, building, room):
        size += column[1][count] - column[1][0]
    for column in (prefecture, jp_city, jp_town):
        size += column[1][count] - column[1][0]
    building_keys = np.empty(size + 2 * count, dtype=np.uint8)
    address_keys = np.empty(2 * size + 3 * count, dtype=np.uint8)
    canonical = np.empty(size + 2 * count, dtype=np.uint8)
    building_offsets = np.zeros(count + 1, dtype=np.int64)
    address_offsets = np.zeros(count + 1, dtype=np.int64)
    canonical_offsets = np.zeros(count + 1, dtype=np.int64)
    trim = np.zeros(count, dtype=np.bool_)
    bpos = apos = cpos = 0
    for i in range(count):
        building_offsets[i] = bpos
        address_offsets[i] = apos
        canonical_offsets[i] = cpos
        start = bpos
        if matched[i]:
            bpos = _put(city[0], city[1], i, building_keys, bpos)
            bpos = _put(town[0], town[1], i, building_keys, bpos)
            bpos = _put(words[0], words[1], i, building_keys, bpos)
        else:
            bpos = _put(prefix[0], prefix[1], i, building_keys, bpos)
        building_keys[bpos] = 124  # "|"
        bpos = _put(block[0], block[1], i, building_keys, bpos + 1)
        building_keys[bpos] = 124
        bpos = _put(building[0], building[1], i, building_keys, bpos + 1)
        for k in range(start, bpos):
            address_keys[apos] = building_keys[k]
            apos += 1
        address_keys[apos] = 124
        apos = _put(room[0], room[1], i, address_keys, apos + 1)
        first = cpos
        if prefecture[2][i]:
            cpos = _put(prefecture[0], prefecture[1], i, canonical, cpos)
        if matched[i] and jp_city[2][i]:
            cpos = _put(jp_city[0], jp_city[1], i, canonical, cpos)
        if matched[i] and jp_town[2][i]:
            cpos = _put(jp_town[0], jp_town[1], i, canonical, cpos)
        if matched[i]:
            cpos = _put(leftover[0], leftover[1], i, canonical, cpos)
        else:
            cpos = _put(prefix[0], prefix[1], i, canonical, cpos)
        cpos = _put(block[0], block[1], i, canonical, cpos)
        if _length(building[1], i):
            canonical[cpos] = 32
            cpos = _put(building[0], building[1], i, canonical, cpos + 1)
        if _length(room[1], i):
            canonical[cpos] = 32
            cpos = _put(room[0], room[1], i, canonical, cpos + 1)
        trim[i] = _edge_is_space(canonical, first, cpos)
    building_offsets[count] = bpos
    address_offsets[count] = apos
    canonical_offsets[count] = cpos
    return (
        building_keys[:bpos],
        building_offsets,
        address_keys[:apos],
        address_offsets,
        canonical[:cpos],
        canonical_offsets,
        trim,
    )


def assemble(
    texts: dict[str, pa.Array | pa.ChunkedArray], matched: np.ndarray[Any, Any]
) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray[Any, Any]]:
    """Building key, address key and canonical text (all non-null), and the canonical texts
    that may need Arrow's whitespace trim. ``texts`` holds the :data:`ASSEMBLY_PARTS`; only
    ``prefecture``, ``jp_city`` and ``jp_town`` may be null."""
    parts = {name: string_buffers(values) for name, values in texts.items()}
    kernel: Any = _assemble_kernel
    bk, bo, ak, ao, ck, co, trim = kernel(
        *(parts[name] for name in ASSEMBLY_PARTS), np.ascontiguousarray(matched, dtype=np.bool_)
    )
    everything = np.ones(len(matched), dtype=bool)
    return (
        string_array(bk, bo, everything),
        string_array(ak, ao, everything),
        string_array(ck, co, everything),
        trim,
    )


# ---------------------------------------------------------------------------------------
# Names (names.normalise_name)


@_njit
def _katakana_kernel(data: Any, offsets: Any, valid: Any) -> Any:
    """Hiragana (U+3041-U+3096) to katakana (+0x60), every other byte as it is: both are
    three bytes in UTF-8, so the text keeps its offsets."""
    out = data.copy()
    for v in range(len(offsets) - 1):
        if not valid[v]:
            continue
        k = offsets[v]
        end = offsets[v + 1]
        while k < end:
            byte = data[k]
            if byte == 0xE3 and k + 2 < end:
                code = ((byte & 0x0F) << 12) | ((data[k + 1] & 0x3F) << 6) | (data[k + 2] & 0x3F)
                if 0x3041 <= code <= 0x3096:
                    code += 0x60
                    out[k + 1] = 0x80 | ((code >> 6) & 0x3F)
                    out[k + 2] = 0x80 | (code & 0x3F)
                k += 3
            else:
                k += 1
    return out


def katakana(values: pa.Array | pa.ChunkedArray) -> pa.Array:
    """Each value with its hiragana as katakana (``やまだ`` → ``ヤマダ``)."""
    data, offsets, valid = string_buffers(values)
    return string_array(_katakana_kernel(data, offsets, valid), offsets, valid)


# ---------------------------------------------------------------------------------------
# Arrow buffers in and out


def string_buffers(
    values: pa.Array | pa.ChunkedArray,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """(UTF-8 bytes, int64 offsets, validity) of a string array, without copying the text."""
    array = values.cast(pa.large_string())
    if isinstance(array, pa.ChunkedArray):
        array = array.combine_chunks() if array.num_chunks != 1 else array.chunk(0)
    count = len(array)
    buffers = array.buffers()
    offsets = np.frombuffer(buffers[1], dtype=np.int64)[array.offset : array.offset + count + 1]
    data = (
        np.frombuffer(buffers[2], dtype=np.uint8)
        if buffers[2] is not None
        else np.zeros(0, dtype=np.uint8)
    )
    if array.null_count:
        valid = array.is_valid().to_numpy(zero_copy_only=False)
    else:
        valid = np.ones(count, dtype=bool)
    return data, offsets, valid


def string_array(
    data: np.ndarray[Any, Any], offsets: np.ndarray[Any, Any], valid: np.ndarray[Any, Any]
) -> pa.Array:
    """A large string array over the given buffers (``valid`` False is null)."""
    count = len(offsets) - 1
    bitmap = None
    nulls = int(count - np.count_nonzero(valid))
    if nulls:
        bitmap = pa.py_buffer(np.packbits(valid, bitorder="little"))
    return pa.LargeStringArray.from_buffers(
        count,
        pa.py_buffer(np.ascontiguousarray(offsets, dtype=np.int64)),
        pa.py_buffer(np.ascontiguousarray(data, dtype=np.uint8)),
        bitmap,
        nulls,
    )


def fold(
    values: pa.Array | pa.ChunkedArray,
    classes: np.ndarray[Any, Any],
    variants: Any,
    hokkaido: np.ndarray[Any, Any] | None = None,
) -> tuple[pa.Array, np.ndarray[Any, Any]]:
    """The folded text (after NFKC) and the rows the caller must fold itself.

    ``hokkaido`` marks the values in 北海道, where numerals before 条 become digits too."""
    data, offsets, valid = string_buffers(values)
    north = np.zeros(len(valid), dtype=np.bool_) if hokkaido is None else hokkaido
    out, out_offsets, fallback = _fold_kernel(
        data, offsets, valid, np.ascontiguousarray(north, dtype=np.bool_), classes, variants
    )
    return string_array(out, out_offsets, valid), fallback


def split_place(
    values: pa.Array | pa.ChunkedArray, classes: np.ndarray[Any, Any]
) -> tuple[pa.Array, pa.Array]:
    """The place (a trailing 第 dropped) and the rest of each folded address (no nulls)."""
    data, offsets, valid = string_buffers(values)
    place_end, block_start = _place_kernel(data, offsets, valid, classes)
    place = _slices(data, offsets[:-1], place_end)
    rest = _slices(data, block_start, offsets[1:])
    return place, rest


def _slices(
    data: np.ndarray[Any, Any], starts: np.ndarray[Any, Any], ends: np.ndarray[Any, Any]
) -> pa.Array:
    lengths = ends - starts
    new_offsets = np.zeros(len(starts) + 1, dtype=np.int64)
    np.cumsum(lengths, out=new_offsets[1:])
    picked = _gather(data, starts, ends, int(new_offsets[-1]))
    return string_array(picked, new_offsets, np.ones(len(starts), dtype=bool))


@_njit
def _gather(data: Any, starts: Any, ends: Any, total: int) -> Any:
    out = np.empty(max(total, 1), dtype=np.uint8)
    pos = 0
    for v in range(len(starts)):
        for k in range(starts[v], ends[v]):
            out[pos] = data[k]
            pos += 1
    return out[:pos]


def split_block(
    values: pa.Array | pa.ChunkedArray, classes: np.ndarray[Any, Any]
) -> tuple[pa.Array, pa.Array, pa.Array, np.ndarray[Any, Any]]:
    """Block, building and room of each suffix, and the rows the caller must split itself."""
    data, offsets, valid = string_buffers(values)
    blocks, bo, buildings, go, rooms, ro, fallback = _block_kernel(data, offsets, valid, classes)
    everything = np.ones(len(valid), dtype=bool)
    return (
        string_array(blocks, bo, everything),
        string_array(buildings, go, everything),
        string_array(rooms, ro, everything),
        fallback,
    )


def warm_up() -> None:
    """Load (or, on a machine's first run, compile) every kernel of this module."""
    from sellerguard.address.normalise import character_tables

    classes, variants = character_tables()
    text = pa.array(["京都市1-2 ビル101", None])
    fold(text, classes, variants)
    _, rest = split_place(text, classes)
    split_block(rest, classes)
    line_substance(text)
    katakana(text)
    assemble(
        {name: text for name in ASSEMBLY_PARTS},
        np.array([True, False]),
    )
