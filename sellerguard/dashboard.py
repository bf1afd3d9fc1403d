"""``sellerguard dashboard``: run the Streamlit app on this computer only (127.0.0.1)."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
import urllib.request
import webbrowser
from pathlib import Path

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
