"""Recognise an export from its bytes: encoding, delimiter, line ending, header and kind.

Nothing here asks the user: every decision is made from the content, and a file that is not
an order export is refused with ``UnreadableExport`` naming what is missing.
"""

from __future__ import annotations

import codecs
import csv
import io
import itertools
import mmap
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from sellerguard.errors import UnreadableExport
from sellerguard.exports.columns import (
    FOREIGN_HEADERS,
    canonical_columns,
    detect_kind,
    normalise_header,
)
from sellerguard.exports.spreadsheet import is_xlsx, xlsx_as_text

#: A file's contents: bytes, or a read-only map of the file (``sellerguard scan``).
Data = bytes | mmap.mmap

Source = Path | str | tuple[str, Data]

_SAMPLE_BYTES = 1 << 21
_QUOTING_SAMPLE_ROWS = 500
_CONTROL_BYTES = bytes(c for c in range(1, 32) if c not in (9, 10, 13))
_ZIP_SIGNATURE = b"PK\x03\x04"
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (_ZIP_SIGNATURE, "binary"),
    (b"\xd0\xcf\x11\xe0", "spreadsheet"),
    (b"%PDF", "binary"),
)


@dataclass(frozen=True)
class ExportFormat:
    """What ``detect_export`` found out about a file.

    Attributes
    ----------
    name
        The file name as given.
    kind
        One of ``KINDS``.
    encoding
        ``utf-8``, ``utf-8-sig``, ``cp932``, ``utf-16`` or ``xlsx`` (an Excel workbook).
    delimiter
        ``"\\t"`` or ``","``.
    line_ending
        ``"LF"``, ``"CRLF"`` or ``"CR"``.
    quoted
        Whether fields may be quoted (Excel-saved files).
    headers
        The header cells as written.
    columns
        Header position -> canonical column, for the headers SellerGuard knows.
    width
        The number of fields of a data row (see ``row_width``).
    """

    name: str
    kind: str
    encoding: str
    delimiter: str
    line_ending: str
    quoted: bool
    headers: tuple[str, ...]
    columns: dict[int, str]
    width: int


def load_source(source: Source) -> tuple[str, Data]:
    """Return ``(name, data)`` of a path or an already loaded ``(name, data)`` pair."""
    if isinstance(source, tuple):
        name, data = source
        return str(name), data if isinstance(data, mmap.mmap) else bytes(data)
    path = Path(source)
    return path.name, _read(path)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as err:
        raise UnreadableExport("not_found", file=path.name, detail=err.strerror or "") from err


