"""Turn text columns into canonical values: dates, numbers, flags, payment methods, keys.

Every parser works on a whole pyarrow column; expensive per-value work (odd date forms,
payment wordings, numbers with currency signs) runs once per distinct value.
"""

from __future__ import annotations

import functools
import mmap
import re
import unicodedata
from collections.abc import Callable
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sellerguard.exports.columns import FALSE_VALUES, PAYMENT_VALUES, TIMEZONE, TRUE_VALUES

_AWARE = re.compile(r"(?:[Zz]|[+-]\d\d:?\d\d)$")
_DATE_FORMATS = (
    "%Y/%m/%d %H:%M:%S",
    "%Y/%m/%d %H:%M",
    "%Y/%m/%d",
    "%Y-%m-%d %H:%M",
    "%m/%d/%Y %H:%M:%S",
    "%m/%d/%Y %H:%M",
    "%m/%d/%Y",
)


#: Rows per chunk of a constant text column; every chunk views the same block.
_CONSTANT_BLOCK = 1 << 16


def constant_text(value: str, n: int) -> pd.Series[Any]:
    """A ``str`` Series repeating ``value`` ``n`` times (the provenance columns).

    The column is chunked, each chunk a view of one block of repeats, so a million rows
    cost one block of memory instead of a million copies of the value (arrays are
    immutable, so sharing the block is safe).
    """
    rows = min(n, _CONSTANT_BLOCK)
    encoded = pa.DictionaryArray.from_arrays(
        pa.array(np.zeros(rows, dtype=np.int32)), pa.array([value], pa.large_string())
    )
    block = encoded.cast(pa.large_string())
    whole, rest = divmod(n, rows) if rows else (0, 0)
    chunks = [block] * whole + ([block.slice(0, rest)] if rest else [])
    return text_series(pa.chunked_array(chunks, type=pa.large_string()))


def text_series(values: pa.ChunkedArray) -> pd.Series[Any]:
    """A pandas ``str`` Series over an arrow string array (no copy of the text)."""
    series: pd.Series[Any] = values.to_pandas()
    return series


def empty_column(kind: str, n: int) -> pd.Series[Any]:
    """Return an all-NA Series of ``n`` values with the dtype of a canonical ``kind``."""
    if kind == "datetime":
        # NaT is the same instant in every zone: localise as UTC (no conversion), then view.
        naive = pd.Series(np.full(n, np.datetime64("NaT"), dtype="datetime64[ns]"))
        return naive.dt.tz_localize("UTC").dt.tz_convert(TIMEZONE)
    if kind == "int":
        return pd.Series(
            pd.arrays.IntegerArray(np.zeros(n, np.int64), np.ones(n, bool)), copy=False
        )
    if kind == "float":
        return pd.Series(
            pd.arrays.FloatingArray(np.zeros(n, np.float64), np.ones(n, bool)), copy=False
        )
    if kind == "bool":
        return pd.Series(pd.arrays.BooleanArray(np.zeros(n, bool), np.ones(n, bool)), copy=False)
    return text_series(pa.chunked_array([null_text(n)]))


