"""Read one export into canonical item rows, reporting every row it could not take.

Parsing is pyarrow's multi-threaded CSV reader with every column read as text; values are
converted column by column (expensive parsing once per distinct value). Rows pyarrow rejects
(too few or too many fields) are reported with their physical line number, so that
``rows_in == rows_read + rejected rows`` always holds.
"""

from __future__ import annotations

import codecs
import mmap
import sys
from collections.abc import Collection, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pacsv

from sellerguard import parallel
from sellerguard.errors import UnreadableExport
from sellerguard.exports.columns import (
    ITEM_COLUMNS,
    KEY_COLUMNS,
    PAYMENT_TYPE,
    RETURNS,
)
from sellerguard.exports.detect import (
    Data,
    ExportFormat,
    Source,
    detect_format,
    detect_mapped,
    load_source,
    refuse_early,
)
from sellerguard.exports.spreadsheet import is_xlsx, xlsx_as_text
from sellerguard.exports.values import (
    constant_text,
    count_byte,
    empty_column,
    map_distinct,
    parse_bool,
    parse_dates,
    parse_numbers,
    parse_payment,
    strip_key,
    text_series,
)
from sellerguard.i18n import t

#: The file as UTF-8: its bytes or its map as given, or (transcoded) a bytearray built in place.
Payload = bytes | bytearray | mmap.mmap

#: Value warnings listed per column; beyond this one ``more_warnings`` entry gives the count
#: (a column Excel mangled throughout would otherwise list every row).
WARNINGS_PER_COLUMN = 100
_TRANSCODE_CHUNK = 1 << 24
_LINE_CHUNK = 1 << 25
_SERIAL_BELOW = 1 << 22


@dataclass(frozen=True)
class RowProblem:
    """One row (or value) that could not be read as it stands.

    Attributes
    ----------
    file
        The file name as given.
    line
        The 1-based physical line in the file (the header is line 1); None for file-level
        warnings.
    reason
        A stable code: ``too_few_fields``, ``too_many_fields``, ``truncated_row``,
        ``missing_order_id`` (the row is rejected) or ``bad_date``, ``bad_number``,
        ``bad_boolean``, ``bad_encoding`` (the row is kept, the value becomes NA);
        ``more_warnings`` (line None) counts in ``got`` the further rows of ``column`` with
        the warning named in ``expected``, beyond the first ``WARNINGS_PER_COLUMN``.
    expected, got
        What the reader expected and what it found (field counts or the raw value; never a
        whole row, which could hold personal data).
    column
        The header of the offending value, for value-level problems.
    rejected
        True when the row was not read; False for a warning on a row that was kept.
    """

    file: str
    line: int | None
    reason: str
    expected: str = ""
    got: str = ""
    column: str | None = None
    rejected: bool = True

    def message(self, lang: str = "ja") -> str:
        """Return the problem as one sentence in ``lang`` ("ja" or "en")."""
        where = (
            t("exports.problem.where", lang, file=self.file, line=self.line)
            if self.line is not None
            else self.file
        )
        return t(
            "exports.problem.sentence",
            lang,
            where=where,
            column=f" [{self.column}]" if self.column else "",
            what=t(f"exports.problem.{self.reason}", lang),
            expected=self.expected,
            got=self.got,
        )


@dataclass
class ExportRead:
    """The outcome of reading one export file.

    ``rows_in`` counts the data rows in the file (blank lines excluded); ``rows_read`` the
    rows kept in ``items``; every other row is one rejected ``RowProblem``.
    """

    name: str
    kind: str
    encoding: str
    delimiter: str
    line_ending: str
    items: pd.DataFrame
    rows_in: int
    rows_read: int
    problems: list[RowProblem] = field(default_factory=list)

    @property
    def rows_rejected(self) -> int:
        """The number of rows not read (each reported once in ``problems``)."""
        return sum(1 for p in self.problems if p.rejected)

    @property
    def warnings(self) -> list[RowProblem]:
        """Value-level problems on rows that were kept."""
        return [p for p in self.problems if not p.rejected]


