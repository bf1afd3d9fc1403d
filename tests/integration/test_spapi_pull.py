"""The pull against the SP-API double: files, store import, cursor, missing data, faults."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from sellerguard.spapi.client import REPORT_ALL_ORDERS, REPORT_ORDERS_BUYER, SpApiClient
from sellerguard.spapi.orders_file import ORDERS_API_HEADER
from sellerguard.spapi.pull import Progress, pull_orders
from sellerguard.spapi.state import last_pull, read_cursor
from sellerguard.store import Store

from .spapi_double import SpApiDouble
from .spapi_samples import BUYER_NAME, BUYER_PHONE, all_orders_text, order, order_report_text

SINCE = datetime(2026, 2, 1, tzinfo=UTC)
UNTIL = datetime(2026, 2, 20, tzinfo=UTC)


@pytest.fixture
def stocked(double: SpApiDouble) -> SpApiDouble:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode("utf-8"), gzip_it=True)
    double.serve_report(
        REPORT_ORDERS_BUYER,
        order_report_text().encode("utf-8"),
        content_type="text/plain; charset=UTF-8",
    )
    double.orders = [
        order("503-1000001-0000002", "Pending", "2026-02-12T00:00:00Z", "CVS"),
        order("503-1000001-0000003", "Canceled", "2026-02-16T00:00:00Z", "CVS"),
        order("503-1000001-0000009", "Shipped", "2026-02-16T00:00:00Z", "Other"),
        order("503-1000001-0000010", "Canceled", "2026-02-25T00:00:00Z", "COD"),
    ]
    return double


def test_pull_writes_original_bytes_imports_and_sets_cursor(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)
    steps: list[Progress] = []
    result = pull_orders(
        client, tmp_path / "out", since=SINCE, until=UNTIL, store=store, progress=steps.append
    )
    assert result.outcome == "complete", result.error
    kinds = {f.kind: f for f in result.files}
    assert set(kinds) == {"all_orders", "order_report", "orders_api"}
    # gzip undone, the report's own bytes kept (CRLF and all)
    assert kinds["all_orders"].path.read_bytes() == all_orders_text().encode("utf-8")
    assert kinds["all_orders"].rows == 3
    assert kinds["order_report"].path.read_bytes() == order_report_text().encode("utf-8")
    api_lines = kinds["orders_api"].path.read_text("utf-8").splitlines()
    assert api_lines[0] == "\t".join(ORDERS_API_HEADER)
    assert [line.split("\t")[0] for line in api_lines[1:]] == [
        "503-1000001-0000002",
        "503-1000001-0000003",
    ]
    assert api_lines[2].split("\t")[3:6] == ["Cancelled", "Merchant", "CVS"]
    assert result.covered_until == UNTIL
    assert read_cursor(store) == UNTIL
    assert result.new_orders == 3
    orders = store.order_set().orders.set_index("order_id")
    assert orders.loc["503-1000001-0000003", "payment_method"] == "CVS"
    log = last_pull(store)
    assert log is not None and log.outcome == "complete" and log.files == 3
    assert [s.fraction for s in steps] == sorted(s.fraction for s in steps)
    assert steps[-1].step == "done"
    assert all(s.message("ja") and s.message("en") for s in steps)
    # the restricted report's document was fetched with an RDT for exactly its path
    rdt_calls = stocked.calls("createRestrictedDataToken")
    assert len(rdt_calls) == 1
    path = rdt_calls[0].body["restrictedResources"][0]["path"]
    assert path.startswith("/reports/2021-06-30/documents/")
    assert stocked.validated > 0


def test_summary_and_log_carry_no_buyer_data(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)
    result = pull_orders(client, tmp_path / "out", since=SINCE, until=UNTIL, store=store)
    text = "\n".join(result.summary_lines("ja") + result.summary_lines("en"))
    for secret in (BUYER_NAME, BUYER_PHONE, "神宮前", *client._credentials.secrets()):
        assert secret not in text
    with store.connection() as conn:
        rows = conn.execute("SELECT * FROM spapi_pull_log").fetchall()
    assert BUYER_NAME not in repr(rows)


def test_without_restricted_role_the_pull_continues_and_says_why(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    stocked.restricted_role = False
    store = Store.open(home)
    result = pull_orders(
        client, tmp_path / "out", since=SINCE - timedelta(days=40), until=UNTIL, store=store
    )
    assert result.outcome == "partial"
    assert {f.kind for f in result.files} == {"all_orders", "orders_api"}
    assert {(m.kind, m.reason) for m in result.missing} == {
        ("order_report", "restricted_role_missing")
    }
    # two windows, but the RDT is asked only once: the role is known missing afterwards
    assert len(stocked.calls("createRestrictedDataToken")) == 1
    summary = "\n".join(result.summary_lines("en"))
    assert "restricted role" in summary and "upload the order report" in summary
    assert "制限付きロール" in "\n".join(result.summary_lines("ja"))
    assert read_cursor(store) == UNTIL
    log = last_pull(store)
    assert log is not None and log.missing == ("order_report:restricted_role_missing",)


def test_configured_without_role_skips_the_buyer_report(
    stocked: SpApiDouble, credentials, endpoints, clock, tmp_path: Path
) -> None:
    from dataclasses import replace

    with SpApiClient(replace(credentials, restricted_role=False), endpoints, clock=clock) as api:
        result = pull_orders(api, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "partial"
    assert stocked.calls("createRestrictedDataToken") == []
    created = [c.body["reportType"] for c in stocked.calls("createReport")]
    assert created == [REPORT_ALL_ORDERS]


def test_cp932_document_without_charset_is_sniffed_and_kept_byte_for_byte(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    original = all_orders_text().encode("cp932")
    double.serve_report(REPORT_ALL_ORDERS, original, content_type="text/plain")
    double.serve_report(REPORT_ORDERS_BUYER, order_report_text().encode("cp932"), gzip_it=True)
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "complete", result.error
    pulled = {f.kind: f for f in result.files}
    assert pulled["all_orders"].encoding == "cp932"
    assert pulled["all_orders"].path.read_bytes() == original
    assert pulled["order_report"].encoding == "cp932"
    assert "orders_api" not in pulled  # no pending/cancelled orders: no file


def test_fatal_report_fetches_the_error_document(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, b"", statuses=["IN_PROGRESS", "FATAL"])
    double.fatal_document[REPORT_ALL_ORDERS] = (
        b'{"errorDetails": "Report data start time is too far in the past."}'
    )
    store = Store.open(home)
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL, store=store)
    assert result.outcome == "failed"
    assert result.error is not None and result.error.reason == "report_fatal"
    assert "too far in the past" in result.error.message("en")
    assert result.files == [] and read_cursor(store) is None
    log = last_pull(store)
    assert log is not None and log.error_reason == "report_fatal"


def test_fatal_buyer_report_is_reported_missing_not_fatal(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    stocked.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["FATAL"])
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "partial"
    assert [(m.kind, m.reason) for m in result.missing] == [("order_report", "report_fatal")]


def test_cancelled_report_means_no_data(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, b"", statuses=["IN_QUEUE", "CANCELLED"])
    double.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["CANCELLED"])
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "complete"
    assert result.files == []
    assert result.covered_until == UNTIL


def test_corrupt_gzip_is_downloaded_twice_then_fails(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, all_orders_text().encode(), gzip_it=True)
    double.corrupt_types.add(REPORT_ALL_ORDERS)
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "failed"
    assert result.error is not None and result.error.reason == "corrupt_document"
    assert len(double.calls("download")) == 2
    assert list(tmp_path.iterdir()) == []


def test_polling_backs_off_between_getreport_calls(
    double: SpApiDouble, client: SpApiClient, clock, tmp_path: Path
) -> None:
    double.serve_report(
        REPORT_ALL_ORDERS,
        all_orders_text().encode(),
        statuses=["IN_QUEUE", "IN_PROGRESS", "IN_PROGRESS", "IN_PROGRESS", "DONE"],
    )
    double.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["CANCELLED"])
    pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert clock.sleeps[:4] == [5.0, 7.5, 11.25, 16.875]


def test_incremental_pull_continues_from_the_cursor(
    stocked: SpApiDouble, client: SpApiClient, clock, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)
    first = pull_orders(client, tmp_path / "a", since=SINCE, until=UNTIL, store=store)
    assert first.covered_until == UNTIL
    started = clock.now()
    second = pull_orders(client, tmp_path / "b", store=store)
    assert second.since == UNTIL
    assert second.until == started - timedelta(minutes=2)
    starts = [c.body["dataStartTime"] for c in stocked.calls("createReport")]
    assert starts[-1] == "2026-02-20T00:00:00Z"
    # the second window is the only one that asked getOrders from the cursor on
    after = [c.query["LastUpdatedAfter"][0] for c in stocked.calls("getOrders")]
    assert after == ["2026-02-01T00:00:00Z", "2026-02-20T00:00:00Z"]
    api = {f.kind: f for f in second.files}["orders_api"]
    assert "503-1000001-0000010" in api.path.read_text("utf-8")
    assert read_cursor(store) == second.until
    # identical report bytes were imported before: nothing new
    assert second.new_orders == 1


def test_long_ranges_are_split_into_30_day_windows(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    result = pull_orders(client, tmp_path, since=SINCE - timedelta(days=70), until=UNTIL)
    spans = [
        (c.body["dataStartTime"], c.body["dataEndTime"])
        for c in stocked.calls("createReport")
        if c.body["reportType"] == REPORT_ALL_ORDERS
    ]
    assert spans == [
        ("2025-11-23T00:00:00Z", "2025-12-23T00:00:00Z"),
        ("2025-12-23T00:00:00Z", "2026-01-22T00:00:00Z"),
        ("2026-01-22T00:00:00Z", "2026-02-20T00:00:00Z"),
    ]
    assert result.covered_until == UNTIL


def test_cancel_keeps_complete_windows(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)

    def cancel_after_first_window(step: Progress) -> None:
        if step.step == "window" and step.params["n"] == 2:
            client.cancel.set()

    result = pull_orders(
        client,
        tmp_path,
        since=SINCE - timedelta(days=40),
        until=UNTIL,
        store=store,
        progress=cancel_after_first_window,
    )
    assert result.outcome == "cancelled"
    assert result.covered_until == SINCE - timedelta(days=10)
    assert read_cursor(store) == SINCE - timedelta(days=10)
    assert last_pull(store).outcome == "cancelled"  # type: ignore[union-attr]


def test_missing_start_without_cursor_is_a_clear_error(
    client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    from sellerguard.errors import SpApiError

    with pytest.raises(SpApiError) as caught:
        pull_orders(client, tmp_path, store=Store.open(home))
    assert caught.value.reason == "no_cursor"
    assert "--since" in caught.value.message("en")


def test_gzip_helper_round_trip() -> None:
    assert gzip.decompress(gzip.compress(b"x")) == b"x"


def test_role_refused_already_at_create_report(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    stocked.restricted_role = False
    stocked.role_refused_at = "createReport"
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    assert result.outcome == "partial"
    assert [(m.kind, m.reason) for m in result.missing] == [
        ("order_report", "restricted_role_missing")
    ]
    assert {f.kind for f in result.files} == {"all_orders", "orders_api"}


def test_incremental_pull_right_after_a_pull_has_nothing_to_do(
    stocked: SpApiDouble, client: SpApiClient, clock, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)
    pull_orders(client, tmp_path, since=SINCE, store=store)
    created = len(stocked.calls("createReport"))
    clock.elapsed -= 60  # the next pull starts before the 2-minute margin has passed
    again = pull_orders(client, tmp_path, store=store)
    assert again.outcome == "complete" and again.files == []
    assert len(stocked.calls("createReport")) == created


def test_explicit_empty_range_is_an_error(client: SpApiClient, tmp_path: Path) -> None:
    from sellerguard.errors import SpApiError

    with pytest.raises(SpApiError) as caught:
        pull_orders(client, tmp_path, since=UNTIL, until=SINCE)
    assert caught.value.reason == "invalid_range"


def test_fatal_missing_message_names_the_report(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path
) -> None:
    stocked.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["FATAL"])
    result = pull_orders(client, tmp_path, since=SINCE, until=UNTIL)
    text = "\n".join(result.summary_lines("en"))
    assert "failed to produce the report order report (with buyer data)" in text


def test_report_the_readers_reject_fails_the_pull_without_moving_the_cursor(
    double: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    double.serve_report(REPORT_ALL_ORDERS, b"something\telse\nentirely\there\n")
    double.serve_report(REPORT_ORDERS_BUYER, b"", statuses=["CANCELLED"])
    store = Store.open(home)
    result = pull_orders(client, tmp_path / "out", since=SINCE, until=UNTIL, store=store)
    assert result.outcome == "failed"
    assert result.error is not None and result.error.key == "error.unreadable_export"
    assert read_cursor(store) is None
    # the file stays on disk for the seller to look at
    assert [f.kind for f in result.files] == ["all_orders"]
    assert last_pull(store).error_reason  # type: ignore[union-attr]


def test_prune_deletes_only_old_buyer_reports(tmp_path: Path) -> None:
    import os

    from sellerguard.spapi.pull import prune_buyer_files

    now = datetime(2026, 3, 1, tzinfo=UTC)
    old = now - timedelta(days=31)
    names = ["order_report_a.txt", "order_report_b.txt", "all_orders_a.txt", "orders_api_a.txt"]
    for name in names:
        (tmp_path / name).write_text("x")
    for name in ("order_report_a.txt", "all_orders_a.txt", "orders_api_a.txt"):
        os.utime(tmp_path / name, (old.timestamp(), old.timestamp()))
    assert prune_buyer_files(tmp_path, 30, now) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(names[1:])
    assert prune_buyer_files(tmp_path / "absent", 30, now) == 0


def test_ctrl_c_is_a_cancel_that_keeps_complete_windows(
    stocked: SpApiDouble, client: SpApiClient, tmp_path: Path, home: Path
) -> None:
    store = Store.open(home)

    def interrupt_in_second_window(step: Progress) -> None:
        if step.step == "window" and step.params["n"] == 2:
            raise KeyboardInterrupt

    result = pull_orders(
        client,
        tmp_path,
        since=SINCE - timedelta(days=40),
        until=UNTIL,
        store=store,
        progress=interrupt_in_second_window,
    )
    assert result.outcome == "cancelled"
    assert read_cursor(store) == SINCE - timedelta(days=10)
