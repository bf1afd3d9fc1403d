"""The SQLite store: migrations, idempotent imports, settings, verdicts, watchlist, retention."""

from __future__ import annotations

import hashlib
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest

from sellerguard.errors import StoreError
from sellerguard.store import FileImport, Store, data_dir
from sellerguard.store import db as store_db
from sellerguard.store.rows import ITEM_COLUMNS, PII_COLUMNS, item_keys


def make_items(
    n: int = 3,
    file: str = "orders.txt",
    status: str = "Shipped",
    purchase: str = "2026-01-05 10:00",
    updated: str | None = "2026-01-07 12:00",
    prefix: str = "503-0000000-",
) -> pd.DataFrame:
    """Item rows as a reader gives them (order report with PII)."""
    ids = [f"{prefix}{i:07d}" for i in range(n)]
    when = pd.Series([pd.Timestamp(purchase, tz="Asia/Tokyo")] * n)
    return pd.DataFrame(
        {
            "order_id": pd.Series(ids, dtype="str"),
            "order_item_id": pd.Series([f"item{i}" for i in range(n)], dtype="str"),
            "purchase_date": when,
            "last_updated_date": pd.Series(
                [pd.Timestamp(updated, tz="Asia/Tokyo") if updated else pd.NaT] * n,
                dtype="datetime64[ns, Asia/Tokyo]",
            ),
            "order_status": pd.Series([status] * n, dtype="str"),
            "sku": pd.Series(["SKU-A"] * n, dtype="str"),
            "quantity": pd.Series([1] * n, dtype="Int64"),
            "item_price": pd.Series([1200.0] * n, dtype="Float64"),
            "buyer_name": pd.Series([f"山田 太郎{i}" for i in range(n)], dtype="str"),
            "ship_address_1": pd.Series(["千代田1-1"] * n, dtype="str"),
            "ship_postal_code": pd.Series(["0600001"] * n, dtype="str"),
            "ship_phone": pd.Series(["0312345678"] * n, dtype="str"),
            "is_business_order": pd.Series([False] * n, dtype="boolean"),
            "source_kind": pd.Series(["order_report"] * n, dtype="str"),
            "source_file": pd.Series([file] * n, dtype="str"),
            "source_line": pd.Series(range(2, n + 2), dtype="Int64"),
        }
    )


def record(name: str, payload: bytes, rows: int) -> FileImport:
    return FileImport(
        name=name,
        sha256=hashlib.sha256(payload).hexdigest(),
        kind="order_report",
        encoding="cp932",
        rows_in=rows,
        rows_read=rows,
        problems=({"line": 4, "column": "quantity", "problem": "not_a_number"},),
        size_bytes=len(payload),
    )


@pytest.fixture
def store(tmp_path: Path) -> Store:
    return Store.open(tmp_path / "home")


def test_open_creates_database_and_applies_every_migration(tmp_path: Path) -> None:
    home = tmp_path / "data"
    store = Store.open(home)
    assert (home / "sellerguard.db").is_file()
    versions = [version for version, _, _ in store_db.migration_files()]
    assert store.migrations() == versions
    assert 1 in versions
    with sqlite3.connect(home / "sellerguard.db") as conn:
        mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
    assert mode == "wal"
    # opening again applies nothing new and keeps the salt
    salt = store.get_setting("store.salt")
    again = Store.open(home)
    assert again.migrations() == versions
    assert again.get_setting("store.salt") == salt


def test_data_dir_follows_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SELLERGUARD_HOME", str(tmp_path / "env-home"))
    assert data_dir() == tmp_path / "env-home"
    assert Store.open().path == tmp_path / "env-home" / "sellerguard.db"
    monkeypatch.delenv("SELLERGUARD_HOME")
    assert data_dir() == Path.home() / ".sellerguard"


def test_failed_migration_leaves_schema_at_previous_version(tmp_path: Path) -> None:
    conn = store_db.connect(tmp_path / "x.db")
    store_db.migrate(conn)
    before = store_db.applied_migrations(conn)
    statements = store_db.split_statements(
        "CREATE TABLE good (a);\nCREATE TABLE broken (;\n-- trailing comment\n"
    )
    assert len(statements) == 2
    with pytest.raises(sqlite3.OperationalError), store_db.immediate(conn):
        for statement in statements:
            conn.execute(statement)
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert "good" not in tables
    assert store_db.applied_migrations(conn) == before
    conn.close()


