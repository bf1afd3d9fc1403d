"""Fixtures for the SP-API integration tests: the double, a fake clock, a client, a store."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sellerguard.spapi.client import SpApiClient
from sellerguard.spapi.credentials import SpApiCredentials, SpApiEndpoints
from sellerguard.spapi.throttle import Cancelled

from .spapi_double import Models, SpApiDouble

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)


class FakeClock:
    """A clock whose sleeps return at once and are recorded; time moves only by sleeping."""

    def __init__(self, start: datetime = NOW) -> None:
        self.start = start
        self.elapsed = 0.0
        self.sleeps: list[float] = []
        self.lock = threading.Lock()

    def monotonic(self) -> float:
        return self.elapsed

    def now(self) -> datetime:
        return self.start + timedelta(seconds=self.elapsed)

    def sleep(self, seconds: float, cancel: threading.Event | None) -> None:
        if cancel is not None and cancel.is_set():
            raise Cancelled
        with self.lock:
            self.sleeps.append(seconds)
            self.elapsed += max(seconds, 0.0)


@pytest.fixture(scope="session")
def models() -> Models:
    return Models()


@pytest.fixture
def double(models: Models) -> Iterator[SpApiDouble]:
    server = SpApiDouble(models).start()
    try:
        yield server
    finally:
        server.stop()
    assert server.schema_errors == [], server.schema_errors


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
def credentials() -> SpApiCredentials:
    return SpApiCredentials(
        refresh_token=SpApiDouble.refresh_token,
        lwa_app_id=SpApiDouble.app_id,
        lwa_client_secret=SpApiDouble.client_secret,
    )


@pytest.fixture
def endpoints(double: SpApiDouble) -> SpApiEndpoints:
    return SpApiEndpoints(spapi=double.endpoint, lwa=double.lwa_url)


@pytest.fixture
def client(
    credentials: SpApiCredentials, endpoints: SpApiEndpoints, clock: FakeClock
) -> Iterator[SpApiClient]:
    with SpApiClient(credentials, endpoints, clock=clock, timeout=0.5, max_attempts=4) as api:
        yield api


@pytest.fixture
def home(tmp_path: Path) -> Path:
    return tmp_path / "home"
