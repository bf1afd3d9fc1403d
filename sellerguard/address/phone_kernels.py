"""Compiled (numba) fold and shape checks of typed phone numbers, one pass for all of them.

:func:`fold_phones` does what ``phones.phone_key`` does with a dozen pandas passes (remove
separators, ``+81``/``0081``/``81`` to ``0``, ``00`` to ``+``, drop an extension, no digit:
no key), and reads off each key the shapes ``phones._classify`` matches with regular
expressions (mobile, landline, non-geographic, service prefix, placeholder, foreign). It
takes printable ASCII values only (tabs too): NFKC leaves them as they are. A value with
any other character (full-width digits, ``内線``, a long-vowel mark as a dash, a control
character, which the patterns' ``$`` treats specially) is handed back for the pandas steps,
which are also the reference the property tests compare this pass with.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

from sellerguard.address.kernels import _longest, string_array, string_buffers
from sellerguard.address.phones import FOREIGN, LANDLINE, MOBILE, PLACEHOLDER, SERVICE_PREFIX
from sellerguard.jit import njit

_PLUS = 43
_ZERO = 48
# Byte strings as tuples of ints: numba reads them as constants (its str indexing would
# make a new string per character).
_0120, _0800, _0570, _0990 = tuple(b"0120"), tuple(b"0800"), tuple(b"0570"), tuple(b"0990")
_PLUS_81, _00_81, _81, _00 = tuple(b"+81"), tuple(b"0081"), tuple(b"81"), tuple(b"00")
_RUNS = (tuple(b"12345678"), tuple(b"23456789"), tuple(b"98765432"), tuple(b"87654321"))
_0123456 = tuple(b"0123456")


@njit
def _is_separator(byte: int) -> bool:
    # space, tab, ( ) [ ] . - /  (the ASCII members of phones._SEPARATORS)
    return byte in (32, 9, 40, 41, 91, 93, 46, 45, 47)


@njit
def _digit(byte: int) -> bool:
    return 48 <= byte <= 57


@njit
def _starts(key: Any, length: int, text: Any) -> bool:
    """Whether ``key[:length]`` starts with the bytes ``text`` (a tuple of ints)."""
    if length < len(text):
        return False
    for k in range(len(text)):  # noqa: SIM110 (numba compiles loops, not all() of a generator)
        if key[k] != text[k]:
            return False
    return True


@njit
def _contains(key: Any, length: int, text: Any) -> bool:
    """Whether ``key[:length]`` contains the bytes ``text`` (a tuple of ints)."""
    for start in range(length - len(text) + 1):
        found = True
        for k in range(len(text)):
            if key[start + k] != text[k]:
                found = False
                break
        if found:
            return True
    return False


@njit
def _shape(key: Any, length: int) -> int:
    """The shape bits of one folded key."""
    digits = True
    for k in range(length):
        if not _digit(key[k]):
            digits = False
            break
    bits = 0
    if length > 0 and key[0] == _PLUS:
        bits |= FOREIGN
    if length >= 2 and key[0] == _ZERO:
        second = key[1]
        service = (
            _starts(key, length, _0120)
            or _starts(key, length, _0800)
            or _starts(key, length, _0570)
            or _starts(key, length, _0990)
        )
        if (
            service
            or second == _ZERO
            or (length >= 3 and key[2] == _ZERO and second in (50, 53, 54))
        ):
            bits |= SERVICE_PREFIX  # 0120 0800 0570 0990, 020 050 060, 00
        non_geographic = service or (length >= 3 and 50 <= second <= 57 and key[2] == _ZERO)
        if digits and length == 11 and 54 <= second <= 57 and key[2] == _ZERO:
            bits |= MOBILE
        if digits and length == 10 and second != _ZERO and not non_geographic:
            bits |= LANDLINE
    if _placeholder(key, length, digits):
        bits |= PLACEHOLDER
    return bits


@njit
def _placeholder(key: Any, length: int, digits: bool) -> bool:
    """``phones._PLACEHOLDER``: zeros then one repeated digit; eight equal digits at the
    end; a run of eight consecutive digits; or a start of 0123456."""
    if digits and length > 0:
        first = 0
        while first < length and key[first] == _ZERO:
            first += 1
        same = True
        for k in range(first, length):
            if key[k] != key[length - 1]:
                same = False
                break
        if same:
            return True
    if length >= 8 and _digit(key[length - 1]):
        same = True
        for k in range(length - 8, length):
            if key[k] != key[length - 1]:
                same = False
                break
        if same:
            return True
    for run in _RUNS:
        if _contains(key, length, run):
            return True
    return _starts(key, length, _0123456)


@njit
def _fold_kernel(data: Any, offsets: Any, valid: Any) -> Any:
    n = len(offsets) - 1
    longest = _longest(offsets)
    out = np.empty(len(data) + n, dtype=np.uint8)  # "81…" gains its 0: one byte more
    out_offsets = np.zeros(n + 1, dtype=np.int64)
    has_key = np.zeros(n, dtype=np.bool_)
    shapes = np.zeros(n, dtype=np.int64)
    fallback = np.zeros(n, dtype=np.bool_)
    buffer = np.empty(longest + 2, dtype=np.uint8)
    position = 0
    for i in range(n):
        out_offsets[i] = position
        out_offsets[i + 1] = position
        if not valid[i]:
            continue
        plain = True  # printable ASCII or tab
        for k in range(offsets[i], offsets[i + 1]):
            if not (32 <= data[k] < 127 or data[k] == 9):
                plain = False
                break
        if not plain:
            fallback[i] = True
            continue
        # Separators out; the text is buffer[start:end].
        start = 1  # one byte of room in front, for "81…" → "081…"
        end = start
        for k in range(offsets[i], offsets[i + 1]):
            if not _is_separator(data[k]):
                buffer[end] = data[k]
                end += 1
        # ^(?:\+|00)810? → 0
        lead = 0
        if _starts(buffer[start:end], end - start, _PLUS_81):
            lead = 3
        elif _starts(buffer[start:end], end - start, _00_81):
            lead = 4
        if lead:
            start += lead
            if start < end and buffer[start] == _ZERO:
                start += 1
            start -= 1
            buffer[start] = _ZERO
        # ^81([1-9][0-9]{8,9})$ → 0\1
        length = end - start
        if (length == 11 or length == 12) and _starts(buffer[start:end], length, _81):
            national = 49 <= buffer[start + 2] <= 57
            for k in range(start + 3, end):
                if not _digit(buffer[k]):
                    national = False
            if national:
                start += 1
                buffer[start] = _ZERO
        # ^00([1-9]) → +\1
        length = end - start
        if (
            length >= 3
            and _starts(buffer[start:end], length, _00)
            and 49 <= buffer[start + 2] <= 57
        ):
            start += 1
            buffer[start] = _PLUS
        # (?i)(?:ext|#).*$ → ""  (内線 is not ASCII)
        for k in range(start, end):
            if buffer[k] == 35:  # #
                end = k
                break
            if (
                k + 2 < end
                and buffer[k] | 32 == 101  # e
                and buffer[k + 1] | 32 == 120  # x
                and buffer[k + 2] | 32 == 116  # t
            ):
                end = k
                break
        digit = False
        for k in range(start, end):
            if _digit(buffer[k]):
                digit = True
                break
        if not digit:
            continue
        has_key[i] = True
        for k in range(start, end):
            out[position] = buffer[k]
            position += 1
        out_offsets[i + 1] = position
        shapes[i] = _shape(buffer[start:end], end - start)
    return out[:position], out_offsets, has_key, shapes, fallback


def fold_phones(
    values: pa.Array | pa.ChunkedArray,
) -> tuple[pa.Array, np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The key of each typed number (null: none), its shape bits, and the values (not
    printable ASCII) the caller must fold itself (their key and bits here are null and 0)."""
    data, offsets, valid = string_buffers(values)
    out, out_offsets, has_key, shapes, fallback = _fold_kernel(data, offsets, valid)
    return string_array(out, out_offsets, has_key), shapes, fallback


