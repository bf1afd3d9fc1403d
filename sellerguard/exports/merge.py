"""Merge item rows from several exports into one table of orders keyed by order id.

The rules (docs/ARCHITECTURE.md §1): text values take the first non-empty value in source
precedence (order report > all-orders > Orders API > pending > returns; within a source the
first file and line), except ``payment_method`` where the Orders API wins; quantities and
values are summed over the items of the best source; ``sources`` keeps the provenance of
every row merged into the order.

Orders come in the order of their first item row (input order, then line order). Seller
Central files are chronological, and gathering values in that order is several times
faster on a million orders than in order-id order.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Collection, Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc

from sellerguard.exports.columns import (
    ALL_ORDERS,
    ITEM_COLUMNS,
    KINDS,
    ORDER_REPORT,
    ORDERS_API,
    PENDING,
    PROVENANCE_COLUMNS,
    RETURNS,
    SOURCE_PRECEDENCE,
    TIMEZONE,
)
from sellerguard.exports.detect import Source
from sellerguard.exports.read import ExportRead, RowProblem, read_export
from sellerguard.exports.values import (
    amazon_order_numbers,
    empty_column,
    first_appearances,
    join_groups,
)
from sellerguard.parallel import side_by_side, worker_count

DATETIME_DTYPE = pd.DatetimeTZDtype("ns", TIMEZONE)

#: Sources whose items count towards an order's quantity and value, best first.
_QUANTITY_SOURCES = (ORDER_REPORT, ALL_ORDERS, PENDING, RETURNS)

#: Position of each kind in ``KINDS``, and each position's merge precedence (lower wins).
_INDEX: dict[str, int] = {kind: i for i, kind in enumerate(KINDS)}
_PRECEDENCE_BY_INDEX = np.asarray([SOURCE_PRECEDENCE[k] for k in KINDS] + [len(KINDS)])

#: Threads gathering order columns (pyarrow's take releases the GIL).
_GATHER_THREADS = 2

#: Order columns taken from the order's largest item (see ``_quantities``).
_LARGEST_ITEM_COLUMNS = ("sku", "asin", "product_name")

#: Order-level columns added to the item columns.
ORDER_EXTRA_COLUMNS: dict[str, str] = {
    "order_value": "Float64",
    "skus": "str",
    "status": "str",
    "in_order_report": "boolean",
    "in_pending_report": "boolean",
    "returned": "boolean",
    "sources": "str",
}


#: Every column of ``OrderSet.orders``, in order.
ORDER_COLUMNS: list[str] = [
    *(c for c in ITEM_COLUMNS if c not in PROVENANCE_COLUMNS),
    *ORDER_EXTRA_COLUMNS,
]


@dataclass
class OrderSet:
    """Orders merged from one or more exports.

    Attributes
    ----------
    items
        One row per item line per file (canonical item columns, duplicates removed).
    orders
        One row per distinct order id (RangeIndex, ``order_id`` a column).
    reads
        The per-file outcomes, in input order (empty when rebuilt from stored items).
    """

    items: pd.DataFrame
    orders: pd.DataFrame
    reads: list[ExportRead] = field(default_factory=list)

    @classmethod
    def from_items(cls, items: pd.DataFrame, reads: Sequence[ExportRead] = ()) -> OrderSet:
        """Build an order set from item rows (e.g. the store's), merging them into orders."""
        clean = dedupe_items(conform_items(items))
        return cls(items=clean, orders=merge_orders(clean), reads=list(reads))

    @classmethod
    def concat(cls, sets: Iterable[OrderSet]) -> OrderSet:
        """Merge several order sets into one, as if their files had been read together."""
        sets = list(sets)
        frames = [s.items for s in sets]
        items = pd.concat(frames, ignore_index=True) if frames else empty_items()
        return cls.from_items(items, [r for s in sets for r in s.reads])

    @property
    def problems(self) -> list[RowProblem]:
        """Every row problem of every file read."""
        return [p for r in self.reads for p in r.problems]


def read_exports(sources: Iterable[Source], columns: Collection[str] | None = None) -> OrderSet:
    """Read several exports and merge them into one order set.

    Parameters
    ----------
    sources
        Paths or ``(name, bytes)`` pairs, in any mix of kinds.
    columns
        Only these columns of ``ORDER_COLUMNS`` in ``orders`` (names not in it are ignored):
        the others are not merged at all. A scan reads a third of the columns, and gathering
        product names, prices and provenance for a million orders costs about a second.
        Item columns that neither these nor the merge need (payment dates, taxes, shipping
        prices, channels ...) are then not parsed either: they are empty in ``items``, and
        their values raise no warnings. Default: every column, and complete items.

    Raises
    ------
    UnreadableExport
        For the first file that is not an order export.
    """
    wanted = None if columns is None else frozenset(columns) | {"order_id"}
    reads = _read_all(sources, () if wanted is None else _unused_item_columns(wanted))
    filled = [read for read in reads if len(read.items)]
    sizes = [len(read.items) for read in filled]
    frames = [read.items for read in filled]
    for read in reads:
        read.items = empty_items()
    kinds = [read.kind for read in filled]
    if len(set(kinds)) < len(kinds) or not kinds:
        items = _stack_items(frames)
        del frames
        _share_items(filled, sizes, items)
        if kinds:
            items = dedupe_items(items, np.repeat(np.arange(len(kinds)), sizes))
        return OrderSet(items=items, orders=_merge_items(items, wanted), reads=reads)
    # The order ids are numbered in a helper thread while this one stacks the item tables
    # (each about a fifth of a second for two million items, on one core).
    order_ids = pd.concat([frame["order_id"] for frame in frames], ignore_index=True)
    items, numbered = side_by_side(
        partial(_stack_items, frames),
        partial(_factorize_order_ids, order_ids),
        rows=len(order_ids),
    )
    del frames, order_ids
    _share_items(filled, sizes, items)
    file_codes, file_names = pd.factorize(pd.Series([read.name for read in filled], dtype=object))
    kind_codes = np.asarray([_INDEX.get(kind, len(KINDS)) for kind in kinds], dtype=np.int8)
    orders = _merge(
        items,
        np.repeat(kind_codes, sizes),
        np.repeat(file_codes.astype(np.int32), sizes),
        [str(name) for name in file_names],
        wanted,
        numbered,
    )
    return OrderSet(items=items, orders=orders, reads=reads)


#: Item columns the merge reads whichever order columns are wanted: the order id, the
#: status (from the item status, update time and quantity to ship), the quantity and the
#: largest item, and what tells repeated item rows apart (``dedupe_items``).
_MERGE_READS = frozenset(
    {
        "order_id",
        "order_status",
        "last_updated_date",
        "quantity_to_ship",
        "quantity",
        "return_quantity",
        "item_price",
        "sku",
        "asin",
        "product_name",
        "order_item_id",
        "rma_id",
        "return_date",
    }
)


def _unused_item_columns(wanted: frozenset[str]) -> frozenset[str]:
    """Item columns that neither the ``wanted`` order columns nor the merge read."""
    needed = wanted | _MERGE_READS | ({"order_total"} if "order_value" in wanted else set())
    return frozenset(ITEM_COLUMNS) - needed - set(PROVENANCE_COLUMNS)


def _read_all(sources: Iterable[Source], skip: Collection[str] = ()) -> list[ExportRead]:
    """``read_export`` of each source, in order, with up to ``worker_count()`` files at once.

    Much of a read runs on one core (converting the parsed columns), while pyarrow's parse
    of the next file can use the other, so two files read side by side finish sooner than
    one after the other. The first source (in input order) that is not an export is the
    error raised, as when reading one by one; files still being read then finish in the
    background and are dropped.
    """
    workers = worker_count()
    if workers <= 1:
        return [read_export(source, skip) for source in sources]
    pool = ThreadPoolExecutor(max_workers=workers, thread_name_prefix="sellerguard-read")
    try:
        futures = [pool.submit(read_export, source, skip) for source in sources]
        return [future.result() for future in futures]
    finally:
        pool.shutdown(wait=False, cancel_futures=True)


def _stack_items(frames: list[pd.DataFrame]) -> pd.DataFrame:
    """Concatenate item tables column by column, emptying ``frames`` as it goes.

    Each file's column is released as soon as it is copied, so the numeric columns never
    exist twice over (``pd.concat`` of whole frames holds both); text columns are only
    re-chunked, and a column no file has becomes one shared all-NA column.
    """
    if not frames:
        return empty_items()
    total = sum(len(frame) for frame in frames)
    out: dict[str, pd.Series[Any]] = {}
    for column, kind in ITEM_COLUMNS.items():
        parts = [frame.pop(column) for frame in frames]
        if all(part.count() == 0 for part in parts):
            out[column] = empty_column(kind, total)
        else:
            out[column] = pd.concat(parts, ignore_index=True)
        del parts
    return pd.DataFrame(out, copy=False)


def _share_items(reads: Sequence[ExportRead], sizes: Sequence[int], items: pd.DataFrame) -> None:
    """Give each read its slice of the combined item table (``sizes``: rows per read).

    The combined table holds the only copy of the numeric columns; the reads' own tables
    would otherwise keep a second copy alive for as long as the order set.
    """
    start = 0
    for read, size in zip(reads, sizes, strict=True):
        read.items = items.iloc[start : start + size].reset_index(drop=True)
        start += size


def empty_items() -> pd.DataFrame:
    """Return an item table with no rows and every canonical column."""
    return conform_items(pd.DataFrame(index=range(0)))


def conform_items(items: pd.DataFrame) -> pd.DataFrame:
    """Return ``items`` with exactly the canonical columns and dtypes (missing ones NA)."""
    out: dict[str, pd.Series[Any]] = {}
    n = len(items)
    for column, kind in ITEM_COLUMNS.items():
        if column in items.columns:
            out[column] = _coerce(items[column].reset_index(drop=True), kind)
        else:
            out[column] = empty_column(kind, n)
    return pd.DataFrame(out, copy=False)


def _coerce(series: pd.Series[Any], kind: str) -> pd.Series[Any]:
    """Give a column the canonical dtype of ``kind`` (stored tables may hold plainer types).

    Naive datetimes are taken as Tokyo time, text dates as ISO 8601.
    """
    if kind == "datetime":
        stamps: pd.Series[Any]
        if isinstance(series.dtype, pd.DatetimeTZDtype):
            stamps = series.dt.tz_convert(TIMEZONE)
        elif pd.api.types.is_datetime64_dtype(series.dtype):
            stamps = series.dt.tz_localize(TIMEZONE)
        else:
            stamps = pd.to_datetime(series, utc=True, format="ISO8601").dt.tz_convert(TIMEZONE)
        return stamps.astype(DATETIME_DTYPE)
    target: Any = {
        "int": pd.Int64Dtype(),
        "float": pd.Float64Dtype(),
        "bool": pd.BooleanDtype(),
    }.get(kind, pd.StringDtype(storage="pyarrow", na_value=np.nan))
    if series.dtype == target:
        return series
    if kind == "int" and not pd.api.types.is_numeric_dtype(series.dtype):
        series = pd.to_numeric(series)
    converted: pd.Series[Any] = series.astype(target)
    return converted


def dedupe_items(
    items: pd.DataFrame, file_index: np.ndarray[Any, Any] | None = None
) -> pd.DataFrame:
    """Drop item rows that repeat a row of the same order, item and source kind.

    An item is identified by ``order_item_id`` when the layout has it, else by its SKU, ASIN
    and product name (returns also by RMA id and return date) and its rank among identical
    lines of its file, so two equal lines of one file stay two items. Of repeats the most
    recently updated row is kept (the first read on ties): reading one file twice, or two
    overlapping downloads, never doubles quantities.

    Parameters
    ----------
    items
        Item rows of one or more files.
    file_index
        Which input file each row came from; defaults to ``source_file`` (two inputs with
        the same name then count as one file).
    """
    if items.empty:
        return items.reset_index(drop=True)
    has_item_id = items["order_item_id"].notna().to_numpy()
    keys: dict[str, np.ndarray[Any, Any]] = {}
    for column in ("order_id", "source_kind", "order_item_id", "rma_id", "return_date"):
        keys[column] = pd.factorize(items[column], use_na_sentinel=True)[0]
    for column in ("sku", "asin", "product_name"):
        codes = pd.factorize(items[column], use_na_sentinel=True)[0]
        keys[column] = np.where(has_item_id, -2, codes)
    files = file_index if file_index is not None else pd.factorize(items["source_file"])[0]
    frame = pd.DataFrame(keys)
    frame["occurrence"] = frame.assign(file=files).groupby([*keys, "file"]).cumcount()
    if not frame.duplicated().any():
        return items.reset_index(drop=True)
    updated = items["last_updated_date"].to_numpy(dtype="datetime64[ns]").view(np.int64)
    updated = np.where(
        items["last_updated_date"].isna().to_numpy(), np.iinfo(np.int64).min, updated
    )
    preference = np.lexsort((np.arange(len(items)), -updated.astype(np.float64)))
    duplicated = frame.iloc[preference].duplicated().to_numpy()
    kept = np.sort(preference[~duplicated])
    return items.iloc[kept].reset_index(drop=True)


def merge_orders(items: pd.DataFrame) -> pd.DataFrame:
    """Merge item rows into one row per order id (see the module docstring for the rules)."""
    return _merge_items(items, None)


def _merge_items(items: pd.DataFrame, wanted: frozenset[str] | None) -> pd.DataFrame:
    """``merge_orders`` making only the ``wanted`` order columns (all with None)."""
    items = items.reset_index(drop=True)
    if items.empty:
        orders = _empty_orders()
        return orders if wanted is None else orders[[c for c in ORDER_COLUMNS if c in wanted]]
    file_codes, file_names = pd.factorize(items["source_file"])
    return _merge(
        items,
        kind_indices(items["source_kind"]),
        file_codes,
        [str(f) for f in file_names],
        wanted,
    )


def _merge(
    items: pd.DataFrame,
    kinds: np.ndarray[Any, Any],
    file_codes: np.ndarray[Any, Any],
    file_names: Sequence[str],
    wanted: frozenset[str] | None = None,
    numbered: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]] | None = None,
) -> pd.DataFrame:
    """``merge_orders`` once each row's kind position and file code are known.

    ``read_exports`` knows them from the files it read, which saves hashing two
    provenance columns of a million rows each, and may pass the order ids' codes
    (``numbered``: ``_factorize_order_ids`` of ``items["order_id"]``). With ``wanted``, only
    those order columns are made (and what they are made from).
    """

    def want(column: str) -> bool:
        return wanted is None or column in wanted

    raw_codes, first_rows = (
        numbered if numbered is not None else _factorize_order_ids(items["order_id"])
    )
    n = len(first_rows)
    rank = _PRECEDENCE_BY_INDEX[kinds]
    lines = items["source_line"].to_numpy(dtype=np.int64, na_value=0)
    order = _precedence_order(raw_codes, rank, file_codes, lines)
    del rank
    merged = _Grouping(order.astype(np.int32), raw_codes[order].astype(np.int32), n)
    del order
    # The texts built from many rows come first, while the order table is still empty, so
    # their scratch memory is free again before the gathered columns take their place.
    sources = merged.provenance(file_codes, lines, file_names) if want("sources") else None
    del lines
    # The status and the order ids (a tenth of the merge each) are made in a helper
    # thread while this one gathers the other columns.
    result, (status, order_ids) = side_by_side(
        lambda: _gather_columns(items, kinds, merged, want),
        lambda: (_status(items, raw_codes, kinds, n), take_rows(items["order_id"], first_rows)),
        rows=len(items),
    )
    result["order_id"] = order_ids
    quantities = _quantities(items, raw_codes, kinds, merged, want)
    if "order_value" in quantities:  # the order total stands in where the items have no price
        quantities["order_value"] = quantities["order_value"].fillna(result["order_total"])
    orders = pd.DataFrame({**result, **quantities}, copy=False)
    del result, quantities
    orders["status"] = status
    for flag, flag_kind in (
        ("in_order_report", ORDER_REPORT),
        ("in_pending_report", PENDING),
        ("returned", RETURNS),
    ):
        hits = np.zeros(n, dtype=bool)
        hits[raw_codes[kinds == _INDEX[flag_kind]]] = True
        orders[flag] = pd.array(hits, dtype="boolean")
    if sources is not None:
        orders["sources"] = sources
    return orders[[column for column in ORDER_COLUMNS if want(column)]]