def detect_encoding(name: str, data: bytes, complete: bool = True) -> str:
    """Return the encoding of ``data``: BOM first, then UTF-8, then cp932.

    ``complete`` is False when ``data`` is only the beginning of the file.

    Raises
    ------
    UnreadableExport
        ``empty``, ``binary``, ``spreadsheet`` or ``unknown_encoding``.
    """
    body = data.removeprefix(codecs.BOM_UTF8)
    if not body[:_SAMPLE_BYTES].strip() and not body.strip():
        raise UnreadableExport("empty", file=name)
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    for signature, reason in _BINARY_SIGNATURES:
        if data.startswith(signature):
            raise UnreadableExport(reason, file=name)
    sample = data[:_SAMPLE_BYTES]
    if b"\x00" in sample:
        raise UnreadableExport("binary", file=name)
    controls = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if controls > max(8, len(sample) // 200):
        raise UnreadableExport("binary", file=name)
    final = complete and len(sample) == len(data)
    errors: dict[str, int] = {}
    for encoding in ("utf-8", "cp932"):
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        errors[encoding] = decoder.decode(sample, final=final).count("\ufffd")
        if errors[encoding] == 0:
            return encoding
    best = min(errors, key=lambda e: errors[e])
    if errors[best] <= max(2, len(sample) // 1000):
        return best
    raise UnreadableExport("unknown_encoding", file=name)


def header_line(text: str) -> tuple[str, str]:
    """Split off the first line of ``text`` and return it with its line ending."""
    for index, char in enumerate(text):
        if char == "\n":
            return text[:index].rstrip("\r"), "CRLF" if text[index - 1 : index] == "\r" else "LF"
        if char == "\r" and text[index + 1 : index + 2] != "\n":
            return text[:index], "CR"
    return text, "LF"


def detect_delimiter(header: str) -> str:
    """Return ``"\\t"`` or ``","``: whichever splits the header into more cells."""
    tabs = len(next(csv.reader([header], delimiter="\t")))
    commas = len(next(csv.reader([header], delimiter=",")))
    return "\t" if tabs >= commas and tabs > 1 else ("," if commas > 1 else "\t")


def detect_quoting(sample: str, delimiter: str) -> bool:
    """Return whether quote characters delimit fields (Excel-saved files) or are plain text.

    Comma-separated files are always read with quoting. Amazon's tab-separated files are not
    quoted and a product name may start with ``"``; Excel's "Text (Tab delimited)" quotes
    fields that hold tabs, quotes or newlines. The sample's records are split both ways and
    the way that gives more records of the header's width wins; on a tie, quoting only when
    some field is wholly enclosed in quotes and none merely starts with one.
    """
    if delimiter == ",":
        return True
    if '"' not in sample:
        return False
    cut = sample.rfind("\n")
    text = sample[: cut + 1] if cut > 0 else sample
    plain = [line.split(delimiter) for line in text.splitlines()[:_QUOTING_SAMPLE_ROWS]]
    if not plain:
        return False
    width = len(plain[0])
    quoted_rows = list(
        itertools.islice(csv.reader(io.StringIO(text), delimiter=delimiter), _QUOTING_SAMPLE_ROWS)
    )
    plain_fit = sum(len(row) == width for row in plain)
    quoted_fit = sum(len(row) == width for row in quoted_rows)
    if plain_fit != quoted_fit:
        return quoted_fit > plain_fit
    enclosed = opened = 0
    for row in plain[1:]:
        for cell in row:
            if cell.startswith('"'):
                if len(cell) > 1 and cell.endswith('"'):
                    enclosed += 1
                else:
                    opened += 1
    return enclosed > 0 and opened == 0


def detect_export(source: Source) -> ExportFormat:
    """Recognise the layout of an export without reading its rows.

    Parameters
    ----------
    source
        A path, or ``(name, bytes)`` as an upload gives it.

    Raises
    ------
    UnreadableExport
        When the file is empty, binary, another report, or has no order-id column.
    """
    if isinstance(source, tuple):
        name, data = load_source(source)
        if isinstance(data, mmap.mmap):
            found = detect_mapped(name, data)
            return found if found is not None else detect_format(name, data[:])
        return detect_format(name, data)
    path = Path(source)
    head = _head(path)
    if head.startswith(_ZIP_SIGNATURE):
        return detect_format(path.name, _read(path))
    return detect_format(path.name, head, complete=len(head) <= _SAMPLE_BYTES)


def refuse_early(path: Path) -> None:
    """Raise ``UnreadableExport`` now if the beginning of ``path`` already shows it is not an
    export, before a large file is loaded whole (workbooks are checked when read)."""
    head = _head(path)
    if not head.startswith(_ZIP_SIGNATURE):
        detect_format(path.name, head, complete=len(head) <= _SAMPLE_BYTES)


def detect_mapped(name: str, data: mmap.mmap) -> ExportFormat | None:
    """``detect_format`` of a mapped file, judged from its beginning as ``refuse_early``
    judges a path, without copying the rest; None for a zip file (a workbook is unpacked
    from bytes)."""
    head = data[: _SAMPLE_BYTES + 1]
    if head.startswith(_ZIP_SIGNATURE):
        return None
    return detect_format(name, head, complete=len(head) <= _SAMPLE_BYTES)


def _head(path: Path) -> bytes:
    try:
        with path.open("rb") as handle:
            return handle.read(_SAMPLE_BYTES + 1)
    except OSError as err:
        raise UnreadableExport("not_found", file=path.name, detail=err.strerror or "") from err


def detect_format(name: str, data: bytes, complete: bool = True) -> ExportFormat:
    """``detect_export`` for bytes in memory: the whole file, or its beginning.

    An Excel workbook is recognised from its first sheet (``encoding`` ``"xlsx"``).
    """
    if complete and is_xlsx(data):
        return replace(detect_format(name, xlsx_as_text(name, data)), encoding="xlsx")
    encoding = detect_encoding(name, data, complete)
    sample_bytes = data[:_SAMPLE_BYTES]
    decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
    sample = decoder.decode(sample_bytes, final=False).lstrip("\ufeff")
    first, line_ending = header_line(sample)
    if not first.strip():
        raise UnreadableExport("no_header", file=name)
    delimiter = detect_delimiter(first)
    quoted = detect_quoting(sample, delimiter)
    if quoted:
        headers = tuple(next(csv.reader([first], delimiter=delimiter)))
    else:
        headers = tuple(first.split(delimiter))
    width = row_width(sample, delimiter, quoted, headers)
    columns = {pos: col for pos, col in canonical_columns(headers).items() if pos < width}
    normalised = {normalise_header(h) for h in headers}
    foreign = sorted(normalised & FOREIGN_HEADERS)
    if foreign:
        raise UnreadableExport("other_report", file=name, found=", ".join(foreign[:3]))
    if "order_id" not in columns.values():
        shown = ", ".join(h for h in headers[:6] if h.strip())
        raise UnreadableExport("no_order_id", file=name, found=shown or "-")
    kind = detect_kind(columns.values())
    if kind is None:
        shown = ", ".join(h for h in headers[:6] if h.strip())
        raise UnreadableExport("unknown_layout", file=name, found=shown)
    return ExportFormat(
        name=name,
        kind=kind,
        encoding=encoding,
        delimiter=delimiter,
        line_ending=line_ending,
        quoted=quoted,
        headers=headers,
        columns=columns,
        width=width,
    )


def row_width(sample: str, delimiter: str, quoted: bool, headers: Sequence[str]) -> int:
    """Return the number of fields the data rows have.

    Usually the header's. Some tools end every data row with a spare delimiter, or the
    header with one: when nearly all sampled rows agree on another width and the cells that
    differ are empty, that width is used instead of rejecting every row.
    """
    cut = sample.rfind("\n")
    text = sample[: cut + 1] if cut > 0 else sample
    if quoted:
        reader = csv.reader(io.StringIO(text), delimiter=delimiter)
        rows = [row for row in itertools.islice(reader, _QUOTING_SAMPLE_ROWS) if row]
    else:
        lines = text.splitlines()[:_QUOTING_SAMPLE_ROWS]
        rows = [line.split(delimiter) for line in lines if line]
    rows = rows[1:]
    if not rows:
        return len(headers)
    width, count = Counter(len(row) for row in rows).most_common(1)[0]
    if width == len(headers) or count < 0.9 * len(rows):
        return len(headers)
    if width > len(headers):
        spare = (cell for row in rows if len(row) == width for cell in row[len(headers) :])
        return width if not any(cell.strip() for cell in spare) else len(headers)
    return width if not any(h.strip() for h in headers[width:]) else len(headers)
