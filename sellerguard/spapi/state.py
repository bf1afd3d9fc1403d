"""The pull cursor and the pull log, in the store's ``spapi_*`` tables (0003_spapi.sql)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from sellerguard.store import Store

CURSOR_STREAM = "orders"


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _moment(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


@dataclass(frozen=True)
class PullLogEntry:
    """One row of the pull log (no PII: counts, dates, reasons)."""

    started_at: datetime
    finished_at: datetime
    since: datetime
    until: datetime
    outcome: str
    files: int
    rows: int
    new_orders: int
    missing: tuple[str, ...]
    error_reason: str | None


def read_cursor(store: Store) -> datetime | None:
    """Where the next incremental pull starts (None before the first complete window)."""
    with store.connection() as conn:
        row = conn.execute(
            "SELECT covered_until FROM spapi_cursor WHERE stream = ?", (CURSOR_STREAM,)
        ).fetchone()
    return _moment(str(row[0])) if row else None


def write_cursor(store: Store, covered_until: datetime, now: datetime) -> None:
    """Advance the cursor; it never moves backwards."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO spapi_cursor (stream, covered_until, updated_at) VALUES (?, ?, ?) "
            "ON CONFLICT (stream) DO UPDATE SET covered_until = excluded.covered_until, "
            "updated_at = excluded.updated_at "
            "WHERE excluded.covered_until > spapi_cursor.covered_until",
            (CURSOR_STREAM, _text(covered_until), _text(now)),
        )


def log_pull(store: Store, entry: PullLogEntry) -> None:
    """Append one pull to the log."""
    with store.transaction() as conn:
        conn.execute(
            "INSERT INTO spapi_pull_log (started_at, finished_at, since, until, outcome, files, "
            "rows, new_orders, missing, error_reason) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                _text(entry.started_at),
                _text(entry.finished_at),
                _text(entry.since),
                _text(entry.until),
                entry.outcome,
                entry.files,
                entry.rows,
                entry.new_orders,
                "|".join(entry.missing),
                entry.error_reason,
            ),
        )


def last_pull(store: Store) -> PullLogEntry | None:
    """The most recent pull, or None."""
    with store.connection() as conn:
        row = conn.execute(
            "SELECT started_at, finished_at, since, until, outcome, files, rows, new_orders, "
            "missing, error_reason FROM spapi_pull_log ORDER BY id DESC LIMIT 1"
        ).fetchone()
    if row is None:
        return None
    return PullLogEntry(
        started_at=_moment(row[0]),
        finished_at=_moment(row[1]),
        since=_moment(row[2]),
        until=_moment(row[3]),
        outcome=str(row[4]),
        files=int(row[5]),
        rows=int(row[6]),
        new_orders=int(row[7]),
        missing=tuple(m for m in str(row[8]).split("|") if m),
        error_reason=row[9],
    )
