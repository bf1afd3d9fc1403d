"""``sellerguard dashboard``: run the Streamlit app on this computer only (127.0.0.1).

Also :class:`BackendBaseUrl`, the middleware ``app.py`` puts in front of Streamlit's server.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import click

from sellerguard.errors import SellerGuardError

#: The dashboard listens on the loopback interface only: it shows buyers' personal data.
ADDRESS = "127.0.0.1"


class DashboardError(SellerGuardError):
    """The dashboard could not be started (params: path)."""

    key = "error.dashboard"


def app_path() -> Path:
    """The ``app.py`` beside the package (the repository checkout SellerGuard runs from).

    Raises
    ------
    DashboardError
        ``app_missing`` when there is no ``app.py`` next to the package.
    """
    candidate = Path(__file__).resolve().parent.parent / "app.py"
    if not candidate.is_file():
        raise DashboardError("app_missing", path=str(candidate))
    return candidate


def streamlit_command(app: Path, port: int) -> list[str]:
    """The ``streamlit run`` command line for ``app`` on ``127.0.0.1:port``.

    Always headless: a non-headless first start makes Streamlit ask for an e-mail address
    on the terminal and wait, which a seller (or a script) should never meet. The browser
    tab is opened by :func:`open_when_ready` instead.
    """
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(app),
        "--server.address",
        ADDRESS,
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--browser.serverAddress",
        ADDRESS,
        "--browser.gatherUsageStats",
        "false",
    ]


def open_when_ready(url: str, timeout: float = 120.0) -> threading.Thread:
    """Open ``url`` in the browser as soon as the server there answers its health check."""

    def wait_and_open() -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"{url}_stcore/health", timeout=2) as answer:
                    if answer.status == 200:
                        webbrowser.open(url)
                        return
            except OSError:
                pass
            time.sleep(0.5)  # a server we just started: there is no event to wait on

    watcher = threading.Thread(target=wait_and_open, name="open-browser", daemon=True)
    watcher.start()
    return watcher


@click.command()
@click.option("--port", type=click.IntRange(1, 65535), default=8501, show_default=True)
@click.option(
    "--home",
    type=click.Path(file_okay=False),
    default=None,
    help="Data directory (default: $SELLERGUARD_HOME or ~/.sellerguard).",
)
@click.option("--open/--no-open", "open_browser", default=True, help="Open a browser tab.")
def dashboard(port: int, home: str | None, open_browser: bool) -> None:
    """Open the SellerGuard dashboard on http://127.0.0.1:PORT (this computer only)."""
    from sellerguard.i18n import t

    lang = str(click.get_current_context().find_root().params.get("lang") or "ja")
    try:
        app = app_path()
    except SellerGuardError as err:
        click.echo(err.message(lang), err=True)
        sys.exit(2)
    click.echo(t("app.dashboard.starting", lang, address=ADDRESS, port=port))
    env = dict(os.environ)
    env["SELLERGUARD_LANG"] = lang
    if home:
        env["SELLERGUARD_HOME"] = str(Path(home).expanduser().resolve())
    if open_browser:
        open_when_ready(f"http://{ADDRESS}:{port}/")
    sys.exit(subprocess.call(streamlit_command(app, port), cwd=app.parent, env=env))


# --- the page shell ------------------------------------------------------------------------

#: ASGI callables, typed loosely (no ASGI typing package is a dependency).
Scope = dict[str, Any]
Message = dict[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
AsgiApp = Callable[[Scope, Receive, Send], Awaitable[None]]


class BackendBaseUrl:
    """ASGI middleware: tell each browser tab where the server is, so it asks only once.

    Streamlit's page shell (``index.html``) does not say where its server lives, so a tab
    opened on a page URL such as ``/review`` first asks ``/review/_stcore/health``, gets a
    404, and only asks ``/_stcore/health`` 100 ms later: about 0.2 s on every new tab opened
    on a page other than the first. Streamlit's frontend reads ``window.__streamlit``'s
    ``BACKEND_BASE_URL`` when it is set (the hook hosting platforms use); this middleware sets
    it in the shell: a small script at the start of ``<head>``. Anything else passes through
    untouched, and so does a shell it cannot edit (compressed, or without ``<head>``): the
    frontend then finds the server by asking, as before.

    Parameters
    ----------
    app
        The ASGI app to wrap (Streamlit's).
    base_path
        Streamlit's ``server.baseUrlPath`` ("" when the app is served at the root).
    """

    def __init__(self, app: AsgiApp, base_path: str = "") -> None:
        self.app = app
        base = "".join(f"/{part}" for part in base_path.split("/") if part) + "/"
        self.script = (
            f"<script>window.__streamlit={{BACKEND_BASE_URL:location.origin+{json.dumps(base)}}}"
            "</script>"
        ).encode()

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._is_page_request(scope):
            await self.app(scope, receive, send)
            return
        # The shell is small; ask for it uncompressed so that it can be edited.
        headers = [(k, v) for k, v in scope["headers"] if k.lower() != b"accept-encoding"]
        start: Message = {}
        body: list[bytes] = []

        async def edit_shell(message: Message) -> None:
            if message["type"] == "http.response.start":
                if self._is_shell(message):
                    start.update(message)  # held until the body is complete
                    return
            elif message["type"] == "http.response.body" and start:
                body.append(message.get("body", b""))
                if message.get("more_body", False):
                    return
                html = b"".join(body)
                if b"<head>" in html:
                    html = html.replace(b"<head>", b"<head>" + self.script, 1)
                await send({**start, "headers": _with_length(start["headers"], len(html))})
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app({**scope, "headers": headers}, receive, edit_shell)

    @staticmethod
    def _is_page_request(scope: Scope) -> bool:
        """A browser navigating to a page (it accepts HTML), not a script's fetch."""
        if scope["type"] != "http" or scope.get("method") != "GET":
            return False
        accept = dict(scope.get("headers", [])).get(b"accept", b"")
        return b"text/html" in accept

    @staticmethod
    def _is_shell(start: Message) -> bool:
        headers = {k.lower(): v for k, v in start.get("headers", [])}
        return (
            start.get("status") == 200
            and headers.get(b"content-type", b"").startswith(b"text/html")
            and b"content-encoding" not in headers
        )


def _with_length(headers: list[tuple[bytes, bytes]], length: int) -> list[tuple[bytes, bytes]]:
    kept = [(k, v) for k, v in headers if k.lower() != b"content-length"]
    return [*kept, (b"content-length", str(length).encode())]