def test_split_statements_keeps_triggers_whole() -> None:
    sql = (
        "CREATE TABLE a (x);\n"
        "CREATE TRIGGER t AFTER INSERT ON a BEGIN\n  UPDATE a SET x = 1;\n  SELECT 1;\nEND;\n"
    )
    parts = store_db.split_statements(sql)
    assert len(parts) == 2
    assert parts[1].startswith("CREATE TRIGGER") and parts[1].endswith("END;")


def test_settings_round_trip_json(store: Store) -> None:
    assert store.get_setting("nothing", 7) == 7
    store.set_setting("app.lang", "en")
    store.set_setting("nested", {"a": [1, 2], "日本": True})
    reopened = Store.open(store.home)
    assert reopened.get_setting("app.lang") == "en"
    assert reopened.get_setting("nested") == {"a": [1, 2], "日本": True}


def test_every_write_bumps_the_revision(store: Store) -> None:
    first = store.revision()
    store.set_setting("x", 1)
    second = store.revision()
    store.set_verdict(["o1"], "unsure")
    assert first < second < store.revision()


def test_import_items_round_trips_types(store: Store) -> None:
    items = make_items(3)
    summary = store.import_items(items, [record("orders.txt", b"a", 3)])
    assert [f.new_orders for f in summary.files] == [3]
    back = store.items()
    assert list(back.columns) == list(ITEM_COLUMNS)
    assert len(back) == 3
    assert pd.api.types.is_string_dtype(back["order_id"])
    assert back["quantity"].dtype == "Int64"
    assert back["item_price"].dtype == "Float64"
    assert str(back["purchase_date"].dt.tz) == "Asia/Tokyo"
    assert back.loc[0, "purchase_date"] == pd.Timestamp("2026-01-05 10:00", tz="Asia/Tokyo")
    assert back.loc[0, "ship_postal_code"] == "0600001"
    assert back["buyer_email"].isna().all()
    files = store.imported_files()
    assert files.loc[0, "name"] == "orders.txt"
    assert files.loc[0, "problems"] == 1
    assert files.loc[0, "encoding"] == "cp932"


def test_same_file_twice_adds_nothing(store: Store) -> None:
    items = make_items(4)
    store.import_items(items, [record("orders.txt", b"payload", 4)])
    revision = store.revision()
    again = store.import_items(items, [record("orders.txt", b"payload", 4)])
    assert again.files == []
    assert len(store.items()) == 4
    assert len(store.imported_files()) == 1
    assert store.revision() == revision


def test_same_rows_in_another_file_replace_instead_of_adding(store: Store) -> None:
    store.import_items(
        make_items(3, file="a.txt", status="Pending", updated="2026-01-05 10:00"),
        [record("a.txt", b"a", 3)],
    )
    later = make_items(3, file="b.txt", status="Cancelled", updated="2026-01-11 10:00")
    summary = store.import_items(later, [record("b.txt", b"b", 3)])
    assert summary.files[0].new_orders == 0
    items = store.items()
    assert len(items) == 3
    assert set(items["order_status"]) == {"Cancelled"}
    # an older download does not overwrite a newer state
    older = make_items(3, file="c.txt", status="Pending", updated="2026-01-06 10:00")
    store.import_items(older, [record("c.txt", b"c", 3)])
    assert set(store.items()["order_status"]) == {"Cancelled"}
    assert len(store.imported_files()) == 3


def test_item_keys_distinguish_repeated_rows_within_a_file() -> None:
    items = pd.concat([make_items(1), make_items(1)], ignore_index=True)
    keys = item_keys(items)
    assert keys.nunique() == 2
    other_file = make_items(1, file="other.txt")
    assert item_keys(other_file).iloc[0] == keys.iloc[0]


