"""Address and phone facts, linking codes and rules split over threads give the one-thread
results."""

from __future__ import annotations

import threading
from pathlib import Path

import pandas as pd
import pytest

from sellerguard import parallel
from sellerguard.address import assess_addresses, assess_phones, phones
from sellerguard.parallel import WORKERS_ENV, assess_in_chunks, worker_count

ADDRESSES = [
    ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号", None, "090-1234-5678"),
    ("6200805", "京都府", None, "福知山市南土野町40番地19", "ライオンズマンション 409号室", None),
    ("222-0011", "神奈川県", "港北区", "菊名2-3-4", None, "+81 3-5123-4567"),
    ("604-8132", "京都府", "京都市中京区", "高倉通三条下る丸屋町123", None, "0120-123-456"),
    ("100-8905", "東京都", "千代田区", "霞ヶ関3-2-1", None, "03-1111-1111"),
    ("647-0019", "和歌山県", "新宮市", "新町", None, "abc"),
    ("999-9999", "東京都", "千代田区", "霞が関3-2-1", None, ""),
    (None, None, None, "テスト", None, None),
    ("222-0011", "大阪府", "港北区", "菊名2-3-4", None, "0312345678"),
    ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号", None, "090-1234-5678"),
    (None, None, None, None, None, None),
]
COLUMNS = [
    "ship_postal_code",
    "ship_state",
    "ship_city",
    "ship_address_1",
    "ship_address_2",
    "ship_phone",
]


def _orders() -> pd.DataFrame:
    orders = pd.DataFrame(ADDRESSES * 3, columns=COLUMNS, dtype="str")
    return orders.set_axis(pd.RangeIndex(100, 100 + len(orders)))


@pytest.fixture
def split_everything(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "MIN_ROWS_TO_SPLIT", 1)
    monkeypatch.setattr(phones, "_MIN_PHONES_TO_SPLIT", 1)


@pytest.mark.parametrize("workers", ["2", "3"])
def test_split_over_threads_gives_the_one_thread_facts(
    monkeypatch: pytest.MonkeyPatch, split_everything: None, workers: str
) -> None:
    orders = _orders()
    monkeypatch.setenv(WORKERS_ENV, "1")
    addresses, phones = assess_addresses(orders), assess_phones(orders)
    monkeypatch.setenv(WORKERS_ENV, workers)
    pd.testing.assert_frame_equal(assess_addresses(orders), addresses)
    pd.testing.assert_frame_equal(assess_phones(orders), phones)


def test_split_works_from_a_server_thread(
    monkeypatch: pytest.MonkeyPatch, split_everything: None
) -> None:
    orders = _orders()
    monkeypatch.setenv(WORKERS_ENV, "1")
    expected = assess_addresses(orders)
    monkeypatch.setenv(WORKERS_ENV, "2")
    results: list[pd.DataFrame] = []
    thread = threading.Thread(target=lambda: results.append(assess_addresses(orders)))
    thread.start()
    thread.join(timeout=120)
    assert len(results) == 1
    pd.testing.assert_frame_equal(results[0], expected)


def _fails_on_the_last_chunk(frame: pd.DataFrame) -> pd.DataFrame:
    if "last" in frame["value"].tolist():
        raise LookupError("chunk failed")
    return frame.assign(length=frame["value"].str.len())


@pytest.mark.parametrize("failing", ["first", "last"])
def test_an_error_in_any_chunk_is_raised(monkeypatch: pytest.MonkeyPatch, failing: str) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    values = ["a"] * 10
    values[0 if failing == "first" else -1] = "last"
    frame = pd.DataFrame({"value": pd.Series(values, dtype="str")})
    with pytest.raises(LookupError, match="chunk failed"):
        assess_in_chunks(_fails_on_the_last_chunk, frame, min_rows=1)


def test_after_a_failed_chunk_the_next_split_works(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "2")
    frame = pd.DataFrame({"value": pd.Series(["a", "b", "last"], dtype="str")})
    with pytest.raises(LookupError):
        assess_in_chunks(_fails_on_the_last_chunk, frame, min_rows=1)
    result = assess_in_chunks(_fails_on_the_last_chunk, frame.iloc[:2], min_rows=1)
    assert result["length"].tolist() == [1, 1]
    assert worker_count() == 2


def test_chunks_come_back_in_order(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "3")
    frame = pd.DataFrame({"value": pd.Series([f"v{i}" for i in range(20)], dtype="str")})
    frame = frame.set_axis(pd.RangeIndex(50, 70))
    result = assess_in_chunks(_fails_on_the_last_chunk, frame, min_rows=1)
    assert result["value"].tolist() == [f"v{i}" for i in range(20)]
    assert result.index.equals(pd.RangeIndex(20))


