"""The seller's local database: imports, verdicts, watchlist, settings and retention.

One SQLite file ``<data dir>/sellerguard.db``. Every write runs in one ``BEGIN IMMEDIATE``
transaction and bumps the store *revision*; imports and retention also bump the *data
revision*, one of the inputs the cached scan is keyed on (see ``sellerguard.store.scans``).
"""

from __future__ import annotations

import hashlib
import json
import re
import secrets
import shutil
import sqlite3
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import pandas as pd

from sellerguard.errors import StoreError
from sellerguard.settings import data_dir
from sellerguard.store import db
from sellerguard.store.rows import (
    ITEM_COLUMNS,
    PII_COLUMNS,
    from_rows,
    item_keys,
    salted_hash,
    salted_hash_one,
    to_records,
)

if TYPE_CHECKING:
    from sellerguard.exports import OrderSet
    from sellerguard.rules import ScanContext, ScanResult

Source: TypeAlias = "str | Path | tuple[str, bytes]"
Verdict = Literal["harassment", "legitimate", "unsure"]
WatchKind = Literal["address", "phone", "name", "account"]
VERDICTS: tuple[Verdict, ...] = ("harassment", "legitimate", "unsure")
WATCH_KINDS: tuple[WatchKind, ...] = ("address", "phone", "name", "account")
KEY_COLUMNS: dict[WatchKind, str] = {
    "address": "address_key",
    "phone": "phone_key",
    "name": "name_key",
    "account": "account_key",
}
DEFAULT_RETENTION_DAYS = 30
_CHUNK = 5_000


@dataclass(frozen=True)
class FileImport:
    """What happened to one file of an import.

    ``problems`` holds one dict per row problem (``line``, ``column``, ``problem`` …) as the
    reader reported it; ``duplicate`` is true when a file with the same SHA-256 was imported
    before (then nothing was added).
    """

    name: str
    sha256: str
    kind: str | None
    encoding: str | None
    rows_in: int
    rows_read: int
    problems: tuple[dict[str, Any], ...] = ()
    new_orders: int = 0
    duplicate: bool = False
    size_bytes: int | None = None


@dataclass(frozen=True)
class ImportSummary:
    """The files of one import, in the order given."""

    files: list[FileImport] = field(default_factory=list)

    @property
    def new_orders(self) -> int:
        """Orders that were not in the store before this import."""
        return sum(f.new_orders for f in self.files)


def _name_and_bytes(source: Source) -> tuple[str, bytes]:
    if isinstance(source, tuple):
        name, data = source
        return str(name), bytes(data)
    path = Path(source)
    try:
        return path.name, path.read_bytes()
    except OSError as err:
        raise StoreError("cannot_read_file", file=path.name, detail=str(err)) from err


