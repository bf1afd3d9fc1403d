"""The demo generator: real layouts, encodings, labels, realism and determinism."""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import phonenumbers
import pytest
from click.testing import CliRunner

from sellerguard.cli import main
from sellerguard.demo import DemoManifest, generate_demo
from sellerguard.demo.addresses import without_county
from sellerguard.demo.generator import MIN_CAMPAIGN
from sellerguard.demo.layouts import PENDING_ORDERS_COLUMNS, RETURNS_COLUMNS
from sellerguard.demo.places import load_places
from sellerguard.demo.scenario import HARASSMENT_PATTERNS, LEGIT_PATTERNS
from sellerguard.errors import InvalidSettings

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
END = date(2026, 11, 20)
ENCODING = {"historic": "cp932", "current": "utf-8"}


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> DemoManifest:
    return generate_demo(tmp_path_factory.mktemp("demo"), orders=3000, seed=11, end=END)


def read(path: Path, era: str) -> pd.DataFrame:
    return pd.read_csv(
        path, sep="\t", dtype=str, keep_default_na=False, encoding=ENCODING[era], quoting=3
    )


def era_tables(manifest: DemoManifest, era: str) -> dict[str, pd.DataFrame]:
    written = next(e for e in manifest.eras if e.era == era)
    tables = {kind: read(path, era) for kind, path in written.files.items() if kind != "labels"}
    tables["labels"] = pd.read_csv(written.files["labels"], dtype=str, keep_default_na=False)
    return tables


def header(path: Path, encoding: str) -> list[str]:
    with path.open(encoding=encoding, newline="") as handle:
        return handle.readline().rstrip("\r\n").split("\t")


@pytest.mark.parametrize("era", ["historic", "current"])
@pytest.mark.parametrize("name", ["all_orders.txt", "orders.txt"])
def test_layouts_match_the_sample_headers_column_by_column(
    demo: DemoManifest, era: str, name: str
) -> None:
    sample = SAMPLES / era / name
    if not sample.exists():
        pytest.skip("samples not available")
    written = demo.out_dir / era / name
    assert header(written, ENCODING[era]) == header(sample, ENCODING[era])


@pytest.mark.parametrize("era", ["historic", "current"])
def test_pending_and_returns_reports_have_their_documented_columns(
    demo: DemoManifest, era: str
) -> None:
    folder = demo.out_dir / era
    assert tuple(header(folder / "pending_orders.txt", ENCODING[era])) == PENDING_ORDERS_COLUMNS
    assert tuple(header(folder / "returns.txt", ENCODING[era])) == RETURNS_COLUMNS
    assert PENDING_ORDERS_COLUMNS[-1] == "payment-type"
    assert "return-reason" in RETURNS_COLUMNS


def test_cod_columns_only_in_the_historic_order_report(demo: DemoManifest) -> None:
    historic = era_tables(demo, "historic")["order_report"]
    current = era_tables(demo, "current")["order_report"]
    assert "payment-method" in historic.columns
    assert "payment-method" not in current.columns
    cod = historic[historic["payment-method"] == "COD"]
    assert len(cod) > 0
    assert set(cod["payment-method-fee"]) <= {"330", "0"}
    assert (cod["payments-date"] == "").all()
    collected = cod["cod-collectible-amount"].astype(int)
    assert (collected >= cod["item-price"].astype(int)).all()


@pytest.mark.parametrize("era", ["historic", "current"])
def test_files_use_the_eras_encoding_and_line_endings(demo: DemoManifest, era: str) -> None:
    written = next(e for e in demo.eras if e.era == era)
    for kind, path in written.files.items():
        raw = path.read_bytes()
        if kind == "labels":
            assert b"\r" not in raw
            continue
        assert not raw.startswith(b"\xef\xbb\xbf")
        if era == "historic":
            lines = raw.split(b"\n")[:-1]
            assert lines and all(line.endswith(b"\r") for line in lines)
            raw.decode("cp932")
            if kind in {"all_orders", "order_report"}:
                with pytest.raises(UnicodeDecodeError):
                    raw.decode("utf-8")
        else:
            assert b"\r" not in raw
            raw.decode("utf-8")


