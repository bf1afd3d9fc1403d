"""Compiled (numba) per-group statistics for the rules: one pass over the orders each.

The numpy versions these replace made several full-length temporary arrays per statistic
(masks, gathers, a hash of value pairs); a rule asks for dozens of statistics over three
window bucketings, and that was most of the costliest rule's time.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from sellerguard.codes import first_slot, table_size
from sellerguard.jit import njit


@njit
def _sum_per_group(group: Any, value: Any, groups: int) -> Any:
    sums = np.zeros(groups, dtype=np.float64)
    for i in range(len(group)):
        if group[i] >= 0:
            sums[group[i]] += value[i]
    result = np.empty(len(group), dtype=np.float64)
    for i in range(len(group)):
        result[i] = sums[group[i]] if group[i] >= 0 else 0.0
    return result


@njit
def _distinct_per_group(group: Any, value: Any, groups: int, largest_value: int) -> Any:
    valid = 0
    for i in range(len(group)):
        if group[i] >= 0 and value[i] >= 0:
            valid += 1
    counts = np.zeros(groups, dtype=np.int64)
    # The set of (group, value) pairs seen: keys only (-1 empty), half the memory of a
    # ``factorize`` table (key and code per slot), which made this twice as slow.
    table = np.full(table_size(valid), -1, dtype=np.int64)
    mask = len(table) - 1
    width = np.int64(largest_value) + 1
    for i in range(len(group)):
        if group[i] < 0 or value[i] < 0:
            continue
        pair = np.int64(group[i]) * width + np.int64(value[i])
        slot = first_slot(pair, mask)
        while table[slot] >= 0 and table[slot] != pair:
            slot = (slot + 1) & mask
        if table[slot] < 0:
            table[slot] = pair
            counts[group[i]] += 1
    result = np.empty(len(group), dtype=np.int64)
    for i in range(len(group)):
        result[i] = counts[group[i]] if group[i] >= 0 else 0
    return result


def sum_per_group(group: np.ndarray[Any, Any], value: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """For each row, the sum of ``value`` over its ``group`` (0 for group -1), in row order.

    A boolean ``value`` (most statistics count flags) is summed as it is, not first copied
    into a float array.
    """
    kind = np.bool_ if value.dtype == np.bool_ else np.float64
    group = np.ascontiguousarray(group, dtype=np.int64)
    result: np.ndarray[Any, Any] = _sum_per_group(
        group, np.ascontiguousarray(value, dtype=kind), _groups(group)
    )
    return result


def _groups(group: np.ndarray[Any, Any]) -> int:
    """The number of groups in ``group`` (codes 0…n-1; -1 for none). numpy's ``max`` is
    vectorised, several times faster than the compiled loop's running maximum."""
    return int(group.max(initial=-1)) + 1


def distinct_per_group(
    group: np.ndarray[Any, Any], value: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """For each row, how many distinct ``value`` codes (-1: missing, not counted) its
    ``group`` has (0 for group -1)."""
    group = np.ascontiguousarray(group, dtype=np.int64)
    value = np.ascontiguousarray(value, dtype=np.int64)
    result: np.ndarray[Any, Any] = _distinct_per_group(
        group, value, _groups(group), int(value.max(initial=-1))
    )
    return result


def warm_up() -> None:
    """Load (or, on a machine's first run, compile) the kernels."""
    group = np.array([0, 0, -1, 1], dtype=np.int64)
    sum_per_group(group, np.ones(4))
    sum_per_group(group, np.ones(4, dtype=bool))
    distinct_per_group(group, np.array([1, 2, 3, -1], dtype=np.int64))