def test_failure_inside_import_rolls_everything_back(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    store.import_items(
        make_items(2, prefix="111-", file="first.txt"), [record("first.txt", b"1", 2)]
    )
    before = store.revision()

    def explode(items: pd.DataFrame) -> list[tuple[object, ...]]:
        raise RuntimeError("disk on fire")

    monkeypatch.setattr("sellerguard.store.store.to_records", explode)
    with pytest.raises(RuntimeError):
        store.import_items(make_items(5, file="second.txt"), [record("second.txt", b"2", 5)])
    assert len(store.items()) == 2
    assert list(store.imported_files()["name"]) == ["first.txt"]
    assert store.revision() == before


def test_verdicts_per_order_and_group_persist(store: Store) -> None:
    store.set_verdict(["o1"], "unsure", note="check later")
    store.set_verdict(["o2", "o3"], "harassment", note="same phone", group_id="g1")
    store.set_verdict(["o1"], "legitimate", note="family", evidence=["repeat:address:k1"])
    verdicts = Store.open(store.home).verdicts().set_index("order_id")
    assert verdicts.loc["o1", "verdict"] == "legitimate"
    assert verdicts.loc["o1", "note"] == "family"
    assert verdicts.loc["o2", "group_id"] == "g1"
    assert verdicts.loc["o3", "verdict"] == "harassment"
    with pytest.raises(StoreError):
        store.set_verdict(["o1"], "maybe")  # type: ignore[arg-type]
    store.clear_verdict(["o1"])
    assert "o1" not in set(store.verdicts()["order_id"])


def test_store_error_message_in_both_languages(store: Store) -> None:
    with pytest.raises(StoreError) as caught:
        store.set_verdict(["o1"], "maybe")  # type: ignore[arg-type]
    assert "maybe" in caught.value.message("en")
    assert caught.value.message("ja") != caught.value.message("en")


def test_feedback_keys_from_verdicts_and_watchlist(store: Store) -> None:
    keys = pd.DataFrame(
        {
            "order_id": pd.Series(["o1", "o2", "o3"], dtype="str"),
            "address_key": pd.Series(["addrA", "addrB", "addrA"], dtype="str"),
            "phone_key": pd.Series(["0311112222", pd.NA, "0399990000"], dtype="str"),
            "name_key": pd.Series(["山田", "佐藤", "鈴木"], dtype="str"),
        }
    )
    store.record_keys(keys)
    store.set_verdict(["o1"], "harassment")
    store.set_verdict(["o2"], "legitimate", evidence=["many_names:address:addrB|x:phone:1"])
    store.watch("name", "鈴木", display="鈴木 一郎")
    watch, cleared = store.context_keys()
    assert watch["address"] == {"addrA"}
    assert watch["phone"] == {"0311112222"}
    assert watch["name"] == {"山田", "鈴木"}
    assert cleared == {"many_names:address:addrB", "x:phone:1"}
    entries = store.watchlist()
    assert entries.loc[0, "display"] == "鈴木 一郎"
    assert entries.loc[0, "key_hash"] == store.salted("name", "鈴木")
    assert "鈴木" not in entries.loc[0, "key_hash"]
    hashes = store.watched_hashes()
    assert store.salted("address", "addrA") in hashes["address"]
    store.unwatch(int(entries.loc[0, "id"]))
    assert store.watchlist().empty


def test_salt_differs_between_stores(tmp_path: Path) -> None:
    one = Store.open(tmp_path / "one")
    two = Store.open(tmp_path / "two")
    assert one.salted("phone", "0311112222") != two.salted("phone", "0311112222")
    assert one.salted("phone", "0311112222") == one.salted("phone", "0311112222")


def test_retention_clears_raw_pii_but_keeps_hashes(store: Store) -> None:
    later = datetime.now(UTC) + timedelta(days=40)  # 40 days after these imports
    fresh_day = (later - timedelta(days=5)).strftime("%Y-%m-%d %H:%M")
    old = make_items(2, prefix="OLD-", purchase="2026-01-01 10:00", updated="2026-01-03 10:00")
    new = make_items(2, prefix="NEW-", file="new.txt", purchase=fresh_day, updated=None)
    store.import_items(old, [record("orders.txt", b"o", 2)])
    store.import_items(new, [record("new.txt", b"n", 2)])
    store.record_keys(
        pd.DataFrame(
            {
                "order_id": pd.Series(["OLD-0000000", "NEW-0000000"], dtype="str"),
                "phone_key": pd.Series(["0312345678", "0312345678"], dtype="str"),
            }
        )
    )
    purged = store.apply_retention(now=later, days=30)
    assert purged == 2
    items = store.items().set_index("order_id")
    for column in PII_COLUMNS:
        assert items.loc[["OLD-0000000", "OLD-0000001"], column].isna().all()
    assert items.loc["NEW-0000000", "buyer_name"] == "山田 太郎0"
    assert items.loc["OLD-0000000", "sku"] == "SKU-A"
    keys = store.order_keys().set_index("order_id")
    assert pd.isna(keys.loc["OLD-0000000", "phone_key"])
    assert keys.loc["OLD-0000000", "phone_hash"] == store.salted("phone", "0312345678")
    assert keys.loc["NEW-0000000", "phone_key"] == "0312345678"
    # a second run finds nothing more to purge
    assert store.apply_retention(now=later, days=30) == 0


def test_old_export_imported_today_stays_readable_for_the_retention_period(store: Store) -> None:
    old = make_items(2, prefix="OLD-", purchase="2023-05-01 10:00", updated="2023-05-03 10:00")
    store.import_items(old, [record("orders.txt", b"o", 2)])
    assert store.apply_retention(now=datetime.now(UTC) + timedelta(days=29), days=30) == 0
    assert set(store.items()["buyer_name"].dropna()) == {"山田 太郎0", "山田 太郎1"}
    assert store.apply_retention(now=datetime.now(UTC) + timedelta(days=31), days=30) == 2
    assert store.items()["buyer_name"].isna().all()


def test_retention_days_come_from_the_settings(store: Store) -> None:
    assert store.retention_days() == 30
    store.set_setting("settings", {"retention": {"days": 90}})
    assert store.retention_days() == 90


def test_watched_harasser_still_recognised_by_hash_after_retention(store: Store) -> None:
    store.record_keys(
        pd.DataFrame(
            {
                "order_id": pd.Series(["OLD0000000"], dtype="str"),
                "phone_key": pd.Series(["0312345678"], dtype="str"),
            }
        )
    )
    store.import_items(
        make_items(1, prefix="OLD", file="f", updated="2025-01-01 10:00"), [record("f", b"f", 1)]
    )
    store.set_verdict(["OLD0000000"], "harassment")
    store.apply_retention(now=datetime.now(UTC) + timedelta(days=40), days=30)
    watch, _ = store.context_keys()
    assert watch["phone"] == set()  # the plain key is gone ...
    assert (
        store.salted("phone", "0312345678") in store.watched_hashes()["phone"]
    )  # ... the hash stays


def test_delete_everything_leaves_an_empty_working_store(store: Store) -> None:
    store.import_items(make_items(3), [record("orders.txt", b"a", 3)])
    store.set_verdict(["x"], "harassment")
    (store.home / "evidence").mkdir()
    (store.home / "evidence" / "shot.png").write_bytes(b"png")
    salt = store.get_setting("store.salt")
    store.delete_everything()
    fresh = Store.open(store.home)
    assert fresh.migrations() == store.migrations()
    with sqlite3.connect(store.path) as conn:
        for (table,) in conn.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
        ):
            count = conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0]
            if table not in {"schema_migrations", "store_state", "settings"}:
                assert count == 0, table
    assert "山田".encode() not in store.path.read_bytes()
    assert fresh.items().empty
    assert fresh.verdicts().empty
    assert fresh.imported_files().empty
    assert not (store.home / "evidence").exists()
    assert fresh.get_setting("store.salt") != salt


