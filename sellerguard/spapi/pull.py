"""Pulling orders from the SP-API into files a seller would have downloaded, then the store.

For each window of at most 30 days (Amazon's limit for the all-orders reports):

1. the all-orders report by last update (every status, no PII) — required;
2. the order report with buyer data, through a Restricted Data Token — optional: without the
   restricted role the pull continues and says what is missing and why;
3. getOrders for Pending and Canceled orders, written as the ``orders_api`` file — required.

Each report is written with its original bytes, imported through ``Store.import_exports`` (so
a pulled report and the same report uploaded give identical results), and the cursor advances
to the window's end. A cancelled or failed pull keeps every complete window.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

from sellerguard.errors import SellerGuardError, SpApiError
from sellerguard.exports.columns import TIMEZONE
from sellerguard.i18n import t
from sellerguard.spapi.client import (
    REPORT_ALL_ORDERS,
    REPORT_ORDERS_BUYER,
    ReportInfo,
    SpApiClient,
    error_document_summary,
)
from sellerguard.spapi.documents import ReportDocument
from sellerguard.spapi.orders_file import ORDERS_API_STATUSES, orders_api_file
from sellerguard.spapi.state import PullLogEntry, log_pull, read_cursor, write_cursor
from sellerguard.spapi.throttle import Cancelled

if TYPE_CHECKING:
    from sellerguard.store import Store

_JST = ZoneInfo(TIMEZONE)

WINDOW_DAYS = 30
SAFETY_MARGIN = timedelta(minutes=2)
"""Amazon rejects data end times in the future; stay this far behind now."""

POLL_FIRST_SECONDS = 5.0
POLL_MAX_SECONDS = 60.0
REPORT_DEADLINE_SECONDS = 60 * 60.0

ALL_ORDERS = "all_orders"
BUYER_REPORT = "order_report"
ORDERS_API = "orders_api"


@dataclass(frozen=True)
class Progress:
    """One step of a pull, for a progress display: ``spapi.progress.<step>``."""

    step: str
    fraction: float
    params: dict[str, Any] = field(default_factory=dict)

    def message(self, lang: str = "ja") -> str:
        """The step in words."""
        params = dict(self.params)
        if "report" in params:
            params["report"] = t(f"spapi.kind.{params['report']}", lang)
        return t(f"spapi.progress.{self.step}", lang, **params)


@dataclass(frozen=True)
class PulledFile:
    """A file written by the pull."""

    path: Path
    kind: str
    rows: int
    encoding: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Missing:
    """Data the pull could not get: which (a kind) and why (an ``error.spapi`` reason)."""

    kind: str
    reason: str

    def message(self, lang: str = "ja") -> str:
        """Explain in words."""
        return t(
            "spapi.missing",
            lang,
            report=t(f"spapi.kind.{self.kind}", lang),
            why=t(
                f"error.spapi.{self.reason}",
                lang,
                report=t(f"spapi.kind.{self.kind}", lang),
                operation=self.kind,
                code="",
                status="",
            ),
            consequence=t(f"spapi.missing.{self.kind}", lang),
        )


@dataclass
class PullResult:
    """What a pull did. ``outcome`` is complete, partial, cancelled or failed."""

    since: datetime
    until: datetime
    files: list[PulledFile] = field(default_factory=list)
    missing: list[Missing] = field(default_factory=list)
    covered_until: datetime | None = None
    new_orders: int = 0
    outcome: str = "complete"
    error: SellerGuardError | None = None

    @property
    def rows(self) -> int:
        """Data rows in the written files."""
        return sum(f.rows for f in self.files)

    def summary_lines(self, lang: str = "ja") -> list[str]:
        """A summary for people: counts and dates only, never buyer data."""
        lines = [
            t(
                f"spapi.summary.{self.outcome}",
                lang,
                since=local_text(self.since),
                until=local_text(self.until),
            )
        ]
        lines += [
            t(
                "spapi.summary.file",
                lang,
                file=f.path.name,
                report=t(f"spapi.kind.{f.kind}", lang),
                rows=f.rows,
                encoding=f.encoding,
            )
            for f in self.files
        ]
        lines.append(t("spapi.summary.new_orders", lang, n=self.new_orders))
        if self.covered_until is not None:
            lines.append(t("spapi.summary.cursor", lang, cursor=local_text(self.covered_until)))
        lines += [m.message(lang) for m in dict.fromkeys(self.missing)]
        return lines


def local_text(moment: datetime) -> str:
    """``moment`` as Japan time, to the minute (how dates are shown to sellers)."""
    return moment.astimezone(_JST).strftime("%Y-%m-%d %H:%M")


def today_in_japan(now: datetime | None = None) -> date:
    """Today's date in Japan."""
    return (now or datetime.now(UTC)).astimezone(_JST).date()


def day_start(day: date) -> datetime:
    """Midnight at the start of ``day`` in Japan (sellers think in Japanese days)."""
    return datetime(day.year, day.month, day.day, tzinfo=_JST)


