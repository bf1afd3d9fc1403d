"""Integer codes of int64 values, numbered by first appearance, in one compiled pass; and
Amazon order ids read as the numbers their digits spell.

``pd.factorize`` on a million int64 keys grows its hash table step by step and goes
through pandas' dispatch; the open-addressing table here is sized once for all the values
and filled in a single loop that releases the GIL. The codes are ``pd.factorize``'s.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sellerguard.jit import njit


@njit
def _hash_table(count: int) -> Any:
    """An open-addressing table for ``count`` int64 keys, at most half full. Slot s holds a
    key in ``table[s, 0]`` and its code in ``table[s, 1]`` (-1: empty), side by side so
    that a probe touches one cache line."""
    table = np.empty((table_size(count), 2), dtype=np.int64)
    table[:, 1] = -1
    return table


@njit
def table_size(count: int) -> int:
    """Slots for ``count`` keys in an open-addressing table at most half full (a power of 2)."""
    size = 16
    while size < 2 * count:
        size *= 2
    return size


@njit
def first_slot(key: Any, mask: Any) -> Any:
    """Where ``key`` is first looked for in a table of ``mask + 1`` slots (then linearly on)."""
    return ((key * np.int64(-7046029254386353131)) >> np.int64(17)) & mask


@njit
def _slot_of(table: Any, key: Any) -> Any:
    """The slot holding ``key`` in ``table`` (``_hash_table``), or the empty one for it."""
    mask = len(table) - 1
    slot = first_slot(key, mask)
    while table[slot, 1] >= 0 and table[slot, 0] != key:
        slot = (slot + 1) & mask
    return slot


@njit
def _factorize(values: Any) -> Any:
    table = _hash_table(len(values))
    codes = np.empty(len(values), dtype=np.int64)
    count = 0
    for i in range(len(values)):
        slot = _slot_of(table, values[i])
        if table[slot, 1] < 0:
            table[slot, 0] = values[i]
            table[slot, 1] = count
            count += 1
        codes[i] = table[slot, 1]
    return codes


def factorize(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Codes of int64 ``values`` in order of first appearance (``pd.factorize(values)[0]``)."""
    codes: np.ndarray[Any, Any] = _factorize(np.ascontiguousarray(values, dtype=np.int64))
    return codes


@njit
def _order_numbers(data: Any, offsets: Any) -> tuple[Any, bool]:
    n = len(offsets) - 1
    numbers = np.zeros(n, dtype=np.int64)
    for i in range(n):
        start = offsets[i]
        if offsets[i + 1] - start != 19:
            return numbers, False
        number = np.int64(0)
        for k in range(19):
            byte = data[start + k]
            if k == 3 or k == 11:
                if byte != 45:  # "-"
                    return numbers, False
            elif 48 <= byte <= 57:
                number = number * 10 + (byte - 48)
            else:
                return numbers, False
        numbers[i] = number
    return numbers, True


def order_numbers(
    data: np.ndarray[Any, Any], offsets: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any] | None:
    """The 17 digits of each Amazon order id (``503-1234567-1234567``) as one int64, from a
    string array's bytes and offsets; None when any value has another shape."""
    numbers, ok = _order_numbers(data, np.ascontiguousarray(offsets, dtype=np.int64))
    return numbers if ok else None


def warm_up() -> None:
    """Load (or, on a machine's first run, compile) the kernels."""
    factorize(np.array([3, 1, 3], dtype=np.int64))
    order_numbers(np.frombuffer(b"503-1234567-1234567", dtype=np.uint8), np.array([0, 19]))