def read_export(source: Source, skip: Collection[str] = ()) -> ExportRead:
    """Read one export (path or ``(name, bytes)``) into canonical item rows.

    ``skip`` names canonical item columns to leave empty (NA) even where the file has them:
    they are neither parsed nor checked, so they cost nothing and raise no warnings. A caller
    that needs only some columns (the scan command) passes the others.

    Raises
    ------
    UnreadableExport
        When the file is not an order export (empty, binary, another report, no order id).
        A path is recognised from its beginning before the whole file is loaded.
    """
    if not isinstance(source, tuple):
        refuse_early(Path(source))
    name, data = load_source(source)
    return read_bytes(name, data, skip)


def read_bytes(name: str, data: Data, skip: Collection[str] = ()) -> ExportRead:
    """``read_export`` for a file already in memory, or mapped (as ``sellerguard scan``
    passes its files: judged from its beginning, as a path is, and parsed from the map).

    The store fingerprints the files it keeps itself (``hashlib.sha256`` of the bytes); a
    read does not, so a scan spends no core on a hash it would not use.
    """
    if isinstance(data, mmap.mmap):
        mapped = detect_mapped(name, data)
        if mapped is not None:
            return _read_detected(name, data, _without(mapped, skip))
        data = data[:]  # a zip file: a workbook is unpacked from bytes
    text = xlsx_as_text(name, data) if is_xlsx(data) else data
    fmt = detect_format(name, text)
    if text is not data:
        fmt = replace(fmt, encoding="xlsx")
    return _read_detected(name, text, _without(fmt, skip))


def _without(fmt: ExportFormat, skip: Collection[str]) -> ExportFormat:
    """``fmt`` without the canonical columns in ``skip``."""
    if not skip:
        return fmt
    return replace(fmt, columns={p: c for p, c in fmt.columns.items() if c not in skip})


def _read_detected(name: str, data: Data, fmt: ExportFormat) -> ExportRead:
    """The body of ``read_bytes`` once the format is known."""
    payload, encoding, problems = _utf8_payload(name, data, fmt.encoding)
    try:
        table, bad_rows = _parse(payload, fmt)
    except pa.ArrowInvalid as err:
        if "UTF8" not in str(err) or encoding not in ("utf-8", "utf-8-sig"):
            raise UnreadableExport("parse_failed", file=name) from err
        if encoding == "utf-8-sig":
            body = data[len(codecs.BOM_UTF8) :]
            payload, _, problems = _utf8_payload(name, body, "utf-8-repair")
        else:
            payload, encoding, problems = _utf8_payload(name, data, _fallback_encoding(data))
        try:
            table, bad_rows = _parse(payload, fmt)
        except pa.ArrowInvalid as err2:
            raise UnreadableExport("parse_failed", file=name) from err2
    rows_in = table.num_rows + len(bad_rows)
    total_records = rows_in + 1
    record_lines = _record_lines(payload, fmt.quoted, fmt.line_ending, total_records)
    ends_with_newline = payload[-1:] in (b"\n", b"\r")
    rejected_numbers: list[int] = []
    for number, expected, actual in bad_rows:
        rejected_numbers.append(number)
        if actual < expected:
            last = number == total_records and not ends_with_newline
            reason = "truncated_row" if last else "too_few_fields"
        else:
            reason = "too_many_fields"
        problems.append(
            RowProblem(name, _line_of(number, record_lines), reason, str(expected), str(actual))
        )
    kept_numbers = np.arange(2, total_records + 1, dtype=np.int64)
    if rejected_numbers:
        kept_numbers = np.setdiff1d(kept_numbers, np.asarray(rejected_numbers), assume_unique=True)
    lines = kept_numbers if record_lines is None else record_lines[kept_numbers - 1]
    items = _items(name, fmt, table, lines, problems)
    problems.sort(key=lambda p: (p.line if p.line is not None else 0, not p.rejected))
    return ExportRead(
        name=name,
        kind=fmt.kind,
        encoding=encoding,
        delimiter=fmt.delimiter,
        line_ending=fmt.line_ending,
        items=items,
        rows_in=rows_in,
        rows_read=len(items),
        problems=problems,
    )


def _utf8_payload(name: str, data: Data, encoding: str) -> tuple[Payload, str, list[RowProblem]]:
    """Return the file as UTF-8 bytes without BOM, the encoding used and decoding warnings.

    Characters that do not decode are replaced (U+FFFD) and reported once, with the line of
    the first.
    """
    if encoding in ("utf-8", "xlsx"):
        return data, encoding, []
    if encoding == "utf-8-sig":
        return data[len(codecs.BOM_UTF8) :], encoding, []
    codec = "utf-8" if encoding == "utf-8-repair" else encoding
    out, replaced, first_line = _transcode(data, codec, "replace")
    label = "utf-8" if encoding == "utf-8-repair" else encoding
    problems = []
    if replaced:
        problems.append(
            RowProblem(name, first_line, "bad_encoding", label, str(replaced), rejected=False)
        )
    return out, label, problems


