"""``sellerguard pull`` through click's runner, against the SP-API double."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from sellerguard.cli import main
from sellerguard.spapi.client import REPORT_ALL_ORDERS, REPORT_ORDERS_BUYER
from sellerguard.spapi.state import read_cursor
from sellerguard.store import Store

from .spapi_double import SpApiDouble
from .spapi_samples import BUYER_NAME, BUYER_PHONE, all_orders_text, order, order_report_text


@pytest.fixture
def env(double: SpApiDouble, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> dict[str, str]:
    monkeypatch.chdir(tmp_path)  # no project secrets file
    return {
        "HOME": str(tmp_path),
        "SELLERGUARD_SPAPI_ENDPOINT": double.endpoint,
        "SELLERGUARD_LWA_ENDPOINT": double.lwa_url,
        "SP_API_REFRESH_TOKEN": double.refresh_token,
        "LWA_APP_ID": double.app_id,
        "LWA_CLIENT_SECRET": double.client_secret,
        "SELLERGUARD_HOME": str(tmp_path / "home"),
    }


def test_pull_command_writes_imports_and_summarises(
    double: SpApiDouble, env: dict[str, str], tmp_path: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode("cp932"), statuses=["DONE"])
    double.serve_report(
        REPORT_ORDERS_BUYER, order_report_text().encode(), gzip_it=True, statuses=["DONE"]
    )
    double.orders = [order("503-1000001-0000003", "Canceled", "2026-02-16T00:00:00Z")]
    out = tmp_path / "pulled"
    done = CliRunner().invoke(
        main,
        [
            "--lang",
            "en",
            "pull",
            "--since",
            "2026-02-01",
            "--until",
            "2026-02-20",
            "--out",
            str(out),
        ],
        env=env,
    )
    assert done.exit_code == 0, done.output
    assert "Pull complete: 2026-02-01 00:00 to 2026-02-21 00:00" in done.stdout
    assert "New orders: 3" in done.stdout
    names = sorted(p.name for p in out.iterdir())
    assert [n.split("_2026")[0] for n in names] == ["all_orders", "order_report", "orders_api"]
    assert (out / names[0]).read_bytes() == all_orders_text().encode("cp932")
    for secret in (BUYER_NAME, BUYER_PHONE, double.refresh_token, double.client_secret):
        assert secret not in done.output
    store = Store.open(tmp_path / "home")
    assert read_cursor(store) is not None
    assert store.order_count() == 3


def test_pull_command_without_credentials_exits_2_without_traceback(
    env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, "SP_API_REFRESH_TOKEN": "", "LWA_CLIENT_SECRET": ""}
    done = CliRunner().invoke(
        main, ["pull", "--since", "2026-02-01", "--out", str(tmp_path / "o")], env=env
    )
    assert done.exit_code == 2
    assert "refresh_token, lwa_client_secret" in done.stderr
    assert "Traceback" not in done.output


def test_pull_command_rejected_token(
    double: SpApiDouble, env: dict[str, str], tmp_path: Path
) -> None:
    env = {**env, "SP_API_REFRESH_TOKEN": "Atzr|revoked"}
    done = CliRunner().invoke(
        main,
        ["--lang", "ja", "pull", "--since", "2026-02-01", "--out", str(tmp_path / "o")],
        env=env,
    )
    assert done.exit_code == 2
    assert "再承認" in done.stderr
    assert "Atzr|revoked" not in done.output


def test_pull_command_bad_date(env: dict[str, str], tmp_path: Path) -> None:
    done = CliRunner().invoke(
        main, ["--lang", "en", "pull", "--since", "31/01/2026", "--out", str(tmp_path)], env=env
    )
    assert done.exit_code == 2
    assert "cannot read the date 31/01/2026" in done.stderr


def test_pull_command_continues_from_the_cursor(
    double: SpApiDouble, env: dict[str, str], tmp_path: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode(), statuses=["DONE"])
    double.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["CANCELLED"])
    runner = CliRunner()
    first = runner.invoke(
        main,
        ["pull", "--since", "2026-02-01", "--until", "2026-02-10", "--out", str(tmp_path / "a")],
        env=env,
    )
    assert first.exit_code == 0, first.output
    no_cursor_needed = runner.invoke(
        main, ["pull", "--until", "2026-02-20", "--out", str(tmp_path / "b")], env=env
    )
    assert no_cursor_needed.exit_code == 0, no_cursor_needed.output
    starts = [c.body["dataStartTime"] for c in double.calls("createReport")]
    assert starts[0] == "2026-01-31T15:00:00Z"
    assert "2026-02-10T15:00:00Z" in starts[1:]
