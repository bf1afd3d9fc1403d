"""Neutralise spreadsheet formulas in exported cells (CSV/XLSX injection).

A text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return can be
run as a formula by a spreadsheet; prefixing a single quote makes it plain text.
"""

from __future__ import annotations

from typing import Any

import pandas as pd

FORMULA_STARTS: tuple[str, ...] = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Return ``value`` prefixed with a quote when a spreadsheet could run it."""
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def neutralise_cell(value: Any) -> Any:
    """Neutralise a cell if it is text; numbers, dates and None pass unchanged."""
    return neutralise(value) if isinstance(value, str) else value


def neutralise_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """Return ``frame`` with every text cell neutralised (other columns untouched)."""
    result = frame.copy()
    for column in result.columns:
        series = result[column]
        if pd.api.types.is_string_dtype(series) or series.dtype == object:
            text = series.astype("str")
            risky = text.str.startswith(FORMULA_STARTS).fillna(False)
            result[column] = text.mask(risky, "'" + text)
    return result
