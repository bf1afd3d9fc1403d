"""The real client against the SP-API double, with faults injected."""

from __future__ import annotations

import logging
import os
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import pytest

from sellerguard.errors import SpApiError
from sellerguard.spapi.client import REPORT_ALL_ORDERS, SpApiClient
from sellerguard.spapi.credentials import JP_MARKETPLACE_ID, SpApiCredentials, SpApiEndpoints
from sellerguard.spapi.pull import pull_orders
from sellerguard.spapi.throttle import RATE_LIMITS, TokenBucket

from .conftest import FakeClock
from .spapi_double import Fault, SpApiDouble
from .spapi_samples import all_orders_text, order

START = datetime(2026, 2, 1, tzinfo=UTC)
END = datetime(2026, 2, 2, tzinfo=UTC)


def test_429_then_success_waits_as_retry_after_says(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.fail("createReport", Fault(429, headers={"Retry-After": "7"}))
    assert client.create_report(REPORT_ALL_ORDERS, START, END).startswith("REPORT-")
    assert len(double.calls("createReport")) == 2
    assert clock.sleeps == [7.0]


def test_429_without_retry_after_uses_the_rate_limit_header(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.fail("createReport", Fault(429, headers={"x-amzn-RateLimit-Limit": "0.0167"}))
    client.create_report(REPORT_ALL_ORDERS, START, END)
    # one interval of the advertised rate; the drained bucket has refilled by then
    assert clock.sleeps == [pytest.approx(1 / 0.0167)]


def test_500_then_success_is_retried_with_backoff(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, b"x")
    report_id = client.create_report(REPORT_ALL_ORDERS, START, END)
    double.fail("getReport", Fault(500), Fault(503))
    assert client.get_report(report_id).status == "IN_QUEUE"
    assert clock.sleeps == [1.0, 2.0]


def test_persistent_500_gives_server_error_after_max_attempts(
    double: SpApiDouble, client: SpApiClient
) -> None:
    double.fail("createReport", *[Fault(500)] * 10)
    with pytest.raises(SpApiError) as caught:
        client.create_report(REPORT_ALL_ORDERS, START, END)
    assert caught.value.reason == "server_error"
    assert caught.value.params["status"] == 500
    assert len(double.calls("createReport")) == client.max_attempts


def test_non_json_error_body_is_not_an_empty_success(
    double: SpApiDouble, client: SpApiClient
) -> None:
    # The library turns a non-JSON error body into an empty, successful-looking response.
    double.fail("createReport", *[Fault(502, body=b"<html>Bad Gateway</html>")] * 10)
    with pytest.raises(SpApiError) as caught:
        client.create_report(REPORT_ALL_ORDERS, START, END)
    assert caught.value.reason == "server_error"
    assert caught.value.params["status"] == 502


def test_non_json_success_body_is_a_bad_response(double: SpApiDouble, client: SpApiClient) -> None:
    double.fail("createReport", Fault(202, body=b"<html>accepted?</html>"))
    with pytest.raises(SpApiError) as caught:
        client.create_report(REPORT_ALL_ORDERS, START, END)
    assert caught.value.reason == "bad_response"


def test_slow_answer_past_the_timeout_is_retried(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.fail("createReport", Fault(stall=True))
    assert client.create_report(REPORT_ALL_ORDERS, START, END)
    assert len(double.calls("createReport")) == 2
    assert clock.sleeps == [1.0]


def test_always_slow_gives_timeout(double: SpApiDouble, client: SpApiClient) -> None:
    double.fail("getOrders", *[Fault(stall=True)] * client.max_attempts)
    with pytest.raises(SpApiError) as caught:
        client.get_orders(["Pending"], START, END)
    assert caught.value.reason == "timeout"
    assert "0.5" in caught.value.message("en")


def test_rejected_refresh_token_gives_a_clear_message(
    double: SpApiDouble, endpoints: SpApiEndpoints, clock: FakeClock
) -> None:
    wrong = SpApiCredentials("Atzr|revoked-SECRET", double.app_id, double.client_secret)
    with SpApiClient(wrong, endpoints, clock=clock) as api, pytest.raises(SpApiError) as caught:
        api.create_report(REPORT_ALL_ORDERS, START, END)
    err = caught.value
    assert err.reason == "token_rejected"
    assert "Re-authorise" in err.message("en") and "再承認" in err.message("ja")
    assert "invalid_grant" in err.message("en")
    for secret in wrong.secrets():
        assert secret not in err.message("en") and secret not in repr(err)
    assert double.calls("createReport") == []


def test_expired_access_token_is_renewed_once(double: SpApiDouble, client: SpApiClient) -> None:
    double.fail("createReport", Fault(403))  # "The access token you provided has expired."
    client.create_report(REPORT_ALL_ORDERS, START, END)
    tokens = [c.headers["x-amz-access-token"] for c in double.calls("createReport")]
    assert len(tokens) == 2 and tokens[0] != tokens[1]
    assert len(double.calls("lwa")) == 2


def test_expired_twice_is_token_expired(double: SpApiDouble, client: SpApiClient) -> None:
    double.fail("createReport", Fault(403), Fault(403))
    with pytest.raises(SpApiError) as caught:
        client.create_report(REPORT_ALL_ORDERS, START, END)
    assert caught.value.reason == "token_expired"


def test_lwa_outage_is_retried(double: SpApiDouble, client: SpApiClient) -> None:
    double.fail("lwa", Fault(503))
    client.create_report(REPORT_ALL_ORDERS, START, END)
    assert len(double.calls("lwa")) == 2


def test_check_connection_reports_the_restricted_role(
    double: SpApiDouble, client: SpApiClient
) -> None:
    check = client.check_connection()
    assert check.token_ok and check.restricted_role
    double.restricted_role = False
    check = client.check_connection()
    assert check.token_ok and not check.restricted_role


def test_get_orders_follows_next_token_within_the_rate_limit(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.orders = [
        order(f"503-0000000-{i:07d}", "Pending", "2026-02-01T06:00:00Z") for i in range(25)
    ]
    double.orders_page_size = 1
    got = client.get_orders(["Pending", "Canceled"], START, END)
    assert [o["AmazonOrderId"] for o in got] == [o["AmazonOrderId"] for o in double.orders]
    # burst 20, then one request per 1/0.0167 s
    assert len(clock.sleeps) == 5
    assert sum(clock.sleeps) == pytest.approx(5 / 0.0167, rel=0.01)
    later = double.calls("getOrders")[1]
    assert "NextToken" in later.query and "OrderStatuses" not in later.query


def test_token_bucket_allows_the_burst_then_the_rate(clock: FakeClock) -> None:
    bucket = TokenBucket(RATE_LIMITS["createReport"], clock)
    waits = [bucket.acquire() for _ in range(16)]
    assert waits[:15] == [0.0] * 15
    assert waits[15] == pytest.approx(1 / 0.0167)
    fast = TokenBucket(RATE_LIMITS["getReport"], clock)
    waits = [fast.acquire() for _ in range(17)]
    assert waits[15] == pytest.approx(0.5) and waits[16] == pytest.approx(0.5)


def test_default_marketplace_variable_cannot_redirect_requests(
    double: SpApiDouble,
    credentials: SpApiCredentials,
    endpoints: SpApiEndpoints,
    clock: FakeClock,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("SP_API_DEFAULT_MARKETPLACE", "US")
    monkeypatch.setenv("AWS_ENV", "SANDBOX")
    with SpApiClient(credentials, endpoints, clock=clock) as api:
        api.create_report(REPORT_ALL_ORDERS, START, END)
        api.get_orders(["Pending"], START, END)
    assert double.calls("createReport")[0].body["marketplaceIds"] == [JP_MARKETPLACE_ID]
    assert double.calls("getOrders")[0].query["MarketplaceIds"] == [JP_MARKETPLACE_ID]
    assert os.environ["SP_API_DEFAULT_MARKETPLACE"] == "US"  # the environment is restored


def test_library_import_survives_bad_environment(tmp_path: Path) -> None:
    env = {**os.environ, "AWS_ENV": "nonsense", "SP_API_DEFAULT_MARKETPLACE": "XX"}
    code = (
        "from sellerguard.spapi.client import SpApiClient\n"
        "from sellerguard.spapi.credentials import SpApiCredentials\n"
        "c = SpApiClient(SpApiCredentials('r', 'a', 's'))\n"
        "print(c._reports.marketplace_id, c._reports.endpoint)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [JP_MARKETPLACE_ID, "https://sellingpartnerapi-fe.amazon.com"]


def test_endpoint_overrides_from_environment() -> None:
    endpoints = SpApiEndpoints.from_environ(
        {
            "SELLERGUARD_SPAPI_ENDPOINT": "https://sandbox.sellingpartnerapi-fe.amazon.com/",
            "SELLERGUARD_LWA_ENDPOINT": "http://127.0.0.1:9/token",
        }
    )
    assert endpoints.spapi == "https://sandbox.sellingpartnerapi-fe.amazon.com"
    assert endpoints.lwa == "http://127.0.0.1:9/token"
    assert SpApiEndpoints.from_environ({}).spapi == "https://sellingpartnerapi-fe.amazon.com"


def test_secrets_never_reach_logs_reprs_or_files(
    double: SpApiDouble,
    client: SpApiClient,
    credentials: SpApiCredentials,
    caplog: pytest.LogCaptureFixture,
    tmp_path: Path,
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode())
    caplog.set_level(logging.DEBUG)
    for name in ("sp_api", "sp_api.base.client", "httpx", "httpcore"):
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        pull_orders(client, tmp_path, since=START, until=END)
    finally:
        for name in ("sp_api", "sp_api.base.client", "httpx", "httpcore"):
            logging.getLogger(name).setLevel(logging.NOTSET)
    issued = [c.headers["x-amz-access-token"] for c in double.calls("createReport")]
    written = b"".join(p.read_bytes() for p in tmp_path.iterdir())
    shown = caplog.text + repr(credentials) + str(credentials) + repr(client)
    for secret in (*credentials.secrets(), *issued):
        assert secret not in shown
        assert secret.encode() not in written
    assert "<set>" in repr(credentials)


def test_rate_limit_header_on_success_is_followed(
    double: SpApiDouble, client: SpApiClient, clock: FakeClock
) -> None:
    double.orders = [
        order(f"503-0000000-{i:07d}", "Pending", "2026-02-01T06:00:00Z") for i in range(22)
    ]
    double.orders_page_size = 1
    double.rate_limit_header["getOrders"] = "0.5"
    client.get_orders(["Pending"], START, END)
    assert clock.sleeps == [pytest.approx(2.0), pytest.approx(2.0)]
