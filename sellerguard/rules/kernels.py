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
def _sum_per_group(group: Any, value: Any) -> Any:
    largest = -1
    for g in group:
        largest = max(largest, g)
    sums = np.zeros(largest + 1, dtype=np.float64)
    for i in range(len(group)):
        if group[i] >= 0:
            sums[group[i]] += value[i]
    result = np.zeros(len(group), dtype=np.float64)
    for i in range(len(group)):
        if group[i] >= 0:
            result[i] = sums[group[i]]
    return result


@njit
def _distinct_per_group(group: Any, value: Any) -> Any:
    largest_group = -1
    largest_value = -1
    valid = 0
    for i in range(len(group)):
        largest_group = max(largest_group, group[i])
        if group[i] >= 0 and value[i] >= 0:
            valid += 1
            largest_value = max(largest_value, value[i])
    counts = np.zeros(largest_group + 1, dtype=np.int64)
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
    result = np.zeros(len(group), dtype=np.int64)
    for i in range(len(group)):
        if group[i] >= 0:
            result[i] = counts[group[i]]
    return result


def sum_per_group(group: np.ndarray[Any, Any], value: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """For each row, the sum of ``value`` over its ``group`` (0 for group -1), in row order."""
    result: np.ndarray[Any, Any] = _sum_per_group(
        np.ascontiguousarray(group, dtype=np.int64), np.ascontiguousarray(value, dtype=np.float64)
    )
    return result


def distinct_per_group(
    group: np.ndarray[Any, Any], value: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """For each row, how many distinct ``value`` codes (-1: missing, not counted) its
    ``group`` has (0 for group -1)."""
    result: np.ndarray[Any, Any] = _distinct_per_group(
        np.ascontiguousarray(group, dtype=np.int64), np.ascontiguousarray(value, dtype=np.int64)
    )
    return result


def warm_up() -> None:
    """Load (or, on a machine's first run, compile) the kernels."""
    group = np.array([0, 0, -1, 1], dtype=np.int64)
    sum_per_group(group, np.ones(4))
    distinct_per_group(group, np.array([1, 2, 3, -1], dtype=np.int64))