def _transcode(data: Data, codec: str, errors: str) -> tuple[Payload, int, int | None]:
    """Decode ``data`` with ``codec`` into UTF-8 bytes, in chunks cut at newlines.

    Returns the bytes, the number of replaced characters and the line of the first one.
    No cp932 or UTF-8 multi-byte character contains a newline byte, so cutting there is
    safe; UTF-16 is decoded whole.
    """
    if codec == "utf-16":
        text = data[:].decode("utf-16", errors=errors)
        return text.encode("utf-8"), text.count("\ufffd"), _first_bad_line(text, 0)
    out = bytearray()
    replaced = 0
    first_line: int | None = None
    lines_before = 0
    start = 0
    while start < len(data):
        end = min(start + _TRANSCODE_CHUNK, len(data))
        if end < len(data):
            cut = data.rfind(b"\n", start, end)
            end = cut + 1 if cut > start else end
        chunk = data[start:end].decode(codec, errors=errors)
        bad = chunk.count("\ufffd")
        if bad and first_line is None:
            first_line = _first_bad_line(chunk, lines_before)
        replaced += bad
        lines_before += chunk.count("\n")
        out += chunk.encode("utf-8")
        start = end
    return out, replaced, first_line


def _first_bad_line(text: str, lines_before: int) -> int | None:
    """The line of the first replacement character in ``text`` (None if there is none)."""
    position = text.find("\ufffd")
    return None if position < 0 else lines_before + text.count("\n", 0, position) + 1


def _fallback_encoding(data: Data) -> str:
    """The encoding to use when a file that looked like UTF-8 is not UTF-8 throughout."""
    try:
        _transcode(data, "cp932", "strict")
    except UnicodeDecodeError:
        return "utf-8-repair"
    return "cp932"


def _parse(payload: Payload, fmt: ExportFormat) -> tuple[pa.Table, list[tuple[int, int, int]]]:
    """Parse with pyarrow; return the table and ``(record number, expected, actual)`` of bad rows.

    The threaded reader does not know row numbers. A bad row that is the file's last line
    (a cut-off download, the common case) is numbered from the count of records; any other
    makes the file be parsed again serially (rare), where pyarrow numbers records from 1
    (the header).
    """
    names = [f"c{i}" for i in range(fmt.width)]
    wanted = [f"c{i}" for i in sorted(fmt.columns)]
    threads = len(payload) >= _SERIAL_BELOW
    for use_threads in [True, False] if threads else [False]:
        bad: list[tuple[int | None, int, int, str]] = []

        def handler(row: Any, bad: list[tuple[int | None, int, int, str]] = bad) -> str:
            bad.append((row.number, row.expected_columns, row.actual_columns, row.text))
            return "skip"

        read_options = pacsv.ReadOptions(
            use_threads=use_threads,
            skip_rows=1,
            column_names=names,
        )
        parse_options = pacsv.ParseOptions(
            delimiter=fmt.delimiter,
            quote_char='"' if fmt.quoted else False,
            double_quote=True,
            newlines_in_values=fmt.quoted and b'"' in payload,
            invalid_row_handler=handler,
        )
        convert_options = pacsv.ConvertOptions(
            include_columns=wanted,
            column_types=dict.fromkeys(wanted, pa.large_string()),
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
            null_values=[""],
        )
        with _row_text_errors() as undecodable:
            try:
                table = pacsv.read_csv(
                    pa.py_buffer(payload),
                    read_options=read_options,
                    parse_options=parse_options,
                    convert_options=convert_options,
                )
            except pa.ArrowInvalid as err:
                if undecodable:  # a bad row cut inside a character: invalid UTF8, repairable
                    raise pa.ArrowInvalid(f"invalid UTF8 in a malformed row: {err}") from err
                raise
        last_record = table.num_rows + len(bad) + 1
        numbered = [
            (n if n is not None else _number_if_last(payload, text, last_record), e, a)
            for n, e, a, text in bad
        ]
        numbers = [number for number, _, _ in numbered]
        if None not in numbers and len(set(numbers)) == len(numbers):
            return table, [(int(n), e, a) for n, e, a in numbered if n is not None]
    raise AssertionError("serial parsing always numbers rows")