def _factorize_order_ids(
    ids: pd.Series[Any],
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, np.dtype[np.intp]]]:
    """The codes of ``pd.factorize(ids)`` (first appearance first) and each code's first row.

    Amazon order ids are factorised as the numbers their digits spell, several times faster
    than hashing two million strings; any other id falls back to the strings.
    """
    from sellerguard.codes import factorize  # numba loads on first use, not at import

    numbers = amazon_order_numbers(pa.array(ids.array))
    codes = pd.factorize(ids)[0] if numbers is None else factorize(numbers)
    return codes, first_appearances(codes)


def _gather_columns(
    items: pd.DataFrame,
    kinds: np.ndarray[Any, Any],
    merged: _Grouping,
    want: Callable[[str], bool],
) -> dict[str, pd.Series[Any]]:
    """Each wanted text, date and flag column of the orders: its first valid value by
    precedence (the Orders API's payment method first)."""
    result = merged.first_valid_columns(
        {
            column: (items[column], kind)
            for column, kind in ITEM_COLUMNS.items()
            if column not in PROVENANCE_COLUMNS
            and column not in _LARGEST_ITEM_COLUMNS
            and column not in ("order_id", "quantity")  # quantities: _quantities
            and (
                want(column)
                # the order total stands in for an order value the items do not give
                or (column == "order_total" and want("order_value"))
            )
        }
    )
    merged.forget_rows()
    api = kinds == _INDEX[ORDERS_API]
    if api.any() and want("payment_method"):
        api_payment = merged.first_valid(items["payment_method"].where(api), "str")
        result["payment_method"] = api_payment.fillna(result["payment_method"])
    return result


