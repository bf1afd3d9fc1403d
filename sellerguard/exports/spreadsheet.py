"""Excel workbooks (.xlsx): the first sheet as the tab-separated text the readers parse.

Sellers open a report in Excel and save it as a workbook. The first sheet is written out
one line per sheet row (so line numbers are Excel's row numbers), cells as text: dates in
ISO 8601 (Tokyo time, as Excel keeps no zone), whole numbers without ``.0``, tabs and line
breaks inside a cell as spaces. Legacy ``.xls`` files are refused with a message.
"""

from __future__ import annotations

import datetime as dt
import io
import zipfile
from collections.abc import Iterable
from typing import Any

from sellerguard.errors import UnreadableExport

_ZIP_SIGNATURE = b"PK\x03\x04"


def is_xlsx(data: bytes) -> bool:
    """Whether ``data`` is an Office Open XML workbook (a zip holding ``xl/workbook.xml``)."""
    if not data.startswith(_ZIP_SIGNATURE):
        return False
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except zipfile.BadZipFile:
        return False


def xlsx_as_text(name: str, data: bytes) -> bytes:
    """Return the workbook's first sheet as UTF-8 tab-separated text, one line per row.

    Raises
    ------
    UnreadableExport
        ``binary`` when the workbook cannot be opened.
    """
    import openpyxl

    try:
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as err:  # openpyxl raises many kinds for a damaged workbook
        raise UnreadableExport("binary", file=name) from err
    try:
        if not book.worksheets:
            raise UnreadableExport("empty", file=name)
        rows = book.worksheets[0].iter_rows(values_only=True)
        return "".join(_lines(rows)).encode("utf-8")
    finally:
        book.close()


def _lines(rows: Iterable[tuple[Any, ...]]) -> Iterable[str]:
    """Each sheet row as a line, padded or trimmed (empty cells only) to the header width."""
    width: int | None = None
    for row in rows:
        cells = [_cell_text(value) for value in row]
        if width is None:
            while cells and not cells[-1]:
                cells.pop()
            width = len(cells)
        elif len(cells) > width and not any(cells[width:]):
            cells = cells[:width]
        elif len(cells) < width and any(cells):
            cells += [""] * (width - len(cells))
        yield ("\t".join(cells) if any(cells) else "") + "\n"


def _cell_text(value: Any) -> str:
    """One cell as the text an export would hold."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, (dt.date, dt.time)):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return " ".join(str(value).replace("\t", " ").splitlines())