def test_split_evidence_keeps_keys_that_contain_the_separator() -> None:
    from sellerguard.store.store import split_evidence

    joined = (
        "address_many_names:address:金沢市百坂町字南沢|2703||" + "|repeat_cancel:phone:0312345678"
    )
    assert split_evidence(joined) == [
        "address_many_names:address:金沢市百坂町字南沢|2703||",
        "repeat_cancel:phone:0312345678",
    ]
    assert split_evidence("") == []


def test_watch_a_typed_value_as_the_scan_normalises_it(store: Store) -> None:
    assert store.watch_value("phone", "０３-１２３４-５６７８") == "0312345678"
    key = store.watch_value("address", "東京都千代田区千代田１丁目１番", postal_code="100-0001")
    assert key == store.watch_value("address", "千代田区千代田1-1", postal_code="1000001")
    assert store.watch_value("name", "山田　太郎") == "山田太郎"
    entries = store.watchlist()
    assert len(entries) == 3  # the two spellings of one address are one entry
    assert store.salted("phone", "0312345678") in set(entries["key_hash"])
    assert "〒1000001 千代田区千代田1-1" in set(entries["display"])  # the latest spelling shown
    with pytest.raises(StoreError):
        store.watch_value("phone", "   ")


def test_delete_everything_never_reuses_a_data_revision(store: Store) -> None:
    store.import_items(make_items(1), [record("orders.txt", b"a", 1)])
    before = store.data_revision()
    store.delete_everything()
    assert store.data_revision() > before
    store.import_items(make_items(1), [record("orders.txt", b"a", 1)])
    assert store.data_revision() > before + 1