def _precedence_order(
    codes: np.ndarray[Any, Any],
    rank: np.ndarray[Any, Any],
    file_codes: np.ndarray[Any, Any],
    lines: np.ndarray[Any, Any],
) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Row positions sorted by order, source precedence, file and line (then position).

    Rows usually come file by file in line order already; then a stable sort on order and
    precedence alone gives the same order, and on such nearly sorted input numpy's stable
    sort is a few merges instead of a four-key sort.
    """
    if len(codes) > 1:
        file_step = np.diff(file_codes)
        in_place = (file_step > 0) | ((file_step == 0) & (np.diff(lines) >= 0))
        if in_place.all():
            key = codes.astype(np.int64) * len(_PRECEDENCE_BY_INDEX) + rank
            sorted_rows: np.ndarray[Any, np.dtype[np.intp]] = np.argsort(key, kind="stable")
            return sorted_rows
    return np.lexsort((lines, file_codes, rank, codes))


def _empty_orders() -> pd.DataFrame:
    """The order table with no rows and every column."""
    frame = empty_items().drop(columns=list(PROVENANCE_COLUMNS))
    for column, dtype in ORDER_EXTRA_COLUMNS.items():
        frame[column] = pd.Series(dtype=dtype)
    return frame


def take_rows(values: pd.Series[Any], source: np.ndarray[Any, Any]) -> pd.Series[Any]:
    """``values`` at row positions ``source`` (-1 gives NA), as a new RangeIndex Series.

    Text columns are gathered by pyarrow from one contiguous array, made for the gather
    and dropped after it: copying the chunks together (a memcpy) and taking from the
    copy costs less than pyarrow's take over hundreds of read blocks, and the item table
    keeps no second copy.
    """
    if isinstance(values.dtype, pd.StringDtype) and values.dtype.storage == "pyarrow":
        text = pa.array(values.array)
        if isinstance(text, pa.ChunkedArray):
            text = text.chunk(0) if text.num_chunks == 1 else text.combine_chunks()
        taken = text.take(pa.array(source, mask=source < 0))
        del text
        series: pd.Series[Any] = pa.chunked_array([taken]).to_pandas()
        return series
    return pd.Series(values.array.take(source, allow_fill=True), copy=False)


def _gather(
    jobs: Mapping[str, tuple[pd.Series[Any], np.ndarray[Any, Any]]],
) -> dict[str, pd.Series[Any]]:
    """``take_rows(values, rows)`` of each ``name: (values, rows)``, on two threads.

    pyarrow's take releases the GIL, and gathering is most of the merge's time.
    """
    with ThreadPoolExecutor(max_workers=_GATHER_THREADS) as pool:
        futures = {
            name: pool.submit(take_rows, values, rows) for name, (values, rows) in jobs.items()
        }
        return {name: future.result() for name, future in futures.items()}


def _first_ranked(
    group: np.ndarray[Any, Any], keys: Sequence[np.ndarray[Any, Any]], n: int
) -> np.ndarray[Any, np.dtype[np.int64]]:
    """For each group ``0..n-1`` the entry ranked first by ``keys``; -1 for an empty group.

    Entries ``i`` belong to ``group[i]`` and rank as ``np.lexsort((i, *keys))`` would rank
    them (the last key first, ties by position). Only groups with several entries are
    sorted: most orders have one item, so that is a small part of the rows.
    """
    first = np.full(n, -1, dtype=np.int64)
    if not len(group):
        return first
    if group.min() >= 0:
        alone = np.bincount(group, minlength=n)[group] == 1
        first[group[alone]] = np.flatnonzero(alone)
        todo = np.flatnonzero(~alone)
    else:
        todo = np.arange(len(group))
    if len(todo):
        ranked = todo[np.lexsort((todo, *(key[todo] for key in keys), group[todo]))]
        sorted_groups = group[ranked]
        head = np.r_[True, sorted_groups[1:] != sorted_groups[:-1]]
        first[sorted_groups[head]] = ranked[head]
    return first


def kind_indices(source_kind: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.intp]]:
    """Each row's position of its ``source_kind`` in ``KINDS`` (``len(KINDS)`` if unknown)."""
    codes, uniques = pd.factorize(source_kind)
    lookup = np.asarray([_INDEX.get(str(u), len(KINDS)) for u in uniques] + [len(KINDS)])
    return lookup[codes].astype(np.intp)