@pytest.mark.parametrize(("value", "expected"), [("1", 1), ("4", 4), (" 2 ", 2), ("0", 1)])
def test_workers_from_the_environment(
    monkeypatch: pytest.MonkeyPatch, value: str, expected: int
) -> None:
    monkeypatch.setenv(WORKERS_ENV, value)
    assert worker_count() == expected


def test_workers_default_to_at_most_two(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(WORKERS_ENV, raising=False)
    assert 1 <= worker_count() <= 2


def test_workers_must_be_a_number(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(WORKERS_ENV, "two")
    with pytest.raises(ValueError, match=WORKERS_ENV):
        worker_count()


def test_rules_shared_between_two_threads_give_the_one_thread_scores(
    monkeypatch: pytest.MonkeyPatch, split_everything: None, tmp_path: Path
) -> None:
    from sellerguard.demo import generate_demo
    from sellerguard.exports import read_exports
    from sellerguard.rules import scan_orders

    generate_demo(tmp_path, orders=1500, seed=5, era="historic")
    files = sorted((tmp_path / "historic").glob("*.txt"))
    orders = read_exports(files).orders
    monkeypatch.setenv(WORKERS_ENV, "1")
    alone = scan_orders(orders).orders
    monkeypatch.setenv(WORKERS_ENV, "2")
    shared = scan_orders(orders).orders
    assert alone["risk_level"].ne("low").sum() > 0
    pd.testing.assert_frame_equal(shared, alone)


def test_side_by_side_raises_the_helpers_error(split_everything: None) -> None:
    def fails() -> int:
        raise ValueError("in the helper")

    with pytest.raises(ValueError, match="in the helper"):
        parallel.side_by_side(lambda: 1, fails, rows=10)
    assert parallel.side_by_side(lambda: 1, lambda: 2, rows=10) == (1, 2)


def test_side_by_side_runs_the_jobs_at_once(split_everything: None) -> None:
    """Each job waits for the other to start: one after the other would never finish."""
    started = threading.Barrier(2, timeout=60)

    def job(name: str) -> str:
        started.wait()
        return name

    assert parallel.side_by_side(lambda: job("here"), lambda: job("there"), rows=10) == (
        "here",
        "there",
    )


def test_a_helper_thread_does_not_split_its_job_again(
    monkeypatch: pytest.MonkeyPatch, split_everything: None
) -> None:
    """The helper's job already is one core's share: it runs in its own thread only."""
    monkeypatch.setenv(WORKERS_ENV, "2")
    here, there = parallel.side_by_side(worker_count, worker_count, rows=10)
    assert (here, there) == (2, 1)
    assert worker_count() == 2


def test_a_free_thread_takes_the_next_rule_whichever_side_the_costs_gave_it(
    monkeypatch: pytest.MonkeyPatch, split_everything: None
) -> None:
    """``waits`` cannot finish before ``cheap`` has run. A split fixed by cost would give
    both to one thread (5 on one side, then 2 + 1 on the other) and never finish; from one
    queue, the thread done with ``costly`` takes ``cheap``."""
    from sellerguard.rules.declarations import Facts, Rule
    from sellerguard.rules.scoring import _detect_independent
    from sellerguard.settings import RuleSettings

    monkeypatch.setenv(WORKERS_ENV, "2")
    cheap_ran = threading.Event()
    no_hits = pd.DataFrame({"strength": [], "link": [], "key": []})

    def rule(code: str, cost: float, detect: object) -> tuple[Rule, RuleSettings]:
        words = {"ja": code, "en": code}
        made = Rule(code, 1, words, words, detect, cost=cost)  # type: ignore[arg-type]
        return made, RuleSettings(enabled=True, weight=1, params={})

    def waits(facts: Facts, params: object) -> pd.DataFrame:
        assert cheap_ran.wait(timeout=60)
        return no_hits

    def cheap(facts: Facts, params: object) -> pd.DataFrame:
        cheap_ran.set()
        return no_hits

    rules = [
        rule("costly", 5, lambda facts, params: no_hits),
        rule("waits", 2, waits),
        rule("cheap", 1, cheap),
    ]
    facts = Facts(pd.DataFrame({"order_id": ["A", "B"]}), {})
    found = _detect_independent(facts, rules, frozenset(), ["ja", "en"])
    assert found == {"costly": None, "waits": None, "cheap": None}