class Store:
    """The SQLite store under a data directory (see :func:`sellerguard.store.data_dir`)."""

    def __init__(self, home: Path) -> None:
        self.home = home
        self.path = home / db.DB_NAME

    # --- opening, transactions ---------------------------------------------------------

    @classmethod
    def open(cls, home: str | Path | None = None) -> Store:
        """Open (creating and migrating when needed) the store in ``home``."""
        folder = data_dir(home)
        try:
            folder.mkdir(parents=True, exist_ok=True)
        except OSError as err:
            raise StoreError("cannot_open", path=str(folder), detail=str(err)) from err
        store = cls(folder)
        with closing(db.connect(store.path)) as conn:
            db.migrate(conn)
            with db.immediate(conn):
                conn.execute(
                    "INSERT OR IGNORE INTO settings (key, value) VALUES ('store.salt', ?)",
                    (json.dumps(secrets.token_hex(16)),),
                )
        return store

    @contextmanager
    def connection(self) -> Iterator[sqlite3.Connection]:
        """A fresh connection for reads (closed afterwards)."""
        with closing(db.connect(self.path)) as conn:
            yield conn

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """A connection inside ``BEGIN IMMEDIATE`` … ``COMMIT``; the revision is bumped.

        Anything raised inside rolls the whole block back.
        """
        with closing(db.connect(self.path)) as conn, db.immediate(conn):
            yield conn
            _bump_revision(conn)

    def revision(self) -> int:
        """A number that changes whenever orders, verdicts, watchlist or settings change."""
        return self._state("revision")

    def data_revision(self) -> int:
        """A number that changes whenever stored order rows change (imports, retention)."""
        return self._state("data_revision")

    def _state(self, key: str) -> int:
        with self.connection() as conn:
            row = conn.execute("SELECT value FROM store_state WHERE key = ?", (key,)).fetchone()
        return int(row[0]) if row else 0

    def migrations(self) -> list[int]:
        """Versions of the migrations applied to this store."""
        with self.connection() as conn:
            return db.applied_migrations(conn)

    # --- settings ----------------------------------------------------------------------

    def get_setting(self, key: str, default: Any = None) -> Any:
        """The JSON value stored under ``key``, or ``default``."""
        with self.connection() as conn:
            row = conn.execute("SELECT value FROM settings WHERE key = ?", (key,)).fetchone()
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        """Store ``value`` (anything JSON can hold) under ``key``."""
        text = json.dumps(value, ensure_ascii=False)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                (key, text),
            )

    def _salt(self) -> str:
        salt = self.get_setting("store.salt")
        if not isinstance(salt, str):
            raise StoreError("no_salt")
        return salt

    # --- imports -----------------------------------------------------------------------

    def import_exports(
        self,
        sources: Sequence[Source],
        progress: Callable[[float], None] | None = None,
    ) -> ImportSummary:
        """Read and import export files in one transaction.

        A file whose SHA-256 was imported before adds nothing (``duplicate=True``); a row
        read again (same order, item and source kind) replaces the stored one unless the
        stored row was updated later. A crash or kill midway leaves the previous state.
        ``progress`` receives fractions from 0 to 1 (reading is the first half).

        Raises
        ------
        UnreadableExport
            For the first file that is not an order export (then nothing is imported).
        """
        from sellerguard.exports import read_export

        loaded = [_name_and_bytes(source) for source in sources]
        hashes = [hashlib.sha256(data).hexdigest() for _, data in loaded]
        known = self._known_hashes(hashes)
        records: list[FileImport] = []
        frames: list[pd.DataFrame] = []
        seen: set[str] = set()
        for index, ((name, data), sha) in enumerate(zip(loaded, hashes, strict=True)):
            if sha in known or sha in seen:
                continue
            seen.add(sha)
            read = read_export((name, data))
            records.append(_file_record(name, data, sha, read))
            frames.append(read.items)
            if progress:
                progress(0.5 * (index + 1) / len(loaded))
        summary = self.import_file_rows(list(zip(records, frames, strict=True)), progress=progress)
        done = {f.sha256: f for f in summary.files}
        result: list[FileImport] = []
        for (name, data), sha in zip(loaded, hashes, strict=True):
            record = done.pop(sha, None)
            result.append(record if record else self._duplicate_record(name, data, sha))
        return ImportSummary(files=result)

    def _known_hashes(self, hashes: Sequence[str]) -> set[str]:
        if not hashes:
            return set()
        marks = ",".join("?" * len(hashes))
        with self.connection() as conn:
            rows = conn.execute(
                f"SELECT sha256 FROM imported_files WHERE sha256 IN ({marks})", list(hashes)
            ).fetchall()
        return {row[0] for row in rows}

    def _duplicate_record(self, name: str, data: bytes, sha: str) -> FileImport:
        with self.connection() as conn:
            row = conn.execute(
                "SELECT kind, encoding, rows_in, rows_read FROM imported_files WHERE sha256 = ?",
                (sha,),
            ).fetchone()
        kind, encoding, rows_in, rows_read = row if row else (None, None, 0, 0)
        return FileImport(
            name=name,
            sha256=sha,
            kind=kind,
            encoding=encoding,
            rows_in=int(rows_in),
            rows_read=int(rows_read),
            duplicate=True,
            size_bytes=len(data),
        )

    def import_items(
        self,
        items: pd.DataFrame,
        files: Sequence[FileImport],
        progress: Callable[[float], None] | None = None,
    ) -> ImportSummary:
        """Store already-read item rows and the records of their files, in one transaction.

        ``items`` has the canonical item columns; ``source_file`` names the file each row
        came from (``files[i].name``). See :meth:`import_file_rows`.
        """
        pairs: list[tuple[FileImport, pd.DataFrame]] = []
        for record in files:
            if len(items) and "source_file" in items.columns:
                pairs.append((record, items.loc[items["source_file"] == record.name]))
            else:
                pairs.append((record, items.iloc[0:0]))
        return self.import_file_rows(pairs, progress=progress)

    def import_file_rows(
        self,
        pairs: Sequence[tuple[FileImport, pd.DataFrame]],
        progress: Callable[[float], None] | None = None,
    ) -> ImportSummary:
        """Store each file's record with its item rows, all in one transaction.

        Files already imported (same SHA-256) are skipped with their rows; a row already
        stored (same identity) is replaced unless the stored one was updated later.
        ``progress`` receives fractions between 0.5 and 1.
        """
        known = self._known_hashes([record.sha256 for record, _ in pairs])
        pairs = [(record, rows) for record, rows in pairs if record.sha256 not in known]
        if not pairs:
            return ImportSummary()
        now = db.utc_now()
        names = list(ITEM_COLUMNS)
        placeholders = ",".join("?" * (len(names) + 2))
        updates = ",".join(f"{n} = excluded.{n}" for n in names)
        upsert = (
            f"INSERT INTO items (item_key, file_id, {','.join(names)}) VALUES ({placeholders}) "
            f"ON CONFLICT(item_key) DO UPDATE SET file_id = excluded.file_id, {updates}, "
            "pii_purged_at = NULL "
            "WHERE excluded.last_updated_date IS NULL OR items.last_updated_date IS NULL "
            "OR excluded.last_updated_date >= items.last_updated_date"
        )
        done: list[FileImport] = []
        with self.transaction() as conn:
            _bump_revision(conn, "data_revision")
            known_orders = {row[0] for row in conn.execute("SELECT DISTINCT order_id FROM items")}
            total = max(sum(len(rows) for _, rows in pairs), 1)
            written = 0
            for record, file_rows in pairs:
                exists = conn.execute(
                    "SELECT 1 FROM imported_files WHERE sha256 = ?", (record.sha256,)
                ).fetchone()
                if exists:
                    continue
                rows = file_rows.loc[file_rows["order_id"].notna()] if len(file_rows) else file_rows
                new_ids = set(rows["order_id"].dropna().astype("str")) if len(rows) else set()
                new_orders = len(new_ids - known_orders)
                known_orders |= new_ids
                cursor = conn.execute(
                    "INSERT INTO imported_files (sha256, name, kind, encoding, size_bytes, "
                    "rows_in, rows_read, problems, problems_json, new_orders, imported_at) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                    (
                        record.sha256,
                        record.name,
                        record.kind,
                        record.encoding,
                        record.size_bytes,
                        record.rows_in,
                        record.rows_read,
                        len(record.problems),
                        json.dumps(list(record.problems), ensure_ascii=False, default=str),
                        new_orders,
                        now,
                    ),
                )
                file_id = cursor.lastrowid
                if len(rows):
                    keys = item_keys(rows).tolist()
                    records = to_records(rows)
                    for start in range(0, len(records), _CHUNK):
                        chunk = [
                            (key, file_id, *values)
                            for key, values in zip(
                                keys[start : start + _CHUNK],
                                records[start : start + _CHUNK],
                                strict=True,
                            )
                        ]
                        conn.executemany(upsert, chunk)
                        written += len(chunk)
                        if progress:
                            progress(0.5 + 0.5 * min(written / total, 1.0))
                done.append(
                    FileImport(
                        name=record.name,
                        sha256=record.sha256,
                        kind=record.kind,
                        encoding=record.encoding,
                        rows_in=record.rows_in,
                        rows_read=record.rows_read,
                        problems=record.problems,
                        new_orders=new_orders,
                        size_bytes=record.size_bytes,
                    )
                )
        if progress:
            progress(1.0)
        return ImportSummary(files=done)

    def imported_files(self) -> pd.DataFrame:
        """Every imported file: name, sha256, kind, encoding, rows, problems, imported_at."""
        with self.connection() as conn:
            frame = pd.read_sql_query(
                "SELECT name, sha256, kind, encoding, size_bytes, rows_in, rows_read, problems, "
                "new_orders, imported_at FROM imported_files ORDER BY id",
                conn,
            )
        return frame.astype(
            {
                "name": "str",
                "sha256": "str",
                "kind": "str",
                "encoding": "str",
                "imported_at": "str",
                "size_bytes": "Int64",
                "rows_in": "Int64",
                "rows_read": "Int64",
                "problems": "Int64",
                "new_orders": "Int64",
            }
        )

    def load_demo(self, orders: int = 3000, seed: int = 7) -> ImportSummary:
        """Generate the demo exports (``sellerguard.demo``) in a temporary folder and import them."""
        import tempfile

        from sellerguard.demo import generate_demo

        with tempfile.TemporaryDirectory(prefix="sellerguard-demo-") as folder:
            manifest = generate_demo(folder, orders=orders, seed=seed)
            sources = [
                (f"{path.parent.name}/{path.name}", path.read_bytes())
                for path in manifest.export_files()
            ]
            return self.import_exports(sources)

    # --- reading orders ----------------------------------------------------------------

    def items(self) -> pd.DataFrame:
        """Every stored item row with the canonical columns and dtypes."""
        names = list(ITEM_COLUMNS)
        with self.connection() as conn:
            rows = conn.execute(f"SELECT {','.join(names)} FROM items ORDER BY rowid").fetchall()
        return from_rows(rows, names)

    def order_count(self) -> int:
        """Number of distinct orders stored."""
        with self.connection() as conn:
            row = conn.execute("SELECT COUNT(DISTINCT order_id) FROM items").fetchone()
        return int(row[0])

    def order_set(self) -> OrderSet:
        """Everything stored as an ``OrderSet`` (the same shape the readers return)."""
        from sellerguard.exports import OrderSet

        return OrderSet.from_items(self.items())

    # --- verdicts ----------------------------------------------------------------------

    def set_verdict(
        self,
        order_ids: Sequence[str],
        verdict: Verdict,
        note: str = "",
        group_id: str | None = None,
        evidence: Sequence[str] | None = None,
    ) -> None:
        """Record ``verdict`` (with ``note``) for one order or a whole linked group.

        ``evidence`` (one "|"-joined string per order, from the scan) is kept so that a
        group marked legitimate is not flagged again for the same evidence.
        """
        if verdict not in VERDICTS:
            raise StoreError("bad_verdict", verdict=str(verdict))
        ids = [str(order_id) for order_id in order_ids]
        proofs = list(evidence) if evidence is not None else [""] * len(ids)
        if len(proofs) != len(ids):
            raise StoreError("evidence_mismatch")
        now = db.utc_now()
        with self.transaction() as conn:
            conn.executemany(
                "INSERT INTO verdicts (order_id, verdict, note, group_id, evidence, decided_at) "
                "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT(order_id) DO UPDATE SET "
                "verdict = excluded.verdict, note = excluded.note, group_id = excluded.group_id, "
                "evidence = excluded.evidence, decided_at = excluded.decided_at",
                [
                    (order_id, verdict, note, group_id, proof or "", now)
                    for order_id, proof in zip(ids, proofs, strict=True)
                ],
            )

    def clear_verdict(self, order_ids: Sequence[str]) -> None:
        """Forget the verdicts of ``order_ids``."""
        with self.transaction() as conn:
            conn.executemany(
                "DELETE FROM verdicts WHERE order_id = ?", [(str(i),) for i in order_ids]
            )

    def verdicts(self) -> pd.DataFrame:
        """Every verdict: order_id, verdict, note, group_id, evidence, decided_at."""
        with self.connection() as conn:
            frame = pd.read_sql_query(
                "SELECT order_id, verdict, note, group_id, evidence, decided_at FROM verdicts "
                "ORDER BY decided_at, order_id",
                conn,
            )
        return frame.astype("str")

    # --- watchlist ---------------------------------------------------------------------

    def watch(self, kind: WatchKind, key: str, display: str | None = None, note: str = "") -> None:
        """Watch a normalised identifier (``key``, e.g. an order's ``address_key``).

        Only its salted hash is kept for good; ``display`` (what the seller sees) is kept
        until retention clears it.
        """
        if kind not in WATCH_KINDS:
            raise StoreError("bad_watch_kind", kind=str(kind))
        if not key:
            raise StoreError("empty_watch_key")
        key_hash = salted_hash_one(self._salt(), kind, key)
        with self.transaction() as conn:
            conn.execute(
                "INSERT INTO watchlist (kind, key_hash, display, note, added_at) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT(kind, key_hash) DO UPDATE SET "
                "display = COALESCE(excluded.display, watchlist.display), "
                "note = excluded.note",
                (kind, key_hash, display, note, db.utc_now()),
            )

    def watch_value(self, kind: WatchKind, text: str, postal_code: str = "") -> str:
        """Watch an identifier typed by the seller (normalised as the scan normalises it).

        Returns the key now watched.

        Raises
        ------
        StoreError
            ``unrecognised_identifier`` when nothing usable is left of ``text``.
        """
        from sellerguard.store.watch_keys import identifier_key

        key = identifier_key(kind, text, postal_code)
        if key is None:
            raise StoreError("unrecognised_identifier", value=text)
        shown = f"〒{postal_code.strip()} {text.strip()}" if postal_code.strip() else text.strip()
        self.watch(kind, key, display=shown)
        return key

    def unwatch(self, entry_id: int) -> None:
        """Remove one watchlist entry by its id."""
        with self.transaction() as conn:
            conn.execute("DELETE FROM watchlist WHERE id = ?", (int(entry_id),))

    def watchlist(self) -> pd.DataFrame:
        """Every watchlist entry: id, kind, key_hash, display, note, added_at."""
        with self.connection() as conn:
            frame = pd.read_sql_query(
                "SELECT id, kind, key_hash, display, note, added_at FROM watchlist ORDER BY id",
                conn,
            )
        return frame.astype(
            {
                "id": "Int64",
                "kind": "str",
                "key_hash": "str",
                "display": "str",
                "note": "str",
                "added_at": "str",
            }
        )

    # --- linking keys ------------------------------------------------------------------

    def record_keys(self, keys: pd.DataFrame) -> None:
        """Persist each order's linking keys (plain and salted hash) from a scan result.

        ``keys`` has ``order_id`` and any of ``address_key``, ``phone_key``, ``name_key``,
        ``account_key``. Orders whose raw data was already purged keep their hashes.
        """
        salt = self._salt()
        frame = pd.DataFrame({"order_id": keys["order_id"].astype("str")})
        for kind, column in KEY_COLUMNS.items():
            values = (
                keys[column].astype("str")
                if column in keys.columns
                else pd.Series(pd.NA, index=keys.index, dtype="str")
            )
            frame[column] = values
            frame[f"{kind}_hash"] = salted_hash(salt, kind, values)
        columns = [
            "order_id",
            "address_hash",
            "phone_hash",
            "name_hash",
            "account_hash",
            "address_key",
            "phone_key",
            "name_key",
            "account_key",
        ]
        rows = [
            tuple(None if pd.isna(v) else str(v) for v in row)
            for row in frame[columns].itertuples(index=False, name=None)
        ]
        sets = ", ".join(f"{c} = COALESCE(excluded.{c}, order_keys.{c})" for c in columns[1:])
        with closing(db.connect(self.path)) as conn, db.immediate(conn):
            conn.executemany(
                f"INSERT INTO order_keys ({','.join(columns)}) VALUES ({','.join('?' * 9)}) "
                f"ON CONFLICT(order_id) DO UPDATE SET {sets}",
                rows,
            )

    def order_keys(self) -> pd.DataFrame:
        """The stored linking keys per order (hashes always, plain keys until retention)."""
        with self.connection() as conn:
            frame = pd.read_sql_query("SELECT * FROM order_keys ORDER BY order_id", conn)
        return frame.astype("str")

    # --- feedback into the scan --------------------------------------------------------

    def context_keys(self) -> tuple[dict[str, set[str]], set[str]]:
        """The plain keys to watch per link kind, and the evidence cleared as legitimate.

        Watched keys are those of the watchlist and of every order confirmed as
        harassment; a watchlist entry (a salted hash) becomes a plain key through the
        stored keys of the orders that carry it.
        """
        watch: dict[str, set[str]] = {kind: set() for kind in WATCH_KINDS}
        cleared: set[str] = set()
        with self.connection() as conn:
            for kind in WATCH_KINDS:
                column = KEY_COLUMNS[kind]
                harassers = conn.execute(
                    f"SELECT DISTINCT k.{column} FROM order_keys k JOIN verdicts v "
                    f"ON v.order_id = k.order_id WHERE v.verdict = 'harassment' "
                    f"AND k.{column} IS NOT NULL"
                ).fetchall()
                watched = conn.execute(
                    f"SELECT DISTINCT k.{column} FROM order_keys k JOIN watchlist w "
                    f"ON w.kind = ? AND w.key_hash = k.{kind}_hash WHERE k.{column} IS NOT NULL",
                    (kind,),
                ).fetchall()
                watch[kind] = {row[0] for row in harassers} | {row[0] for row in watched}
            for (evidence,) in conn.execute(
                "SELECT evidence FROM verdicts WHERE verdict = 'legitimate' AND evidence != ''"
            ):
                cleared.update(split_evidence(str(evidence)))
        return watch, cleared

    def watched_hashes(self) -> dict[str, set[str]]:
        """Salted hashes watched per link kind (watchlist and confirmed harassment)."""
        out: dict[str, set[str]] = {kind: set() for kind in WATCH_KINDS}
        with self.connection() as conn:
            for kind, key_hash in conn.execute("SELECT kind, key_hash FROM watchlist"):
                out[kind].add(key_hash)
            for kind in WATCH_KINDS:
                for (key_hash,) in conn.execute(
                    f"SELECT DISTINCT k.{kind}_hash FROM order_keys k JOIN verdicts v "
                    f"ON v.order_id = k.order_id WHERE v.verdict = 'harassment' "
                    f"AND k.{kind}_hash IS NOT NULL"
                ):
                    out[kind].add(key_hash)
        return out

    def salted(self, kind: WatchKind, key: str) -> str:
        """The salted hash this store keeps for the normalised identifier ``key``."""
        return salted_hash_one(self._salt(), kind, key)

    def scan_context(self) -> ScanContext:
        """The ``ScanContext`` built from verdicts and the watchlist."""
        from sellerguard.rules import ScanContext

        watch, cleared = self.context_keys()
        return ScanContext(
            watch={kind: frozenset(keys) for kind, keys in watch.items()},
            cleared=frozenset(cleared),
        )

    def scan(self) -> ScanResult:
        """``rules.scan`` over everything stored, with this store's settings and feedback."""
        from sellerguard.store.scans import scan_store

        return scan_store(self)

    def scored_orders(self, wait: bool = True) -> pd.DataFrame:
        """The scan's order table, cached in memory and on disk (fast for pages).

        With ``wait=False`` an older table may come back while the new scan runs in the
        background (:meth:`scan_running` says so).
        """
        from sellerguard.store.scans import scored_orders

        return scored_orders(self, wait=wait)

    def scan_running(self) -> bool:
        """Whether a background rescan is under way (after ``scored_orders(wait=False)``)."""
        from sellerguard.store.scans import scan_running

        return scan_running(self)

    # --- retention ---------------------------------------------------------------------

    def retention_days(self) -> int:
        """Days after an order's last activity before its raw buyer data is deleted."""
        from sellerguard.store.scans import store_settings

        return int(store_settings(self).retention_days)

    def apply_retention(self, now: datetime | None = None, days: int | None = None) -> int:
        """Delete raw buyer data of orders whose last activity is older than ``days``.

        An order's last activity is the latest of its last update (shipment, cancellation),
        payment and purchase dates over all its rows, and of the imports that brought it:
        an old export imported today stays readable for ``days`` (to review and report it)
        before its personal data goes. Raw PII columns, plain linking keys
        and the display value of watchlist entries are cleared; salted hashes stay, so a
        known harasser is still recognised. Returns the number of orders purged.
        """
        keep = self.retention_days() if days is None else int(days)
        moment = now or datetime.now(UTC)
        cutoff = (moment - timedelta(days=keep)).astimezone(UTC)
        pii_set = ", ".join(f"{c} = NULL" for c in PII_COLUMNS)
        pii_any = " OR ".join(f"{c} IS NOT NULL" for c in PII_COLUMNS)
        stamp = db.utc_now()
        with closing(db.connect(self.path)) as conn:
            rows = conn.execute(
                "SELECT i.order_id, MAX(COALESCE(i.last_updated_date, '')), "
                "MAX(COALESCE(i.payments_date, '')), MAX(COALESCE(i.purchase_date, '')), "
                "MAX(COALESCE(f.imported_at, '')) "
                "FROM items i LEFT JOIN imported_files f ON f.id = i.file_id "
                f"WHERE i.order_id IN (SELECT order_id FROM items WHERE {pii_any}) "
                "GROUP BY i.order_id"
            ).fetchall()
        if not rows:
            self._purge_watch_display(cutoff)
            return 0
        moments = ["updated", "paid", "purchased", "imported"]
        frame = pd.DataFrame(rows, columns=["order_id", *moments])
        latest = pd.concat(
            [
                pd.to_datetime(frame[c].replace("", None), utc=True, format="ISO8601")
                for c in moments
            ],
            axis=1,
        ).max(axis=1)
        expired = frame.loc[latest.notna() & (latest < pd.Timestamp(cutoff)), "order_id"]
        ids = [(str(order_id),) for order_id in expired.tolist()]
        if ids:
            with self.transaction() as conn:
                _bump_revision(conn, "data_revision")
                conn.executemany(
                    f"UPDATE items SET {pii_set}, pii_purged_at = ? WHERE order_id = ?",
                    [(stamp, order_id) for (order_id,) in ids],
                )
                conn.executemany(
                    "UPDATE order_keys SET address_key = NULL, phone_key = NULL, "
                    "name_key = NULL, account_key = NULL WHERE order_id = ?",
                    ids,
                )
            from sellerguard.store.scans import drop_cache

            drop_cache(self)
        self._purge_watch_display(cutoff)
        return len(ids)

    def _purge_watch_display(self, cutoff: datetime) -> None:
        with closing(db.connect(self.path)) as conn, db.immediate(conn):
            conn.execute(
                "UPDATE watchlist SET display = NULL WHERE display IS NOT NULL AND added_at < ?",
                (cutoff.isoformat(timespec="seconds"),),
            )

    def delete_everything(self) -> None:
        """Delete every row of every table and every file the app keeps in the data directory.

        Rows are deleted inside one transaction (so another tab or process never sees half
        a store), then the file is vacuumed so no deleted data lingers in free pages or the
        write-ahead log. The schema stays; a new salt is drawn, so old hashes match nothing.
        """
        from sellerguard.store.scans import drop_cache, scans_paused

        with scans_paused(self), closing(db.connect(self.path)) as conn:
            with db.immediate(conn):
                conn.execute("PRAGMA defer_foreign_keys = ON")
                tables = [
                    row[0]
                    for row in conn.execute(
                        "SELECT name FROM sqlite_master WHERE type = 'table' "
                        "AND name NOT IN ('schema_migrations', 'store_state') "
                        "AND name NOT LIKE 'sqlite_%'"
                    )
                ]
                for table in tables:
                    conn.execute(f'DELETE FROM "{table}"')
                # revisions keep counting, so no process mistakes the new data for the old
                _bump_revision(conn, "data_revision")
                conn.execute(
                    "INSERT INTO settings (key, value) VALUES ('store.salt', ?)",
                    (json.dumps(secrets.token_hex(16)),),
                )
                _bump_revision(conn)
            try:
                conn.execute("VACUUM")
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as err:
                raise StoreError("cannot_delete", path=str(self.path), detail=str(err)) from err
            drop_cache(self)
            for folder in ("evidence", "cache", "exports"):
                shutil.rmtree(self.home / folder, ignore_errors=True)