def parse_moment(text: str, *, end_of_day: bool = False) -> datetime:
    """Read a ``--since`` / ``--until`` value: a date (Japan days) or an ISO 8601 time.

    A bare date means the start of that day, or with ``end_of_day`` the start of the next
    day (so ``--until 2026-01-31`` includes the 31st). A time without an offset is Japan time.

    Raises
    ------
    SpApiError
        ``invalid_date``.
    """
    value = text.strip()
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            return day_start(day + timedelta(days=1) if end_of_day else day)
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise SpApiError("invalid_date", value=text) from None
    return moment if moment.tzinfo else moment.replace(tzinfo=_JST)


def _stamp(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y%m%dT%H%M%SZ")


def windows(
    since: datetime, until: datetime, days: int = WINDOW_DAYS
) -> list[tuple[datetime, datetime]]:
    """Split ``[since, until)`` into consecutive windows of at most ``days`` days."""
    if days < 1:
        raise ValueError("days must be at least 1")
    spans: list[tuple[datetime, datetime]] = []
    start = since
    while start < until:
        end = min(start + timedelta(days=days), until)
        spans.append((start, end))
        start = end
    return spans


def prune_buyer_files(folder: Path, days: int, now: datetime) -> int:
    """Delete pulled order reports (buyer data) written more than ``days`` ago.

    The store drops raw buyer data after the retention period; files the app keeps in its
    own data folder follow the same rule. Returns the number of files deleted.
    """
    if not folder.is_dir():
        return 0
    cutoff = (now - timedelta(days=days)).timestamp()
    removed = 0
    for path in folder.glob(f"{BUYER_REPORT}_*.txt"):
        if path.stat().st_mtime < cutoff:
            path.unlink()
            removed += 1
    return removed


def _write(path: Path, content: bytes) -> None:
    partial = path.with_name(path.name + ".part")
    partial.write_bytes(content)
    os.replace(partial, path)


class _Pull:
    """One pull in progress (the steps of :func:`pull_orders`)."""

    def __init__(
        self,
        client: SpApiClient,
        out_dir: Path,
        store: Store | None,
        result: PullResult,
        progress: Callable[[Progress], None] | None,
        steps: int,
    ) -> None:
        self.client = client
        self.out_dir = out_dir
        self.store = store
        self.result = result
        self._progress = progress
        self._steps = max(steps, 1)
        self._done = 0
        self.buyer_report = client.restricted_role_configured

    def report_progress(self, step: str, **params: Any) -> None:
        if step != "done" and self.client.cancel.is_set():
            raise Cancelled
        if self._progress is not None:
            self._progress(Progress(step, min(self._done / self._steps, 1.0), params))

    def step_done(self) -> None:
        self._done += 1

    def wait_for_report(self, report_id: str, kind: str) -> ReportInfo:
        """Poll ``getReport`` with a growing interval until DONE, CANCELLED or FATAL."""
        clock = self.client.clock
        deadline = clock.monotonic() + REPORT_DEADLINE_SECONDS
        delay = POLL_FIRST_SECONDS
        while True:
            info = self.client.get_report(report_id)
            if info.status in ("DONE", "CANCELLED", "FATAL"):
                return info
            if clock.monotonic() >= deadline:
                raise SpApiError("report_timeout", report=kind)
            self.report_progress("waiting", report=kind, status=info.status)
            clock.sleep(delay, self.client.cancel)
            delay = min(delay * 1.5, POLL_MAX_SECONDS)

    def fetch_report(
        self, kind: str, report_type: str, start: datetime, end: datetime, restricted: bool
    ) -> ReportDocument | None:
        """Create, wait for and download one report; None when Amazon has no data."""
        self.report_progress("creating", report=kind)
        report_id = self.client.create_report(report_type, start, end)
        info = self.wait_for_report(report_id, kind)
        if info.status == "CANCELLED":
            return None
        if info.status == "FATAL":
            summary = ""
            if info.document_id:
                try:
                    summary = error_document_summary(
                        self.client.download(self.client.get_report_document(info.document_id))
                    )
                except SpApiError:
                    summary = ""
            raise SpApiError("report_fatal", detail=summary, report=report_type)
        if not info.document_id:
            raise SpApiError("bad_response", operation="getReport", status=200)
        self.report_progress("downloading", report=kind)
        token = (
            self.client.restricted_data_token(f"/reports/2021-06-30/documents/{info.document_id}")
            if restricted
            else None
        )
        return self.client.download(self.client.get_report_document(info.document_id, token))

    def keep(
        self, kind: str, content: bytes, rows: int, encoding: str, start: datetime, end: datetime
    ) -> PulledFile:
        path = self.out_dir / f"{kind}_{_stamp(start)}_{_stamp(end)}.txt"
        _write(path, content)
        pulled = PulledFile(
            path=path, kind=kind, rows=rows, encoding=encoding, start=start, end=end
        )
        self.result.files.append(pulled)
        self.report_progress("written", report=kind, rows=rows, file=path.name)
        return pulled

    def window(self, start: datetime, end: datetime) -> None:
        written: list[PulledFile] = []
        document = self.fetch_report(ALL_ORDERS, REPORT_ALL_ORDERS, start, end, restricted=False)
        if document is not None:
            written.append(
                self.keep(
                    ALL_ORDERS, document.content, document.data_lines, document.encoding, start, end
                )
            )
        self.step_done()

        if self.buyer_report:
            try:
                document = self.fetch_report(
                    BUYER_REPORT, REPORT_ORDERS_BUYER, start, end, restricted=True
                )
            except SpApiError as err:
                if err.reason not in ("restricted_role_missing", "access_denied", "report_fatal"):
                    raise
                reason = "restricted_role_missing" if err.reason == "access_denied" else err.reason
                self.result.missing.append(Missing(BUYER_REPORT, reason))
                self.report_progress("missing", report=BUYER_REPORT)
                if reason == "restricted_role_missing":
                    self.buyer_report = False
                document = None
            if document is not None:
                written.append(
                    self.keep(
                        BUYER_REPORT,
                        document.content,
                        document.data_lines,
                        document.encoding,
                        start,
                        end,
                    )
                )
        else:
            self.result.missing.append(Missing(BUYER_REPORT, "restricted_role_missing"))
        self.step_done()

        self.report_progress("orders_api")
        orders = self.client.get_orders(list(ORDERS_API_STATUSES), start, end)
        if orders:
            written.append(
                self.keep(ORDERS_API, orders_api_file(orders), len(orders), "utf-8", start, end)
            )
        self.step_done()

        if self.store is not None:
            readable = [f.path for f in written if f.rows > 0]
            if readable:
                self.report_progress("importing")
                self.result.new_orders += self.store.import_exports(readable).new_orders
            write_cursor(self.store, end, self.client.clock.now())
        self.result.covered_until = end


def pull_orders(
    client: SpApiClient,
    out_dir: Path,
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    store: Store | None = None,
    progress: Callable[[Progress], None] | None = None,
    window_days: int = WINDOW_DAYS,
) -> PullResult:
    """Pull orders last updated in ``[since, until)`` into ``out_dir`` and the store.

    Parameters
    ----------
    client
        A connected :class:`SpApiClient`; its ``cancel`` flag stops the pull at the next step.
    out_dir
        Folder for the files (created when missing).
    since
        Start; default the store's cursor (incremental pull).
    until
        End; default now (always kept two minutes behind now, as Amazon requires).
    store
        Where to import the files and keep the cursor and log; None writes files only.
    progress
        Called with a :class:`Progress` at every step.
    window_days
        Longest span of one report.

    Returns
    -------
    PullResult
        Files, what is missing and why, the cursor; ``outcome`` cancelled or failed (with
        ``error``) when the pull stopped early. Complete windows are kept in every case.

    Raises
    ------
    SpApiError
        ``no_cursor`` when ``since`` is missing and no earlier pull left a cursor;
        ``invalid_range`` when ``since`` is not before ``until``.
    """
    now = client.clock.now()
    started = now
    incremental = since is None
    if since is None:
        since = read_cursor(store) if store is not None else None
        if since is None:
            raise SpApiError("no_cursor")
    latest = now - SAFETY_MARGIN
    end = latest if until is None else min(until, latest)
    if since.tzinfo is None or end.tzinfo is None:
        raise ValueError("since and until must be timezone-aware")
    if since >= end:
        if not incremental:
            raise SpApiError("invalid_range", since=local_text(since), until=local_text(end))
        end = since  # nothing new since the last pull
    spans = windows(since, end, window_days)
    out_dir.mkdir(parents=True, exist_ok=True)
    result = PullResult(since=since, until=end)
    pull = _Pull(client, out_dir, store, result, progress, steps=3 * len(spans))
    try:
        for number, (start, stop) in enumerate(spans, 1):
            pull.report_progress(
                "window", n=number, total=len(spans), start=local_text(start), end=local_text(stop)
            )
            pull.window(start, stop)
        if any(m.kind == BUYER_REPORT for m in result.missing):
            result.outcome = "partial"
        pull.report_progress("done")
    except (Cancelled, KeyboardInterrupt):  # Ctrl-C at the command line is a cancel too
        result.outcome = "cancelled"
    except SellerGuardError as err:  # SP-API, store or reader errors: keep what is complete
        result.outcome = "failed"
        result.error = err
    if store is not None:
        log_pull(
            store,
            PullLogEntry(
                started_at=started,
                finished_at=client.clock.now(),
                since=since,
                until=end,
                outcome=result.outcome,
                files=len(result.files),
                rows=result.rows,
                new_orders=result.new_orders,
                missing=tuple(dict.fromkeys(f"{m.kind}:{m.reason}" for m in result.missing)),
                error_reason=result.error.reason if result.error else None,
            ),
        )
    return result
