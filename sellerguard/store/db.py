"""Opening the SQLite file and applying the versioned migrations.

Connections run in autocommit mode (``isolation_level=None``) so that every transaction is
explicit: ``BEGIN IMMEDIATE`` takes the write lock up front, which lets two processes (two
browser tabs, the app and the command line) wait for each other instead of failing halfway.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from importlib import resources
from pathlib import Path

from sellerguard.errors import StoreError

DB_NAME = "sellerguard.db"
BUSY_TIMEOUT_MS = 30_000
_MIGRATION_NAME = re.compile(r"^(\d{4})_([a-z0-9_]+)\.sql$")


def utc_now() -> str:
    """Current time as ISO 8601 text in UTC (seconds precision)."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def connect(path: Path) -> sqlite3.Connection:
    """Open ``path`` in WAL mode with a busy timeout and foreign keys on."""
    try:
        conn = sqlite3.connect(
            path, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = NORMAL")
        conn.execute("PRAGMA foreign_keys = ON")
    except sqlite3.Error as err:
        raise StoreError("cannot_open", path=str(path), detail=str(err)) from err
    return conn


@contextmanager
def immediate(conn: sqlite3.Connection) -> Iterator[sqlite3.Connection]:
    """Run the block inside ``BEGIN IMMEDIATE`` … ``COMMIT`` (rolled back on any error)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def migration_files() -> list[tuple[int, str, str]]:
    """Return ``(version, name, sql)`` for every packaged migration, in version order."""
    found: list[tuple[int, str, str]] = []
    folder = resources.files("sellerguard.store") / "migrations"
    for entry in folder.iterdir():
        match = _MIGRATION_NAME.match(entry.name)
        if match:
            found.append((int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort()
    versions = [version for version, _, _ in found]
    if len(versions) != len(set(versions)):
        raise StoreError("duplicate_migration", versions=", ".join(map(str, versions)))
    return found


def split_statements(sql: str) -> list[str]:
    """Split a migration script into complete statements (triggers included)."""
    statements: list[str] = []
    buffer = ""
    for line in sql.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            if buffer.strip().strip(";").strip():
                statements.append(buffer.strip())
            buffer = ""
    if buffer.strip() and not all(
        part.strip().startswith("--") or not part.strip() for part in buffer.splitlines()
    ):
        statements.append(buffer.strip())
    return statements


def migrate(conn: sqlite3.Connection) -> list[int]:
    """Apply the migrations not yet recorded, each in its own transaction.

    Returns the versions applied now. Each migration is applied and recorded in
    ``schema_migrations`` inside one ``BEGIN IMMEDIATE`` transaction, so a failure leaves
    the schema at the previous version and a concurrent process never applies one twice.
    """
    conn.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations ("
        "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)"
    )
    applied_now: list[int] = []
    for version, name, sql in migration_files():
        with immediate(conn):
            done = conn.execute(
                "SELECT 1 FROM schema_migrations WHERE version = ?", (version,)
            ).fetchone()
            if done:
                continue
            try:
                for statement in split_statements(sql):
                    conn.execute(statement)
            except sqlite3.Error as err:
                raise StoreError("migration_failed", migration=name, detail=str(err)) from err
            conn.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
                (version, name, utc_now()),
            )
        applied_now.append(version)
    return applied_now


def applied_migrations(conn: sqlite3.Connection) -> list[int]:
    """Versions recorded in ``schema_migrations``."""
    rows = conn.execute("SELECT version FROM schema_migrations ORDER BY version").fetchall()
    return [int(row[0]) for row in rows]
