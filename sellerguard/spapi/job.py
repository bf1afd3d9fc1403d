"""A pull running in a background thread, so a page can show progress and a cancel button.

The thread opens its own store and client; the page only reads :meth:`PullJob.snapshot` and
may call :meth:`PullJob.cancel`. Errors end up in the snapshot, never in the thread's stderr.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from sellerguard.errors import SellerGuardError
from sellerguard.spapi.client import SpApiClient
from sellerguard.spapi.credentials import SpApiCredentials, SpApiEndpoints
from sellerguard.spapi.pull import Progress, PullResult, prune_buyer_files, pull_orders


@dataclass(frozen=True)
class JobSnapshot:
    """What the job has done so far."""

    running: bool
    steps: tuple[Progress, ...]
    result: PullResult | None
    error: SellerGuardError | None
    crash: BaseException | None = None

    @property
    def fraction(self) -> float:
        """Progress between 0 and 1."""
        if not self.running:
            return 1.0
        return self.steps[-1].fraction if self.steps else 0.0


class PullJob:
    """One pull in a daemon thread.

    Parameters
    ----------
    credentials, endpoints
        For the client the thread builds.
    home
        Store data directory (the thread opens its own ``Store``).
    out_dir
        Folder for the pulled files.
    since, until
        As for :func:`sellerguard.spapi.pull.pull_orders` (``since=None``: from the cursor).
    prune
        Delete order reports (buyer data) in ``out_dir`` older than the store's retention
        period first (the app's own folder; never a folder the seller chose).
    """

    def __init__(
        self,
        credentials: SpApiCredentials,
        home: Path,
        out_dir: Path,
        *,
        since: datetime | None,
        until: datetime | None,
        endpoints: SpApiEndpoints | None = None,
        prune: bool = True,
    ) -> None:
        self._credentials = credentials
        self._endpoints = endpoints
        self._home = home
        self._out_dir = out_dir
        self._since = since
        self._until = until
        self._prune = prune
        self._cancel = threading.Event()
        self._lock = threading.Lock()
        self._steps: list[Progress] = []
        self._result: PullResult | None = None
        self._error: SellerGuardError | None = None
        self._crash: BaseException | None = None
        self._thread = threading.Thread(target=self._run, name="sellerguard-pull", daemon=True)

    def start(self) -> PullJob:
        """Start the thread; return self."""
        self._thread.start()
        return self

    def cancel(self) -> None:
        """Ask the pull to stop at its next step or wait (complete windows are kept)."""
        self._cancel.set()

    def join(self) -> None:
        """Wait until the pull has ended."""
        self._thread.join()

    @property
    def running(self) -> bool:
        """True while the thread works."""
        return self._thread.is_alive()

    def snapshot(self) -> JobSnapshot:
        """A consistent copy of the progress so far."""
        with self._lock:
            return JobSnapshot(
                running=self.running,
                steps=tuple(self._steps),
                result=self._result,
                error=self._error,
                crash=self._crash,
            )

    def _record(self, step: Progress) -> None:
        with self._lock:
            self._steps.append(step)

    def _run(self) -> None:
        from sellerguard.store import Store

        try:
            store = Store.open(self._home)
            with SpApiClient(self._credentials, self._endpoints, cancel=self._cancel) as client:
                if self._prune:
                    prune_buyer_files(self._out_dir, store.retention_days(), client.clock.now())
                result = pull_orders(
                    client,
                    self._out_dir,
                    since=self._since,
                    until=self._until,
                    store=store,
                    progress=self._record,
                )
        except SellerGuardError as err:
            with self._lock:
                self._error = err
            return
        except Exception as exc:  # a bug: kept for the page to raise where it shows
            with self._lock:
                self._crash = exc
            return
        with self._lock:
            self._result = result
            self._error = result.error
