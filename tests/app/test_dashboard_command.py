"""``sellerguard dashboard``: streamlit run app.py on 127.0.0.1, through the CLI runner."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sellerguard import dashboard as dashboard_module
from sellerguard.cli import main

ROOT = Path(__file__).resolve().parents[2]


def test_dashboard_runs_streamlit_on_loopback(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    calls: list[tuple[list[str], Path, dict[str, str]]] = []

    def fake_call(command: list[str], cwd: Path, env: dict[str, str]) -> int:
        calls.append((command, cwd, env))
        return 3

    monkeypatch.setattr(dashboard_module.subprocess, "call", fake_call)
    result = CliRunner().invoke(
        main, ["--lang", "en", "dashboard", "--port", "8765", "--home", str(tmp_path), "--no-open"]
    )
    assert result.exit_code == 3
    assert "http://127.0.0.1:8765" in result.output
    [(command, cwd, env)] = calls
    assert command[1:4] == ["-m", "streamlit", "run"]
    assert Path(command[4]) == ROOT / "app.py"
    options = dict(zip(command[5::2], command[6::2], strict=True))
    assert options["--server.address"] == "127.0.0.1"
    assert options["--server.port"] == "8765"
    assert options["--server.headless"] == "true"
    assert cwd == ROOT
    assert env["SELLERGUARD_HOME"] == str(tmp_path.resolve())
    assert env["SELLERGUARD_LANG"] == "en"  # the app opens in the language asked for


def test_dashboard_without_app_says_so(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(dashboard_module, "__file__", str(tmp_path / "pkg" / "dashboard.py"))
    result = CliRunner().invoke(main, ["--lang", "en", "dashboard"])
    assert result.exit_code == 2
    assert "was not found" in result.output
    assert "Traceback" not in result.output


def test_dashboard_opens_the_browser_itself_once_the_server_answers(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    import threading

    opened = threading.Event()
    urls: list[str] = []

    class Healthy:
        status = 200

        def __enter__(self) -> Healthy:
            return self

        def __exit__(self, *args: object) -> None:
            return None

    def fake_open(url: str) -> bool:
        urls.append(url)
        opened.set()
        return True

    def fake_call(command: list[str], cwd: Path, env: dict[str, str]) -> int:
        options = dict(zip(command[5::2], command[6::2], strict=True))
        assert options["--server.headless"] == "true"  # never Streamlit's e-mail prompt
        assert opened.wait(10)
        return 0

    monkeypatch.setattr(dashboard_module.urllib.request, "urlopen", lambda *a, **k: Healthy())
    monkeypatch.setattr(dashboard_module.webbrowser, "open", fake_open)
    monkeypatch.setattr(dashboard_module.subprocess, "call", fake_call)
    result = CliRunner().invoke(main, ["dashboard", "--port", "8766", "--home", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert urls == ["http://127.0.0.1:8766/"]