@contextmanager
def _row_text_errors() -> Iterator[list[BaseException]]:
    """Collect what pyarrow could not hand to the invalid-row handler.

    pyarrow decodes a malformed row's text before calling the handler; when the row is not
    valid UTF-8 (a download cut inside a character) it prints the error as "ignored" on
    stderr and fails the parse. The error is collected here instead, so the caller can
    repair the text and parse again.
    """
    seen: list[BaseException] = []
    previous = sys.unraisablehook

    def collect(unraisable: Any) -> None:
        if isinstance(unraisable.exc_value, UnicodeDecodeError):
            seen.append(unraisable.exc_value)
        else:
            previous(unraisable)

    sys.unraisablehook = collect
    try:
        yield seen
    finally:
        sys.unraisablehook = previous


def _number_if_last(payload: Payload, text: str, last_record: int) -> int | None:
    """``last_record`` when ``text`` is the whole last line of ``payload``, else None."""
    tail = text.encode("utf-8")
    if not tail or b"\n" in tail:
        return None
    end = len(payload)  # the end of the text before any final line breaks
    while end and payload[end - 1 : end] in (b"\n", b"\r"):
        end -= 1
    start = end - len(tail)
    if start <= 0 or payload[start:end] != tail:
        return None
    return last_record if payload[start - 1 : start] in (b"\n", b"\r") else None


def _record_lines(
    payload: Payload, quoted: bool, line_ending: str, records: int
) -> np.ndarray[Any, np.dtype[np.int64]] | None:
    """Return the physical start line of every non-blank record (header first).

    None means records and lines coincide (as many lines as records: no blank lines, no
    value spanning lines), the common case, which costs one count of newlines.
    """
    newline = 13 if line_ending == "CR" else 10
    terminators = count_byte(payload, newline)
    unterminated = 0 if payload[-1:] == newline.to_bytes(1, "big") else 1
    if terminators + unterminated == records:
        return None
    multiline = quoted and b'"' in payload
    raw = np.frombuffer(payload, dtype=np.uint8)
    term_pos: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    term_line: list[np.ndarray[Any, np.dtype[np.int64]]] = []
    quotes_before = 0
    lines_before = 0
    for start in range(0, len(raw), _LINE_CHUNK):
        chunk = raw[start : start + _LINE_CHUNK]
        newlines = np.flatnonzero(chunk == newline).astype(np.int64)
        if multiline:
            quotes = np.flatnonzero(chunk == 34)
            outside = ((quotes_before + np.searchsorted(quotes, newlines)) & 1) == 0
            quotes_before += len(quotes)
        else:
            outside = np.ones(len(newlines), dtype=bool)
        term_pos.append(newlines[outside] + start)
        term_line.append(np.flatnonzero(outside).astype(np.int64) + lines_before + 1)
        lines_before += len(newlines)
    ends = np.concatenate([*term_pos, np.asarray([len(raw)], dtype=np.int64)])
    starts = np.concatenate([np.asarray([0], dtype=np.int64), ends[:-1] + 1])
    start_lines = np.concatenate([np.asarray([1], dtype=np.int64), *[t + 1 for t in term_line]])
    length = ends - starts
    first_byte = raw[np.minimum(starts, max(len(raw) - 1, 0))] if len(raw) else np.zeros(0)
    empty = (length <= 0) | ((length == 1) & (first_byte == 13))
    lines: np.ndarray[Any, np.dtype[np.int64]] = start_lines[~empty]
    return lines


def _line_of(number: int, record_lines: np.ndarray[Any, np.dtype[np.int64]] | None) -> int:
    """The physical line of record ``number`` (1 = header)."""
    if record_lines is None:
        return number
    return int(record_lines[number - 1])