def test_labels_cover_every_pattern_and_cod_lives_only_in_history(demo: DemoManifest) -> None:
    historic = era_tables(demo, "historic")["labels"]
    current = era_tables(demo, "current")["labels"]
    both = pd.concat([historic, current])
    assert set(both["pattern"]) == set(HARASSMENT_PATTERNS) | set(LEGIT_PATTERNS)
    assert "harvested_cod" in set(historic["pattern"])
    assert "harvested_cod" not in set(current["pattern"])
    for labels in (historic, current):
        harassment = labels[labels["label"] == "1"]
        assert set(harassment["pattern"]) <= set(HARASSMENT_PATTERNS)
        assert (harassment["campaign"] != "0").all()
        assert set(labels.loc[labels["label"] == "0", "campaign"]) == {"0"}
        share = len(harassment) / len(labels)
        assert 0.02 <= share <= 0.065
        sizes = harassment.groupby("campaign").size()
        assert sizes.min() >= 1 and sizes.max() <= 40
        for (_, pattern), size in harassment.groupby(["campaign", "pattern"]).size().items():
            assert size >= MIN_CAMPAIGN[pattern], pattern


def test_every_labelled_order_is_in_all_orders_once(demo: DemoManifest) -> None:
    for era in ("historic", "current"):
        tables = era_tables(demo, era)
        all_ids = set(tables["all_orders"]["amazon-order-id"])
        labels = tables["labels"]
        assert labels["order_id"].is_unique
        assert set(labels["order_id"]) == all_ids
        assert set(tables["order_report"]["order-id"]) <= all_ids
        assert set(tables["pending"]["order-id"]) <= all_ids
        assert set(tables["returns"]["order-id"]) <= all_ids
        written = next(e for e in demo.eras if e.era == era)
        assert written.orders == len(all_ids) == 1500


def test_order_count_means_distinct_orders_even_with_multi_item_orders(
    demo: DemoManifest,
) -> None:
    all_orders = era_tables(demo, "current")["all_orders"]
    assert all_orders["amazon-order-id"].nunique() == 1500
    assert len(all_orders) > 1500


def test_pending_lock_orders_never_reach_the_order_report(demo: DemoManifest) -> None:
    for era in ("historic", "current"):
        tables = era_tables(demo, era)
        locks = tables["labels"].loc[tables["labels"]["pattern"] == "pending_lock", "order_id"]
        assert len(locks) >= 2
        assert not set(locks) & set(tables["order_report"]["order-id"])
        rows = tables["all_orders"].set_index("amazon-order-id").loc[list(locks)]
        assert set(rows["order-status"]) <= {"Pending", "Cancelled"}


def test_an_ongoing_pending_lock_shows_in_the_pending_report(demo: DemoManifest) -> None:
    for era in ("historic", "current"):
        tables = era_tables(demo, era)
        pending = tables["pending"]
        labels = tables["labels"].set_index("order_id")
        assert "pending_lock" in set(labels.loc[pending["order-id"], "pattern"])
        statuses = tables["all_orders"].set_index("amazon-order-id").loc[pending["order-id"]]
        assert (statuses["order-status"] == "Pending").all()
        assert set(pending["payment-type"]) <= {"CVS", "COD", "Other"}


def test_refused_cod_parcels_come_back_in_the_returns_report(demo: DemoManifest) -> None:
    tables = era_tables(demo, "historic")
    returns = tables["returns"]
    labels = tables["labels"].set_index("order_id")
    refused = returns[returns["return-reason"] == "UNDELIVERABLE_REFUSED"]
    assert len(refused) > 0
    refused_labels = labels.loc[refused["order-id"]]
    assert (refused_labels["label"] == "1").mean() > 0.6, "a few legitimate buyers refuse too"
    assert "harvested_cod" in set(refused_labels["pattern"])
    report = tables["order_report"].drop_duplicates("order-id").set_index("order-id")
    cod = report.loc[refused["order-id"], "payment-method"].to_numpy() == "COD"
    assert cod.any()
    assert (refused.loc[cod, "refunded-amount"] == "0").all()
    assert (refused.loc[~cod, "refunded-amount"] != "0").all()


def _digits(text: str) -> str:
    return re.sub(r"\D", "", unicodedata.normalize("NFKC", text))


