"""Helpers for the browser tests: a real ``streamlit run app.py`` on a free loopback port.

Servers are waited for on their health endpoint, pages on selectors; nothing sleeps. The
timeouts below only stop a hung run: they measure nothing.
"""

from __future__ import annotations

import socket
import subprocess
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
#: Guards against a hung server or page; generous because the first scan loads Japan Post data.
HANG_GUARD_MS = 300_000


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Server:
    """One running ``streamlit run app.py``."""

    process: subprocess.Popen[bytes]
    port: int
    log: Path

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def wait_healthy(server: Server) -> None:
    """Poll ``/_stcore/health`` until it answers ``ok``; fail at once if the server exits."""
    while True:
        try:
            with urllib.request.urlopen(f"{server.url}/_stcore/health", timeout=5) as answer:
                if answer.status == 200 and answer.read().strip() == b"ok":
                    return
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            pass
        try:  # between polls, wait for the one event that ends all hope: the server exiting
            server.process.wait(timeout=0.2)
        except subprocess.TimeoutExpired:
            continue
        raise RuntimeError(f"streamlit exited: {server.log.read_text(errors='replace')}")


def wait_app_idle(page: object) -> None:
    """Wait until Streamlit has finished the current run (no running indicator)."""
    page.wait_for_selector('[data-testid="stApp"][data-test-script-state="notRunning"]')  # type: ignore[attr-defined]