@functools.lru_cache(maxsize=4)
def null_text(n: int) -> pa.Array:
    """An all-null text array of ``n`` values; immutable, so every empty column shares it.

    A null string array still carries an offset per value (8 bytes with ``large_string``),
    which for the dozen columns a layout lacks would cost ~100 MB per million rows.
    """
    zeros = pa.py_buffer(bytes(8 * (n + 1)))
    validity = pa.py_buffer(bytes((n + 7) // 8))
    return pa.LargeStringArray.from_buffers(n, zeros, pa.py_buffer(b""), validity, null_count=n)


#: Bytes compared at a time by :func:`count_byte` (no temporary the size of the buffer).
_COUNT_CHUNK = 1 << 22


def count_byte(data: bytes | bytearray | mmap.mmap | np.ndarray[Any, Any], byte: int) -> int:
    """How often ``byte`` occurs in ``data`` (any bytes-like buffer): numpy in slices,
    several times faster than ``bytes.count``, without a temporary the size of the buffer."""
    raw = np.frombuffer(data, dtype=np.uint8)
    return sum(
        int(np.count_nonzero(raw[start : start + _COUNT_CHUNK] == byte))
        for start in range(0, len(raw), _COUNT_CHUNK)
    )


def first_appearances(codes: np.ndarray[Any, Any]) -> np.ndarray[Any, np.dtype[np.intp]]:
    """The row where each code first appears, for codes numbered in order of first
    appearance (-1 for none, as ``pd.factorize`` gives them): where the running maximum
    grows. No hashing."""
    highest = np.maximum.accumulate(np.r_[-1, codes])
    return np.flatnonzero(highest[1:] > highest[:-1])


def amazon_order_numbers(values: pa.Array | pa.ChunkedArray) -> np.ndarray[Any, Any] | None:
    """The 17 digits of each Amazon order id as one int64, or None when any value has another
    shape or is missing.

    The numbers are as distinct as the ids and sort as the ids do, and hashing or sorting a
    million integers takes a fraction of the time the strings take. Read from the Arrow
    buffers directly, in one compiled pass (:func:`sellerguard.codes.order_numbers`).
    """
    from sellerguard.codes import order_numbers  # numba loads on first use, not at import

    chunks = values.chunks if isinstance(values, pa.ChunkedArray) else [values]
    numbers = [np.empty(0, dtype=np.int64)]
    for chunk in chunks:
        n = len(chunk)
        if n == 0:
            continue
        text_type = pa.types.is_string(chunk.type) or pa.types.is_large_string(chunk.type)
        if chunk.null_count or not text_type:
            return None
        _, offsets_buffer, data_buffer = chunk.buffers()
        if data_buffer is None:  # every value empty
            return None
        width = np.dtype(np.int64 if pa.types.is_large_string(chunk.type) else np.int32)
        offsets = np.frombuffer(
            offsets_buffer, dtype=width, count=n + 1, offset=chunk.offset * width.itemsize
        )
        found = order_numbers(np.frombuffer(data_buffer, dtype=np.uint8), offsets)
        if found is None:
            return None
        numbers.append(found)
    return np.concatenate(numbers)


def strip_key(values: pa.ChunkedArray) -> pa.ChunkedArray:
    """Trim spaces and Excel's ``="..."`` wrapper; empty becomes null.

    The checks come first because most files need neither, and rewriting a column of a
    million values costs time and memory.
    """
    if _plain_ends(values):
        return values
    if pc.any(pc.starts_with(values, '="')).as_py():
        values = pc.replace_substring_regex(values, r'^="(.*)"$', r"\1")
    trimmed = pc.utf8_trim_whitespace(values)
    if pc.all(pc.equal(pc.binary_length(trimmed), pc.binary_length(values))).as_py() is not False:
        return values
    return pc.if_else(pc.equal(trimmed, ""), pa.scalar(None, values.type), trimmed)


def _plain_ends(values: pa.ChunkedArray) -> bool:
    """Whether every value starts and ends with a printable ASCII byte other than a leading
    ``=``: then there is neither whitespace to trim nor an Excel ``="..."`` wrapper.

    Only the first and last byte of each value is looked at, straight from the arrow
    buffers; any other byte (including every non-ASCII one) answers False, leaving the
    exact check to ``strip_key``.
    """
    if not pa.types.is_large_string(values.type):
        return False
    for chunk in values.chunks:
        buffers = chunk.buffers()
        if not len(chunk) or buffers[2] is None:
            continue
        offsets = np.frombuffer(
            buffers[1], dtype=np.int64, count=len(chunk) + 1, offset=8 * chunk.offset
        )
        data = np.frombuffer(buffers[2], dtype=np.uint8)
        filled = offsets[1:] > offsets[:-1]
        first = data[offsets[:-1][filled]]
        last = data[offsets[1:][filled] - 1]
        if ((first - 0x21) > 0x5D).any() or (first == 0x3D).any() or ((last - 0x21) > 0x5D).any():
            return False
    return True


def parse_numbers(
    values: pa.ChunkedArray, integer: bool
) -> tuple[pd.Series[Any], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Parse numbers: pyarrow's cast when every value is plain, else once per distinct value."""
    present = pc.is_valid(values).to_numpy(zero_copy_only=False)
    try:
        floats = pc.cast(values, pa.float64()).to_numpy(zero_copy_only=False)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        numbers, codes, _ = map_distinct(values, _parse_number)
        floats = np.asarray([np.nan if v is None else v for v in numbers], dtype=np.float64)[codes]
    missing = np.isnan(floats)
    bad = missing & present
    if integer:
        fractional = ~missing & (np.round(floats) != floats)
        bad |= fractional
        missing |= fractional
        whole = np.where(missing, 0, floats).astype(np.int64)
        return pd.Series(pd.arrays.IntegerArray(whole, missing), copy=False), bad
    return pd.Series(
        pd.arrays.FloatingArray(np.where(missing, 0.0, floats), missing), copy=False
    ), bad


_NUMBER_JUNK = re.compile(r"[,\s¥￥円$]")


def _parse_number(text: str) -> float | None:
    """One number as people write it: ``1,980``, ``¥1,980``, ``１９８０円``, ``(5)``."""
    cleaned = _NUMBER_JUNK.sub("", unicodedata.normalize("NFKC", text))
    if cleaned.startswith('="') and cleaned.endswith('"'):
        cleaned = cleaned[2:-1]
    if cleaned.startswith("(") and cleaned.endswith(")"):
        cleaned = "-" + cleaned[1:-1]
    try:
        number = float(cleaned)
    except ValueError:
        return None
    return None if np.isnan(number) or np.isinf(number) else number


def parse_bool(text: str) -> bool | None:
    """``true``/``false`` in the spellings of ``TRUE_VALUES``/``FALSE_VALUES``; else None."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if folded in TRUE_VALUES:
        return True
    if folded in FALSE_VALUES:
        return False
    return None


def parse_payment(text: str) -> str | None:
    """``COD``, ``CVS`` or ``Other`` from a payment method as any report or tool words it."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    if not folded:
        return None
    found = PAYMENT_VALUES.get(folded) or PAYMENT_VALUES.get(folded.replace(" ", ""))
    if found is not None:
        return found
    if ("代" in folded and "引" in folded) or ("cash" in folded and "deliver" in folded):
        return "COD"
    if any(word in folded for word in ("コンビニ", "cvs", "convenience")):
        return "CVS"
    return "Other"


def map_distinct(
    values: pa.ChunkedArray, parse: Callable[[str], Any]
) -> tuple[list[Any], np.ndarray[Any, np.dtype[np.intp]], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Apply ``parse`` once per distinct value.

    Returns the results per distinct value with a final None for missing values, each row's
    index into them, and the rows whose present value failed to parse (``parse`` gave None).
    """
    encoded = pc.dictionary_encode(values).combine_chunks()
    results = [parse(v) for v in encoded.dictionary.to_pylist()]
    missing_code = len(results)
    codes = pc.fill_null(encoded.indices, missing_code).to_numpy(zero_copy_only=False)
    failed = np.asarray([r is None for r in results] + [False], dtype=bool)
    return [*results, None], codes.astype(np.intp), failed[codes]


def parse_dates(
    values: pa.ChunkedArray,
) -> tuple[pd.Series[Any], np.ndarray[Any, np.dtype[np.bool_]]]:
    """Parse dates to Asia/Tokyo: ISO 8601 with offset, naive local times, Excel's forms.

    The common case (every value ISO 8601 with an offset) is one pyarrow cast; other forms
    go through pandas, and odd ones once per distinct value.
    """
    try:
        stamps = pc.cast(values, pa.timestamp("ns", tz="UTC"))
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError):
        pass
    else:
        series: pd.Series[Any] = stamps.to_pandas()
        converted = series.dt.tz_convert(TIMEZONE)
        return converted, np.zeros(len(values), dtype=bool)
    text: pd.Series[Any] = values.to_pandas()
    result = empty_column("datetime", len(text))
    present = text.notna().to_numpy()
    text = text.str.strip()
    aware = text.str.contains(_AWARE.pattern, regex=True, na=False).to_numpy(dtype=bool)
    if aware.any():
        parsed = pd.to_datetime(text[aware], format="ISO8601", utc=True, errors="coerce")
        result.loc[aware] = parsed.dt.tz_convert(TIMEZONE)
    naive = present & ~aware
    if naive.any():
        parsed = pd.to_datetime(text[naive], format="ISO8601", errors="coerce")
        result.loc[naive] = _localise(parsed)
    todo = present & result.isna().to_numpy()
    for date_format in _DATE_FORMATS:
        if not todo.any():
            break
        parsed = pd.to_datetime(text[todo], format=date_format, errors="coerce")
        hit = parsed.notna().to_numpy()
        if hit.any():
            positions = np.flatnonzero(todo)[hit]
            result.iloc[positions] = _localise(parsed[hit]).to_numpy()
            todo[positions] = False
    if todo.any():
        serial = pd.to_numeric(text[todo], errors="coerce")
        excel = serial.between(_EXCEL_SERIAL_MIN, _EXCEL_SERIAL_MAX).to_numpy(dtype=bool)
        if excel.any():
            positions = np.flatnonzero(todo)[excel]
            days = pd.to_timedelta(serial[excel].to_numpy(dtype=np.float64), unit="D")
            local = (pd.Timestamp("1899-12-30") + days).round("s")
            result.iloc[positions] = local.tz_localize(TIMEZONE).to_numpy()
            todo[positions] = False
    if todo.any():
        leftovers = text[todo]
        mapped = {value: _parse_odd_date(value) for value in leftovers.unique()}
        odd = pd.Series([mapped[v] for v in leftovers], index=leftovers.index, dtype=object)
        result.loc[todo] = pd.to_datetime(odd, utc=True).dt.tz_convert(TIMEZONE)
        todo = present & result.isna().to_numpy()
    return result, todo


def _localise(parsed: pd.Series[Any]) -> pd.Series[Any]:
    """Naive times are Tokyo local times; aware ones are converted to Tokyo."""
    local: pd.Series[Any]
    if getattr(parsed.dt, "tz", None) is not None:
        local = parsed.dt.tz_convert(TIMEZONE)
    else:
        local = parsed.dt.tz_localize(TIMEZONE, ambiguous="NaT", nonexistent="NaT")
    return local


#: Excel's serial day numbers (days since 1899-12-30) for 1990-2100, written by Excel when
#: a date cell is saved in the General format.
_EXCEL_SERIAL_MIN = 32_874
_EXCEL_SERIAL_MAX = 73_415
_JAPANESE_DATE = re.compile(r"(\d{4})年(\d{1,2})月(\d{1,2})日")
_ZONE_SUFFIX = re.compile(r"\s*(JST|UTC|GMT)$")


def _parse_odd_date(value: str) -> pd.Timestamp | None:
    """Last resort for one distinct value: Japanese dates, ``JST`` suffixes, NFKC digits."""
    text = unicodedata.normalize("NFKC", value).strip()
    text = _JAPANESE_DATE.sub(r"\1-\2-\3", text)
    text = _ZONE_SUFFIX.sub(lambda m: "+09:00" if m.group(1) == "JST" else "+00:00", text)
    if text.startswith('="') and text.endswith('"'):
        text = text[2:-1]
    try:
        stamp = pd.Timestamp(text.replace("/", "-"))
    except (ValueError, OverflowError):
        return None
    if pd.isna(stamp):
        return None
    if stamp.tzinfo is None:
        return stamp.tz_localize(TIMEZONE)
    return stamp.tz_convert(TIMEZONE)


def join_groups(codes: np.ndarray[Any, Any], n: int, separator: str, texts: pa.Array) -> pa.Array:
    """Join texts per group in one pass: ``texts[i]`` is an entry of group ``codes[i]``.

    Entries must be sorted by ``codes`` (their order within a group is kept); null entries
    and entries of no group (code -1) are left out. Returns one large string per group
    ``0..n-1``, null for a group without entries.
    """
    keep = (codes >= 0) & texts.is_valid().to_numpy(zero_copy_only=False)
    if not keep.all():
        codes = codes[keep]
        texts = texts.filter(pa.array(keep))
    if not len(codes):
        return pa.nulls(n, pa.large_string())
    counts = np.bincount(codes, minlength=n)
    offsets = np.zeros(n + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    groups = pa.LargeListArray.from_arrays(pa.array(offsets), texts, mask=pa.array(counts == 0))
    return pc.binary_join(groups, pa.scalar(separator, pa.large_string()))