def test_legit_addresses_are_real_and_consistent_with_japan_post(demo: DemoManifest) -> None:
    places = load_places()
    residential = places.residential.set_index("postal_code")
    offices = places.offices.set_index("postal_code")
    checked = 0
    for era in ("historic", "current"):
        tables = era_tables(demo, era)
        report = tables["order_report"].merge(
            tables["labels"], left_on="order-id", right_on="order_id"
        )
        legit = report[report["label"] == "0"]
        for row in legit.itertuples(index=False):
            code = _digits(row[report.columns.get_loc("ship-postal-code")])
            city = row[report.columns.get_loc("ship-city")]
            state = row[report.columns.get_loc("ship-state")]
            line_1 = unicodedata.normalize("NFKC", row[report.columns.get_loc("ship-address-1")])
            table = offices if row.pattern == "legit_office" else residential
            assert code in table.index, (row.pattern, code)
            place = table.loc[code]
            assert state == place["prefecture"]
            cities = (place["city"], without_county(place["city"]))
            if city:
                assert city in cities
            else:
                assert line_1.startswith((*cities, *(place["prefecture"] + c for c in cities)))
            town = unicodedata.normalize("NFKC", place["town"])
            assert town in line_1
            assert re.search(r"\d", line_1[line_1.index(town) + len(town) :])
            checked += 1
    assert checked > 2000


def test_legit_phones_are_valid_japanese_numbers(demo: DemoManifest) -> None:
    tables = era_tables(demo, "current")
    report = tables["order_report"].merge(tables["labels"], left_on="order-id", right_on="order_id")
    legit = report[report["label"] == "0"]
    for phone in set(legit["ship-phone-number"]) | set(legit["buyer-phone-number"]):
        number = phonenumbers.parse(unicodedata.normalize("NFKC", phone), "JP")
        assert phonenumbers.is_valid_number(number), phone
    assert legit["buyer-email"].str.endswith("@marketplace.amazon.co.jp").all()


def test_business_orders_say_so_in_both_reports(demo: DemoManifest) -> None:
    tables = era_tables(demo, "current")
    business = tables["all_orders"][tables["all_orders"]["is-business-order"] == "true"]
    assert len(business) > 0
    assert (business["price-designation"] == "Business Price").all()
    assert (business["purchase-order-number"] != "").all()


def test_statuses_follow_the_lifecycle(demo: DemoManifest) -> None:
    tables = era_tables(demo, "current")
    all_orders = tables["all_orders"]
    assert {"Pending", "Unshipped", "Shipped", "Cancelled"} <= set(all_orders["order-status"])
    purchased = pd.to_datetime(all_orders["purchase-date"])
    updated = pd.to_datetime(all_orders["last-updated-date"])
    assert (updated >= purchased).all()
    assert (purchased.dt.date <= END).all()
    per_order = all_orders.drop_duplicates("amazon-order-id")["purchase-date"]
    assert per_order.value_counts().max() <= 2, "orders piled up on one moment"
    pending = all_orders[all_orders["order-status"] == "Pending"]
    assert (pending["item-status"] == "Unshipped").all()
    in_report = set(tables["order_report"]["order-id"])
    assert not set(pending["amazon-order-id"]) & in_report
    shipped = all_orders[all_orders["order-status"].isin(["Shipped", "Unshipped"])]
    assert set(shipped["amazon-order-id"]) <= in_report


def test_same_seed_same_bytes_other_seed_other_data(tmp_path: Path) -> None:
    first = generate_demo(tmp_path / "a", orders=1000, seed=3, end=END)
    second = generate_demo(tmp_path / "b", orders=1000, seed=3, end=END)
    third = generate_demo(tmp_path / "c", orders=1000, seed=4, end=END)
    for one, two, three in zip(
        first.export_files(), second.export_files(), third.export_files(), strict=True
    ):
        assert one.read_bytes() == two.read_bytes()
        assert one.read_bytes() != three.read_bytes()


def test_current_era_alone_ends_on_the_given_day(tmp_path: Path) -> None:
    manifest = generate_demo(tmp_path, orders=500, seed=1, era="current", end=date(2025, 3, 31))
    assert [e.era for e in manifest.eras] == ["current"]
    assert manifest.orders == 500
    all_orders = read(manifest.eras[0].files["all_orders"], "current")
    days = pd.to_datetime(all_orders["purchase-date"]).dt.date
    assert days.max() <= date(2025, 3, 31)
    assert days.min() >= date(2024, 6, 6)
    assert not (tmp_path / "historic").exists()


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"orders": 10}, "demo_orders"),
        ({"era": "future"}, "demo_era"),
        ({"end": date(2024, 6, 1)}, "demo_end"),
    ],
)
def test_bad_arguments_are_refused_with_a_reason(
    tmp_path: Path, kwargs: dict[str, object], reason: str
) -> None:
    with pytest.raises(InvalidSettings) as caught:
        generate_demo(tmp_path, **kwargs)  # type: ignore[arg-type]
    assert caught.value.reason == reason
    assert caught.value.message("en") != caught.value.message("ja")