_EVIDENCE_START = re.compile(r"\|(?=[a-z0-9_]+:[a-z_]+:)")


def split_evidence(evidence: str) -> list[str]:
    """Split a scan's "|"-joined evidence into ``rule_code:link_kind:key`` strings.

    Keys may themselves contain "|" (an address key joins its parts with it), so the
    string is split only where a new ``rule_code:link_kind:`` begins.
    """
    return [part for part in _EVIDENCE_START.split(evidence) if part]


def _bump_revision(conn: sqlite3.Connection, key: str = "revision") -> None:
    conn.execute(
        "UPDATE store_state SET value = CAST(CAST(value AS INTEGER) + 1 AS TEXT) WHERE key = ?",
        (key,),
    )


def _file_record(name: str, data: bytes, sha: str, read: Any) -> FileImport:
    """Turn a reader's ``ExportRead`` into a :class:`FileImport` (duck-typed)."""
    problems_raw = getattr(read, "problems", None)
    problems: list[dict[str, Any]] = []
    if isinstance(problems_raw, pd.DataFrame):
        problems = [
            {str(k): (None if pd.isna(v) else v) for k, v in row.items()}
            for row in problems_raw.to_dict("records")
        ]
    elif problems_raw:
        for problem in problems_raw:
            if isinstance(problem, dict):
                problems.append({str(k): v for k, v in problem.items()})
            elif hasattr(problem, "__dataclass_fields__"):
                problems.append({k: getattr(problem, k) for k in problem.__dataclass_fields__})
            else:
                problems.append({"problem": str(problem)})
    return FileImport(
        name=name,
        sha256=sha,
        kind=_opt_str(getattr(read, "kind", None)),
        encoding=_opt_str(getattr(read, "encoding", None)),
        rows_in=int(getattr(read, "rows_in", 0) or 0),
        rows_read=int(getattr(read, "rows_read", 0) or 0),
        problems=tuple(problems),
        size_bytes=len(data),
    )


def _opt_str(value: Any) -> str | None:
    return None if value is None else str(value)