#: Keys of at most this many characters, all ``+`` or digits, are numbered by
#: :func:`key_numbers` (base 12, each character 1…11) below :data:`NUMBERS_BELOW` (< 2**63).
_NUMBERED_LENGTH = 17
NUMBERS_BELOW = 12**_NUMBERED_LENGTH


@njit
def _numbers_kernel(data: Any, offsets: Any, valid: Any) -> Any:
    n = len(offsets) - 1
    numbers = np.empty(n, dtype=np.int64)
    for i in range(n):
        if not valid[i]:
            numbers[i] = -1
            continue
        start, end = offsets[i], offsets[i + 1]
        if start == end:
            numbers[i] = -1  # as codes() takes the empty text
            continue
        if end - start > _NUMBERED_LENGTH:
            numbers[i] = -2
            continue
        number = np.int64(0)
        for k in range(start, end):
            byte = data[k]
            if _digit(byte):
                number = number * 12 + (byte - 47)  # 1…10
            elif byte == _PLUS:
                number = number * 12 + 11
            else:
                number = np.int64(-2)
                break
        numbers[i] = number
    return numbers


def key_numbers(keys: pa.Array | pa.ChunkedArray) -> np.ndarray[Any, Any]:
    """A number per key, equal exactly when the keys are: -1 for a null or empty key, -2 for
    a key that is not made of at most 17 ``+`` and digits (the caller numbers those itself)."""
    numbers: np.ndarray[Any, Any] = _numbers_kernel(*string_buffers(keys))
    return numbers


def warm_up() -> None:
    """Load (or, on a machine's first run, compile) the kernel."""
    keys, _, _ = fold_phones(pa.array(["+81 90-1234-5678", None, "０３"]))
    key_numbers(keys)