def test_cli_writes_the_dataset_and_reports_it_in_english(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        main,
        ["--lang", "en", "demo", "--out", str(tmp_path), "--orders", "1000", "--end", "2026-01-31"],
    )
    assert result.exit_code == 0, result.output
    assert "500 orders from" in result.output
    assert "orders.txt" in result.output and "labels.csv" in result.output
    assert "@marketplace" not in result.output
    labels = pd.read_csv(tmp_path / "current" / "labels.csv", dtype=str)
    assert len(labels) == 500


def test_cli_refuses_too_few_orders_in_japanese(tmp_path: Path) -> None:
    result = CliRunner().invoke(main, ["demo", "--out", str(tmp_path), "--orders", "5"])
    assert result.exit_code == 2
    assert "注文数 5 は少なすぎます" in result.output
    assert "Traceback" not in result.output


def test_era_files_read_back_as_tables(demo: DemoManifest) -> None:
    raw = (demo.out_dir / "historic" / "orders.txt").read_bytes().decode("cp932")
    table = pd.read_csv(io.StringIO(raw), sep="\t", dtype=str, keep_default_na=False)
    assert len(table.columns) == 41
    assert (table["ship-country"] == "JP").all()


@pytest.fixture(scope="module")
def larger(tmp_path_factory: pytest.TempPathFactory) -> dict[str, pd.DataFrame]:
    manifest = generate_demo(
        tmp_path_factory.mktemp("larger"), orders=12000, seed=5, era="current", end=END
    )
    return era_tables(manifest, "current")


def test_campaigns_vary_in_size_spread_and_mixture(larger: dict[str, pd.DataFrame]) -> None:
    labels = larger["labels"]
    dates = larger["all_orders"].drop_duplicates("amazon-order-id").set_index("amazon-order-id")
    harassment = labels[labels["label"] == "1"].copy()
    harassment["at"] = pd.to_datetime(dates.loc[harassment["order_id"], "purchase-date"]).to_numpy()
    campaigns = harassment.groupby("campaign").agg(
        size=("order_id", "size"),
        spread=("at", lambda at: at.max() - at.min()),
        patterns=("pattern", "nunique"),
    )
    assert campaigns["size"].min() <= 3
    assert campaigns["size"].max() >= 20
    assert campaigns["size"].max() <= 40
    assert (campaigns["spread"] < pd.Timedelta(days=1)).any()
    assert (campaigns["spread"] > pd.Timedelta(days=14)).any()
    assert (campaigns["patterns"] > 1).any()
    assert len(campaigns) >= 15


def test_many_typing_styles_of_addresses_phones_and_names(larger: dict[str, pd.DataFrame]) -> None:
    report = larger["order_report"]
    line_1 = report["ship-address-1"]
    assert line_1.str.contains("丁目").any() and line_1.str.contains(r"\d-\d+-\d").any()
    assert line_1.str.contains("[０-９]").any()
    assert line_1.str.contains("[一二三四]丁目").any()
    assert (report["ship-city"] == "").mean() > 0.1
    assert report["ship-address-2"].str.contains("号室").any()
    assert report["ship-address-3"].str.fullmatch(r"\d{3,4}(号室|号)?").any()
    assert report["ship-postal-code"].str.fullmatch(r"\d{7}").any()
    assert report["ship-postal-code"].str.fullmatch(r"\d{3}-\d{4}").mean() > 0.5
    assert report["ship-phone-number"].str.fullmatch(r"0[789]0-\d{4}-\d{4}").any()
    assert report["ship-phone-number"].str.fullmatch(r"0\d{9,10}").any()
    names = report["buyer-name"]
    assert names.str.contains("\u3000").any() and names.str.contains(" ").any()
    assert names.str.fullmatch(r"[A-Za-z ]+").any()
    assert line_1.str.contains("通.{2,4}(?:上る|上ル|下る|下ル|西入|東入)").any()