class _Grouping:
    """Rows sorted by order (``order``: row positions; ``codes``: their sorted group codes)."""

    def __init__(self, order: np.ndarray[Any, Any], codes: np.ndarray[Any, Any], n: int) -> None:
        self.order = order
        self.codes = codes
        self.n = n
        self._sources: dict[bytes, np.ndarray[Any, Any]] = {}

    def first_rows(self, valid: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Row position of each group's first valid row (-1 if none), cached per pattern.

        Most columns share one of a few patterns (present in every row, only in the order
        report's rows, only in the all-orders report's ...), so this runs a few times, not
        once per column.
        """
        key = hashlib.blake2b(np.packbits(valid).tobytes(), digest_size=16).digest()
        cached = self._sources.get(key)
        if cached is not None:
            return cached
        positions = np.flatnonzero(valid[self.order])
        source = np.full(self.n, -1, dtype=np.int32)
        if len(positions):
            groups = self.codes[positions]
            first = np.r_[True, groups[1:] != groups[:-1]]
            source[groups[first]] = self.order[positions[first]]
        self._sources[key] = source
        return source

    def forget_rows(self) -> None:
        """Drop the cached ``first_rows`` (an int32 per order for each pattern)."""
        self._sources.clear()

    def first_valid(self, values: pd.Series[Any], kind: str) -> pd.Series[Any]:
        """Per group, the first non-NA value in sorted order; NA when the group has none."""
        valid = values.notna().to_numpy()
        if not valid.any():
            return empty_column(kind, self.n)
        return take_rows(values, self.first_rows(valid))

    def first_valid_columns(
        self, columns: Mapping[str, tuple[pd.Series[Any], str]]
    ) -> dict[str, pd.Series[Any]]:
        """``first_valid`` of each ``name: (values, kind)``, in the order given.

        The rows are chosen here; the gathers run on two threads, as pyarrow's take
        releases the GIL and is most of the merge's time.
        """
        chosen: dict[str, tuple[pd.Series[Any], np.ndarray[Any, Any]]] = {}
        result: dict[str, pd.Series[Any]] = {}
        for name, (values, kind) in columns.items():
            valid = values.notna().to_numpy()
            if valid.any():
                chosen[name] = (values, self.first_rows(valid))
            else:
                result[name] = empty_column(kind, self.n)
        result.update(_gather(chosen))
        return {name: result[name] for name in columns}

    def provenance(
        self,
        file_codes: np.ndarray[Any, Any],
        lines: np.ndarray[Any, Any],
        names: Sequence[str],
    ) -> pd.Series[Any]:
        """Per group, the ``file:line`` of its rows in sorted order, ``;``-joined.

        Rows sort by source precedence, file and line, so a ``file:line`` repeated within a
        group (two inputs with the same name) is adjacent and written once.
        """
        rows = self.order
        files_sorted = file_codes[rows]
        lines_sorted = lines[rows]
        repeat = (
            (self.codes[1:] == self.codes[:-1])
            & (files_sorted[1:] == files_sorted[:-1])
            & (lines_sorted[1:] == lines_sorted[:-1])
        )
        keep = ~np.r_[False, repeat]
        kept_rows = rows[keep]
        del files_sorted, lines_sorted, repeat
        kept_files = file_codes[kept_rows]
        file_names = pa.array(list(names), pa.large_string()).take(
            pa.array(kept_files, mask=kept_files < 0)
        )
        line_texts = pc.cast(pa.array(lines[kept_rows]), pa.large_string())
        del kept_rows, kept_files
        texts = pc.binary_join_element_wise(
            file_names, line_texts, pa.scalar(":", pa.large_string())
        )
        del file_names, line_texts
        return _join_groups(self.codes[keep], self.n, ";", texts)


def _quantities(
    items: pd.DataFrame,
    codes: np.ndarray[Any, Any],
    kinds: np.ndarray[Any, Any],
    merged: _Grouping,
    want: Callable[[str], bool] = lambda column: True,
) -> dict[str, pd.Series[Any]]:
    """Quantity and value summed over the items of each order's best source; largest item.

    ``sku`` is the largest item's (of those with a SKU); ``asin`` and ``product_name`` are
    those of that SKU in source precedence (the order report has no ASIN, the all-orders
    report has), else the order's first. Of value, ASIN, product name and the list of SKUs,
    only the columns ``want`` asks for are made. ``order_value`` is NA where no item has a
    price (the caller fills in the order total).
    """
    orders: dict[str, pd.Series[Any]] = {}
    n = merged.n
    unranked = len(_QUANTITY_SOURCES)
    source_rank = np.full(len(kinds), unranked, dtype=np.int8)
    for rank, kind in enumerate(_QUANTITY_SOURCES):
        source_rank[kinds == _INDEX[kind]] = rank
    best = np.full(n, unranked, dtype=np.int8)
    np.minimum.at(best, codes, source_rank)
    chosen = (source_rank == best[codes]) & (source_rank < unranked)
    del source_rank, best
    returned = kinds == _INDEX[RETURNS]
    quantity = items["quantity"].to_numpy(dtype="float64", na_value=np.nan)
    if returned.any():
        returns = items["return_quantity"].to_numpy(dtype="float64", na_value=np.nan)
        quantity = np.where(returned, returns, quantity)
        del returns
    del returned
    price = items["item_price"].to_numpy(dtype="float64", na_value=np.nan)
    orders["quantity"] = _group_sum(codes[chosen], quantity[chosen], n).astype("Int64")
    if want("order_value"):
        orders["order_value"] = _group_sum(codes[chosen], price[chosen], n)
    sku_valid = items["sku"].notna().to_numpy()
    largest = _largest_item(codes, chosen & sku_valid, quantity, price, n)
    del quantity, price, chosen
    sku_rows = np.where(largest >= 0, largest, merged.first_rows(sku_valid))
    jobs = {"sku": (items["sku"], sku_rows)}
    sku_codes, skus = pd.factorize(items["sku"])
    chosen_code = np.where(sku_rows >= 0, sku_codes[sku_rows], -2)
    same_sku = (sku_codes == chosen_code[codes]) & sku_valid
    for column in ("asin", "product_name"):
        if not want(column):
            continue
        valid = items[column].notna().to_numpy()
        of_sku = merged.first_rows(valid & same_sku)
        jobs[column] = (items[column], np.where(of_sku >= 0, of_sku, merged.first_rows(valid)))
    for column, values in _gather(jobs).items():
        orders[column] = values
    if want("skus"):
        orders["skus"] = _distinct_skus(codes, sku_codes, skus, n)
    return orders


def _group_sum(codes: np.ndarray[Any, Any], values: np.ndarray[Any, Any], n: int) -> pd.Series[Any]:
    """Per group sum of the non-NaN values; NA where a group has none."""
    present = ~np.isnan(values)
    sums = np.bincount(codes[present], weights=values[present], minlength=n)
    counts = np.bincount(codes[present], minlength=n)
    return pd.Series(pd.arrays.FloatingArray(sums.astype(np.float64), counts == 0), copy=False)


def _largest_item(
    codes: np.ndarray[Any, Any],
    chosen: np.ndarray[Any, Any],
    quantity: np.ndarray[Any, Any],
    price: np.ndarray[Any, Any],
    n: int,
) -> np.ndarray[Any, Any]:
    """Row position of each order's largest chosen item (by quantity, then price); -1 if none."""
    positions = np.flatnonzero(chosen)
    q = np.nan_to_num(quantity[positions], nan=-1.0)
    p = np.nan_to_num(price[positions], nan=-1.0)
    first = _first_ranked(codes[positions], (-p, -q), n)
    if not len(positions):
        return first
    largest: np.ndarray[Any, Any] = np.where(first >= 0, positions[first], -1)
    return largest


def _distinct_skus(
    codes: np.ndarray[Any, Any], sku_codes: np.ndarray[Any, Any], skus: pd.Index, n: int
) -> pd.Series[Any]:
    """``|``-joined distinct SKUs of each order, sorted (``sku_codes`` index ``skus``)."""
    has = sku_codes >= 0
    alphabetical = np.argsort(np.asarray(skus, dtype=object), kind="stable")
    rank = np.empty(len(skus), dtype=np.int64)
    rank[alphabetical] = np.arange(len(skus))
    skus = skus.take(alphabetical)
    width = max(len(skus), 1)
    pairs = np.sort(codes[has].astype(np.int64) * width + rank[sku_codes[has]])
    pairs = pairs[np.r_[True, pairs[1:] != pairs[:-1]]] if len(pairs) else pairs
    texts = pc.cast(pa.array(pd.Series(skus, dtype="str").array), pa.large_string())
    return _join_groups(pairs // width, n, "|", texts.take(pa.array(pairs % width)))


def _join_groups(
    codes: np.ndarray[Any, Any], n: int, separator: str, texts: pa.Array
) -> pd.Series[Any]:
    """``join_groups`` as a ``str`` Series; entries are sorted by ``codes`` and distinct."""
    joined = join_groups(codes, n, separator, texts)
    if joined.null_count == n:
        return empty_column("str", n)
    series: pd.Series[Any] = pa.chunked_array([joined]).to_pandas()
    return series


def _status(
    items: pd.DataFrame, codes: np.ndarray[Any, Any], kinds: np.ndarray[Any, Any], n: int
) -> pd.Series[Any]:
    """The order's status: latest all-orders/Orders API status, else implied by the reports.

    Works on the codes of the few distinct statuses, never on a million Python strings.
    """
    status_codes, labels = pd.factorize(items["order_status"])
    implied = {name: len(labels) + i for i, name in enumerate(("Unshipped", "Shipped", "Pending"))}
    out = np.full(n, -1, dtype=np.int64)
    lifecycle = ((kinds == _INDEX[ALL_ORDERS]) | (kinds == _INDEX[ORDERS_API])) & (
        status_codes >= 0
    )
    if lifecycle.any():
        rows = np.flatnonzero(lifecycle)
        stamps = items["last_updated_date"]
        updated = stamps.to_numpy(dtype="datetime64[ns]").view(np.int64)[rows]
        updated = np.where(stamps.isna().to_numpy()[rows], np.iinfo(np.int64).min, updated)
        is_api = (kinds[rows] == _INDEX[ORDERS_API]).astype(np.int64)
        first = _first_ranked(codes[rows], (is_api, -updated.astype(np.float64)), n)
        ranked = first >= 0
        out[ranked] = status_codes[rows[first[ranked]]]
    report = kinds == _INDEX[ORDER_REPORT]
    if report.any():
        to_ship = items["quantity_to_ship"].to_numpy(dtype="float64", na_value=np.nan)
        unshipped = np.zeros(n, dtype=bool)
        unshipped[codes[report & (to_ship != 0)]] = True
        shipped = np.zeros(n, dtype=bool)
        shipped[codes[report & (to_ship == 0)]] = True
        empty = out < 0
        out[empty & unshipped] = implied["Unshipped"]
        out[empty & ~unshipped & shipped] = implied["Shipped"]
    pending = np.zeros(n, dtype=bool)
    pending[codes[kinds == _INDEX[PENDING]]] = True
    out[(out < 0) & pending] = implied["Pending"]
    names = pa.array([*map(str, labels), *implied], pa.large_string())
    series: pd.Series[Any] = pa.chunked_array([names.take(pa.array(out, mask=out < 0))]).to_pandas()
    return series
