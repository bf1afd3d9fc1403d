"""AppTest fixtures: a fresh data directory per test and a runner for app.py."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

ROOT = Path(__file__).resolve().parents[2]
APP = str(ROOT / "app.py")
#: AppTest needs a per-run limit; this one only stops a hung script, it times nothing.
RUN_LIMIT = 600


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "sellerguard-home"
    monkeypatch.setenv("SELLERGUARD_HOME", str(folder))
    monkeypatch.delenv("SELLERGUARD_LANG", raising=False)
    return folder


@pytest.fixture
def open_app(home: Path) -> Callable[..., AppTest]:
    """Start the app (a new session each call) on ``page``, in ``lang``."""

    def start(page: str | None = None, lang: str = "ja") -> AppTest:
        at = AppTest.from_file(APP, default_timeout=RUN_LIMIT)
        at.session_state["app_lang"] = lang
        at.run()
        if page is not None:
            at.switch_page(page)
            at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return start


@pytest.fixture(scope="session")
def demo_template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the demo orders, scanned once for the whole session."""
    from sellerguard.store import Store

    folder = tmp_path_factory.mktemp("demo-template") / "home"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("SELLERGUARD_HOME", str(folder))
        store = Store.open(folder)
        store.load_demo(orders=1000, seed=7)
        store.scored_orders()
    return folder


@pytest.fixture
def demo_home(home: Path, demo_template: Path) -> Path:
    """This test's own copy of the demo data directory."""
    import shutil

    shutil.copytree(demo_template, home)
    return home