def test_pending_locks_are_cancelled_six_days_after_purchase(
    larger: dict[str, pd.DataFrame],
) -> None:
    labels = larger["labels"]
    locks = labels.loc[labels["pattern"] == "pending_lock", "order_id"]
    rows = larger["all_orders"].set_index("amazon-order-id").loc[list(locks)]
    cancelled = rows[rows["order-status"] == "Cancelled"]
    assert len(cancelled) >= 10
    waited = pd.to_datetime(cancelled["last-updated-date"]) - pd.to_datetime(
        cancelled["purchase-date"]
    )
    assert (waited > pd.Timedelta(minutes=5)).all()
    six_days = waited.between(pd.Timedelta(days=6), pd.Timedelta(days=6, hours=3))
    assert six_days.mean() >= 0.75


def test_pending_locks_take_a_whole_stock_or_a_large_quantity(
    larger: dict[str, pd.DataFrame],
) -> None:
    labels = larger["labels"].set_index("order_id")
    all_orders = larger["all_orders"]
    pattern = labels.loc[all_orders["amazon-order-id"], "pattern"].to_numpy()
    quantity = all_orders["quantity"].astype(int)
    locks = quantity[pattern == "pending_lock"]
    legit = quantity[pattern == "legit"]
    assert locks.mean() > 3 * legit.mean()
    assert (locks >= 3).mean() >= 0.5, "a whole stock of a one-off item is one unit"
    assert legit.median() == 1


def test_the_exports_reader_takes_every_file_without_a_rejected_row(demo: DemoManifest) -> None:
    from sellerguard.exports import read_exports

    for written in demo.eras:
        exports = [path for kind, path in written.files.items() if kind != "labels"]
        order_set = read_exports(exports)
        kinds = {read.kind for read in order_set.reads}
        assert kinds == {"all_orders", "order_report", "pending", "returns"}
        assert sum(read.rows_rejected for read in order_set.reads) == 0
        assert len(order_set.orders) == written.orders


def test_office_staff_order_on_weekdays_in_office_hours(larger: dict[str, pd.DataFrame]) -> None:
    labels = larger["labels"]
    office = labels.loc[labels["pattern"] == "legit_office", "order_id"]
    dates = larger["all_orders"].drop_duplicates("amazon-order-id").set_index("amazon-order-id")
    local = pd.to_datetime(dates.loc[office, "purchase-date"].str.slice(0, 19))
    assert len(local) > 20
    assert (local.dt.day_of_week < 5).all()
    assert local.dt.hour.between(9, 17).all()
    business = dates.loc[office, "is-business-order"]
    assert (business == "true").mean() > 0.5


def test_same_seed_same_bytes_across_processes(tmp_path: Path) -> None:
    script = (
        "import sys; from datetime import date; from sellerguard.demo import generate_demo; "
        "generate_demo(sys.argv[1], orders=500, seed=9, era='historic', end=date(2026, 1, 31))"
    )
    for hash_seed in ("1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        subprocess.run(
            [sys.executable, "-c", script, str(tmp_path / hash_seed)], check=True, env=env
        )
    for name in ("all_orders.txt", "orders.txt", "returns.txt", "labels.csv"):
        first = (tmp_path / "1" / "historic" / name).read_bytes()
        assert first == (tmp_path / "2" / "historic" / name).read_bytes(), name


def test_unrelated_customers_do_not_share_a_phone(larger: dict[str, pd.DataFrame]) -> None:
    report = larger["order_report"].merge(larger["labels"], left_on="order-id", right_on="order_id")
    plain = report[report["pattern"] == "legit"]
    digits = plain["ship-phone-number"].map(_digits).str.replace(r"^81", "0", regex=True)
    accounts = plain.assign(phone=digits).groupby("phone")["buyer-email"].nunique()
    assert len(accounts) > 5000
    assert accounts.max() == 1


def test_cli_explains_a_folder_it_cannot_write(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    result = CliRunner().invoke(
        main, ["--lang", "en", "demo", "--out", str(blocker / "demo"), "--orders", "1000"]
    )
    assert result.exit_code == 2
    assert "cannot write the demo data to" in result.output
    assert "Traceback" not in result.output