def _items(
    name: str,
    fmt: ExportFormat,
    table: pa.Table,
    lines: np.ndarray[Any, np.dtype[np.int64]],
    problems: list[RowProblem],
) -> pd.DataFrame:
    """Convert the text table to canonical columns; reject rows without an order id."""
    n = table.num_rows
    headers = {column: fmt.headers[pos] for pos, column in fmt.columns.items()}
    by_column = {column: table.column(f"c{pos}") for pos, column in fmt.columns.items()}
    if fmt.kind == RETURNS and "return_quantity" not in by_column and "quantity" in by_column:
        by_column["return_quantity"] = by_column.pop("quantity")
        headers["return_quantity"] = headers["quantity"]
    if PAYMENT_TYPE in by_column:
        payment_type = by_column.pop(PAYMENT_TYPE)
        if "payment_method" not in by_column:
            by_column["payment_method"] = payment_type
            headers["payment_method"] = headers[PAYMENT_TYPE]
    order_id = strip_key(by_column["order_id"])
    missing = pc.is_null(order_id)
    if pc.any(missing).as_py():
        missing_np = missing.to_numpy(zero_copy_only=False)
        problems.extend(
            RowProblem(name, int(line), "missing_order_id", headers["order_id"], "")
            for line in lines[missing_np]
        )
        keep = ~missing_np
        mask = pa.array(keep)
        by_column = {c: a.filter(mask) for c, a in by_column.items()}
        order_id = order_id.filter(mask)
        lines = lines[keep]
        n = int(keep.sum())
    by_column["order_id"] = order_id

    def convert(column: str, kind: str) -> tuple[pd.Series[Any], list[RowProblem]]:
        found: list[RowProblem] = []
        values = _convert(name, headers[column], column, kind, by_column[column], lines, found)
        return values, found

    # The columns are converted on the scan's threads (Arrow's kernels release the GIL);
    # their warnings are added in column order, as one thread would.
    jobs = [(column, kind) for column, kind in ITEM_COLUMNS.items() if column in by_column]
    threads = parallel.worker_count() if n >= parallel.MIN_ROWS_TO_SPLIT else 1
    with ThreadPoolExecutor(max_workers=threads) as pool:
        done = pool.map(lambda job: convert(*job), jobs)
        converted = dict(zip([column for column, _ in jobs], done, strict=True))
    out: dict[str, pd.Series[Any]] = {}
    for column, kind in ITEM_COLUMNS.items():
        if column == "source_kind":
            out[column] = constant_text(fmt.kind, n)
        elif column == "source_file":
            out[column] = constant_text(name, n)
        elif column == "source_line":
            out[column] = pd.Series(
                pd.arrays.IntegerArray(lines, np.zeros(n, dtype=bool)), copy=False
            )
        elif column in converted:
            out[column], found = converted[column]
            problems.extend(found)
        else:
            out[column] = empty_column(kind, n)
    return pd.DataFrame(out, copy=False)


def _convert(
    name: str,
    header: str,
    column: str,
    kind: str,
    values: pa.ChunkedArray,
    lines: np.ndarray[Any, np.dtype[np.int64]],
    problems: list[RowProblem],
) -> pd.Series[Any]:
    """Convert one text column to its canonical type; report values that do not parse."""
    if kind in ("str", "payment"):
        values = strip_key(values) if column in KEY_COLUMNS or kind == "payment" else values
        if kind == "str":
            return text_series(values)
        texts, codes, _ = map_distinct(values, parse_payment)
        mapped = pa.array(texts, pa.large_string()).take(pa.array(codes))
        return text_series(pa.chunked_array([mapped]))
    if kind == "datetime":
        parsed, bad = parse_dates(values)
    elif kind in ("int", "float"):
        parsed, bad = parse_numbers(values, integer=kind == "int")
    else:
        flags, codes, bad = map_distinct(values, parse_bool)
        mask = np.asarray([f is None for f in flags], dtype=bool)[codes]
        data = np.asarray([bool(f) for f in flags], dtype=bool)[codes]
        parsed = pd.Series(pd.arrays.BooleanArray(data, mask), copy=False)
    if bad.any():
        reason = {"datetime": "bad_date", "bool": "bad_boolean"}.get(kind, "bad_number")
        every = np.flatnonzero(bad)
        positions = every[:WARNINGS_PER_COLUMN]
        raw = values.take(pa.array(positions)).to_pylist()
        problems.extend(
            RowProblem(
                name,
                int(lines[position]),
                reason,
                kind,
                str(text)[:40],
                column=header,
                rejected=False,
            )
            for position, text in zip(positions, raw, strict=True)
        )
        if len(every) > len(positions):
            more = str(len(every) - len(positions))
            problems.append(
                RowProblem(name, None, "more_warnings", reason, more, header, rejected=False)
            )
    return parsed
