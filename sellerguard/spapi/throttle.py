"""Waiting politely: Amazon's usage plans as token buckets, backoff, and a cancel flag.

Every wait goes through a :class:`Clock`, so tests replace minutes of rate limiting with an
instant fake clock that records what would have been waited.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Protocol


class Cancelled(Exception):
    """The pull was cancelled by the user; raised at the next wait or step boundary."""


class Clock(Protocol):
    """Time source and sleeper used for every wait."""

    def monotonic(self) -> float:
        """Seconds from an arbitrary origin, never going backwards."""
        ...

    def now(self) -> datetime:
        """The current UTC time."""
        ...

    def sleep(self, seconds: float, cancel: threading.Event | None) -> None:
        """Wait ``seconds``; return early (and raise :class:`Cancelled`) if ``cancel`` is set."""
        ...


class SystemClock:
    """The real clock; sleeping wakes up as soon as the cancel flag is set."""

    def monotonic(self) -> float:
        """Return ``time.monotonic()``."""
        return time.monotonic()

    def now(self) -> datetime:
        """Return the current UTC time."""
        return datetime.now(UTC)

    def sleep(self, seconds: float, cancel: threading.Event | None) -> None:
        """Sleep, interruptibly."""
        if cancel is None:
            time.sleep(max(seconds, 0.0))
            return
        if cancel.wait(max(seconds, 0.0)):
            raise Cancelled


@dataclass(frozen=True)
class RateLimit:
    """An SP-API usage plan: requests per second and burst."""

    rate: float
    burst: int


RATE_LIMITS: dict[str, RateLimit] = {
    "createReport": RateLimit(0.0167, 15),
    "getReport": RateLimit(2.0, 15),
    "getReportDocument": RateLimit(0.0167, 15),
    "getOrders": RateLimit(0.0167, 20),
    "createRestrictedDataToken": RateLimit(1.0, 10),
}
"""Published usage plans of the operations SellerGuard calls."""


_ONE = 1.0 - 1e-9
"""A full token, allowing for floating-point rounding of the refill."""


class TokenBucket:
    """A token bucket: ``burst`` requests at once, then one every ``1 / rate`` seconds."""

    def __init__(self, limit: RateLimit, clock: Clock) -> None:
        self.limit = limit
        self._clock = clock
        self._tokens = float(limit.burst)
        self._stamp = clock.monotonic()
        self._lock = threading.Lock()

    def _refill(self) -> None:
        now = self._clock.monotonic()
        elapsed = max(now - self._stamp, 0.0)
        self._tokens = min(float(self.limit.burst), self._tokens + elapsed * self.limit.rate)
        self._stamp = now

    def wait_time(self) -> float:
        """Seconds until a request may go (0 when a token is available)."""
        with self._lock:
            self._refill()
            return 0.0 if self._tokens >= _ONE else (1.0 - self._tokens) / self.limit.rate

    def acquire(self, cancel: threading.Event | None = None) -> float:
        """Take a token, waiting as needed; return the seconds waited."""
        waited = 0.0
        while True:
            with self._lock:
                self._refill()
                if self._tokens >= _ONE:
                    self._tokens = max(self._tokens - 1.0, 0.0)
                    return waited
                delay = (1.0 - self._tokens) / self.limit.rate
            self._clock.sleep(delay, cancel)
            waited += delay

    def adopt_rate(self, header: str | None) -> None:
        """Follow the ``x-amzn-RateLimit-Limit`` a response carried (the seller's real rate)."""
        try:
            rate = float(header) if header else 0.0
        except ValueError:
            return
        if rate > 0 and rate != self.limit.rate:
            with self._lock:
                self._refill()
                self.limit = RateLimit(rate, self.limit.burst)

    def drain(self) -> None:
        """Empty the bucket after the server said we were too fast."""
        with self._lock:
            self._refill()
            self._tokens = 0.0

    def grant(self) -> None:
        """Allow one request now: the server said when to retry (``Retry-After``)."""
        with self._lock:
            self._refill()
            self._tokens = max(self._tokens, 1.0)


MAX_BACKOFF_SECONDS = 120.0


def retry_delay(
    attempt: int, retry_after: str | None, rate_limit: str | None, clock: Clock
) -> float:
    """How long to wait before retry number ``attempt`` (1-based) of a throttled/failed call.

    ``Retry-After`` wins (seconds or an HTTP date); otherwise the ``x-amzn-RateLimit-Limit``
    header says the allowed rate, so one interval is waited; otherwise exponential backoff
    (1, 2, 4 ... seconds). Always capped at :data:`MAX_BACKOFF_SECONDS`.
    """
    delay: float | None = None
    if retry_after:
        try:
            delay = float(retry_after)
        except ValueError:
            try:
                when = parsedate_to_datetime(retry_after)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                delay = (when - clock.now()).total_seconds()
    if delay is None and rate_limit:
        try:
            rate = float(rate_limit)
        except ValueError:
            rate = 0.0
        if rate > 0:
            delay = 1.0 / rate
    if delay is None:
        delay = 2.0 ** (attempt - 1)
    return min(max(delay, 0.0), MAX_BACKOFF_SECONDS)
