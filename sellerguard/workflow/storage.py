"""How the workflow reads and writes its own tables in the store.

The workflow tables (``checklist``, ``filings``, ``evidence``; migration ``0002_workflow.sql``)
do not change what a scan sees, so writes go through ``Store.connection()`` inside their own
``BEGIN IMMEDIATE`` transaction instead of ``Store.transaction()``, which would bump the
store revision and throw away the cached scan on every checklist tick.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sellerguard.store import Store


@contextmanager
def reading(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection for reads."""
    with store.connection() as conn:
        yield conn


@contextmanager
def writing(store: Store) -> Iterator[sqlite3.Connection]:
    """A connection inside ``BEGIN IMMEDIATE ... COMMIT`` (rolled back on any error)."""
    with store.connection() as conn:
        conn.execute("BEGIN IMMEDIATE")
        try:
            yield conn
        except BaseException:
            conn.execute("ROLLBACK")
            raise
        conn.execute("COMMIT")


def utc_now() -> str:
    """Return the current UTC time as ISO 8601 text (seconds precision)."""
    return datetime.now(UTC).replace(microsecond=0).isoformat()


def parse_date(text: str | None) -> date | None:
    """Return the date in an ISO ``YYYY-MM-DD`` text, or None for empty text."""
    if not text:
        return None
    return date.fromisoformat(text[:10])
