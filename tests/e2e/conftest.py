"""Fixtures of the browser tests: servers over a temporary data directory, Chromium pages."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import pytest
from e2e_server import CHROMIUM, CHROMIUM_ARGS, HANG_GUARD_MS, ROOT, Server, free_port, wait_healthy


@pytest.fixture
def home(tmp_path: Path) -> Path:
    folder = tmp_path / "sellerguard-home"
    folder.mkdir()
    return folder


@pytest.fixture
def start_server(home: Path, tmp_path: Path) -> Iterator[Callable[[], Server]]:
    """Start the dashboard on a free port over ``home``; stopped after the test."""
    started: list[Server] = []

    def start() -> Server:
        port = free_port()
        log = tmp_path / f"streamlit-{len(started)}.log"
        env = {**os.environ, "SELLERGUARD_HOME": str(home), "SELLERGUARD_LANG": ""}
        env.pop("SELLERGUARD_LANG")
        handle = log.open("wb")
        process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "streamlit",
                "run",
                str(ROOT / "app.py"),
                "--server.address",
                "127.0.0.1",
                "--server.port",
                str(port),
                "--server.headless",
                "true",
                "--browser.gatherUsageStats",
                "false",
            ],
            cwd=ROOT,
            env=env,
            stdout=handle,
            stderr=subprocess.STDOUT,
        )
        server = Server(process, port, log)
        started.append(server)
        wait_healthy(server)
        return server

    yield start
    for server in started:
        server.stop()


@pytest.fixture(scope="session")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser: object) -> Iterator[object]:
    context = browser.new_context(locale="ja-JP", viewport={"width": 1400, "height": 1000})  # type: ignore[attr-defined]
    context.set_default_timeout(HANG_GUARD_MS)
    tab = context.new_page()
    yield tab
    context.close()


@pytest.fixture
def outside_requests(page: Any) -> list[str]:
    """URLs the browser asks for anywhere but this machine, recorded while the test runs."""
    seen: list[str] = []

    def record(request: Any) -> None:
        url = str(request.url)
        remote = url.startswith(("http:", "https:", "ws:", "wss:"))
        if remote and urlsplit(url).hostname not in ("127.0.0.1", "localhost"):
            seen.append(url)

    page.on("request", record)
    return seen
