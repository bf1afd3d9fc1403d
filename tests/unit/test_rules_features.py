"""The vectorised building blocks of the rules, against plain, obviously correct versions."""

from __future__ import annotations

from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sellerguard.address.normalise import dense_codes
from sellerguard.rules.declarations import Facts, _count_in_window
from sellerguard.rules.features import (
    BestOfStats,
    GroupStats,
    link_groups,
)

codes_lists = st.lists(st.integers(-1, 6), min_size=1, max_size=60)


@given(st.lists(st.integers(-(2**40), 2**40), max_size=200))
@settings(deadline=None)
def test_dense_codes_are_pandas_factorize(values: list[int]) -> None:
    array = np.asarray(values, dtype=np.int64)
    assert dense_codes(array).tolist() == pd.factorize(array)[0].tolist()


@given(
    st.lists(st.tuples(st.integers(-1, 5000), st.integers(-1, 2**40)), max_size=300),
    st.integers(0, 40),
)
@settings(deadline=None)
def test_compiled_group_kernels_match_a_groupby(pairs: list[tuple[int, int]], repeat: int) -> None:
    """Large value codes and repeated pairs: the hash set of (group, value) pairs is exact."""
    from sellerguard.rules.kernels import distinct_per_group, sum_per_group

    rows = pairs + pairs[:repeat]
    group = np.asarray([g for g, _ in rows], dtype=np.int64)
    value = np.asarray([v for _, v in rows], dtype=np.int64)
    frame = pd.DataFrame({"group": group, "value": value})
    keyed = frame[frame["group"] >= 0]
    distinct = keyed["value"].where(keyed["value"] >= 0).groupby(keyed["group"]).nunique()
    sums = keyed["value"].astype(float).groupby(keyed["group"]).sum()
    assert distinct_per_group(group, value).tolist() == (
        frame["group"].map(distinct).fillna(0).astype(int).tolist()
    )
    assert sum_per_group(group, value).tolist() == frame["group"].map(sums).fillna(0).tolist()


def _frame(group: list[int], value: list[int], flag: list[bool]) -> pd.DataFrame:
    n = min(len(group), len(value), len(flag))
    return pd.DataFrame(
        {
            "group": np.asarray(group[:n], dtype=np.int64),
            "place_code": np.asarray(value[:n], dtype=np.int64),
            "cancelled": np.asarray(flag[:n], dtype=bool),
        }
    )


@given(codes_lists, codes_lists, st.lists(st.booleans(), min_size=1, max_size=60))
@settings(deadline=None)
def test_group_statistics_match_a_groupby(
    group: list[int], value: list[int], flag: list[bool]
) -> None:
    frame = _frame(group, value, flag)
    keyed = frame[frame["group"] >= 0]
    by_group = keyed.groupby("group")
    expected_orders = frame["group"].map(by_group.size()).fillna(0)
    valid_places = keyed["place_code"].where(keyed["place_code"] >= 0)
    expected_places = frame["group"].map(valid_places.groupby(keyed["group"]).nunique()).fillna(0)
    expected_cancelled = frame["group"].map(by_group["cancelled"].sum()).fillna(0)
    # Over all the orders, and over the keyed orders alone (as for sparse groupings).
    for share in (0.0, 1.0):
        with mock.patch("sellerguard.rules.features._SPARSE_SHARE", share):
            stats = GroupStats(frame, frame["group"].to_numpy())
            assert stats.values("orders").tolist() == expected_orders.tolist()
            assert stats.values("places").tolist() == expected_places.astype(int).tolist()
            assert stats.values("cancelled").tolist() == expected_cancelled.astype(float).tolist()


@given(codes_lists, codes_lists, codes_lists)
@settings(deadline=None)
def test_best_of_stats_takes_the_grouping_with_most_orders(
    first: list[int], second: list[int], value: list[int]
) -> None:
    n = min(len(first), len(second), len(value))
    frame = _frame(first[:n], value[:n], [False] * n)
    options = [
        GroupStats(frame, np.asarray(first[:n], dtype=np.int64)),
        GroupStats(frame, np.asarray(second[:n], dtype=np.int64)),
    ]
    best = BestOfStats(frame, options)
    counts = np.vstack([o.values("orders") for o in options])
    places = np.vstack([o.values("places") for o in options])
    choice = counts.argmax(axis=0)
    assert best.values("places").tolist() == places[choice, np.arange(n)].tolist()


@given(
    st.lists(
        st.tuples(st.integers(-1, 3), st.integers(0, 20), st.booleans()), min_size=1, max_size=50
    ),
    st.integers(0, 6),
)
@settings(deadline=None)
def test_count_in_window_matches_counting_pairs(
    orders: list[tuple[int, int, bool]], seconds: int
) -> None:
    sku = np.asarray([o[0] for o in orders], dtype=np.int64)
    moment = np.asarray([o[1] for o in orders], dtype=np.int64)
    selected = np.asarray([o[2] for o in orders], dtype=bool)
    frame = pd.DataFrame(
        {
            "sku_code": sku,
            "purchase_seconds": moment,
            "purchase_date": pd.Timestamp("2025-01-01", tz="Asia/Tokyo")
            + pd.to_timedelta(moment, unit="s"),
        }
    )
    counted = _count_in_window(Facts(frame, {}), selected, float(seconds))
    for row in range(len(orders)):
        if not selected[row] or sku[row] < 0:
            assert counted[row] == 0
            continue
        near = selected & (sku == sku[row]) & (np.abs(moment - moment[row]) <= seconds)
        assert counted[row] == near.sum()


@given(codes_lists, codes_lists, codes_lists)
@settings(deadline=None)
def test_link_groups_are_connected_components(
    account: list[int], phone: list[int], address: list[int]
) -> None:
    n = min(len(account), len(phone), len(address))
    frame = pd.DataFrame(
        {
            "account_code": np.asarray(account[:n], dtype=np.int64),
            "phone_code": np.asarray(phone[:n], dtype=np.int64),
            "address_code": np.asarray(address[:n], dtype=np.int64),
        }
    )
    groups = link_groups(frame)
    # Union-find over rows sharing a key.
    parent = list(range(n))

    def root(i: int) -> int:
        while parent[i] != i:
            i = parent[i]
        return i

    for column in frame.columns:
        first: dict[int, int] = {}
        for row, key in enumerate(frame[column]):
            if key < 0:
                continue
            if key in first:
                parent[root(row)] = root(first[key])
            else:
                first[key] = row
    roots = [root(i) for i in range(n)]
    for i in range(n):
        alone = roots.count(roots[i]) == 1
        assert pd.isna(groups.iloc[i]) == alone
        for j in range(n):
            if not alone and roots[i] == roots[j]:
                assert groups.iloc[i] == groups.iloc[j]
            elif not alone and not pd.isna(groups.iloc[j]):
                assert groups.iloc[i] != groups.iloc[j]
    named = groups.dropna()
    # Numbered G1, G2, ... in order of first appearance.
    assert list(dict.fromkeys(named)) == [f"G{k}" for k in range(1, named.nunique() + 1)]


@pytest.mark.parametrize("era", ["historic", "current"])
def test_scan_columns_are_all_a_scan_reads(tmp_path: Path, era: str) -> None:
    from sellerguard.demo import generate_demo
    from sellerguard.exports import read_exports
    from sellerguard.rules import SCAN_COLUMNS, scan_orders

    generate_demo(tmp_path, orders=1200, seed=3, era=era)
    orders = read_exports(sorted((tmp_path / era).glob("*.txt"))).orders
    full = scan_orders(orders).orders
    narrow = scan_orders(orders[[c for c in SCAN_COLUMNS if c in orders.columns]]).orders
    compared = ["risk_score", "risk_level", "reasons_ja", "reasons_en", "evidence", "group_id"]
    assert full["risk_level"].ne("low").any()
    pd.testing.assert_frame_equal(narrow[compared], full[compared])


@pytest.mark.parametrize(
    "values",
    [
        ["", "a", None, "b", "", "a"],
        ["b", "", "a", "", "c", None, "b"],
        ["a", "b"],
        ["", ""],
        [None, None],
        [],
    ],
)
def test_codes_count_up_by_first_appearance_with_empty_as_missing(
    values: list[str | None],
) -> None:
    from sellerguard.rules.features import codes

    series = pd.Series(values, dtype="str")
    masked = series.where(series.notna() & (series != ""))
    expected = pd.factorize(masked, use_na_sentinel=True)[0]
    assert codes(series).tolist() == expected.tolist()


def test_address_codes_found_per_distinct_address_equal_the_order_level_codes() -> None:
    """assess_addresses numbers keys and typed lines once per distinct address; the numbers
    are exactly ``codes`` of the million-row columns build_features used to hash."""
    from sellerguard.address import assess_addresses
    from sellerguard.address.normalise import codes, combine_codes

    rows = [
        ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号", None),
        ("647-0019", "和歌山県", "新宮市", "新町５丁目２５－１３", ""),  # the same place
        ("6200805", "京都府", None, "福知山市南土野町40番地19", "ライオンズマンション 409号室"),
        ("6200805", "京都府", None, "福知山市南土野町40番地19", "ライオンズマンション 410号室"),
        ("222-0011", "神奈川県", "港北区", "菊名2-3-4", None),
        ("100-8905", "東京都", "千代田区", None, "霞ヶ関3-2-1"),  # no line 1
        ("100-8905", "東京都", "千代田区", None, None),
        (None, None, None, None, None),
    ]
    rng = np.random.default_rng(3)
    picked = [rows[i] for i in rng.integers(0, len(rows), 60)]
    columns = ["ship_postal_code", "ship_state", "ship_city", "ship_address_1", "ship_address_2"]
    orders = pd.DataFrame(picked, columns=columns, dtype="str")
    facts = assess_addresses(orders)
    assert facts["address_code"].tolist() == codes(facts["address_key"]).tolist()
    raw = combine_codes(codes(orders["ship_address_1"]), codes(orders["ship_address_2"]))
    raw[orders["ship_address_1"].isna().to_numpy()] = -1
    assert facts["raw_address_code"].tolist() == raw.tolist()
    assert len(set(facts["address_code"])) > 3
    prefecture = codes(facts["prefecture"].fillna(orders["ship_state"]))
    assert facts["prefecture_code"].tolist() == prefecture.tolist()
    coarse = combine_codes(codes(facts["postal_code"]), codes(orders["ship_city"]))
    assert facts["coarse_code"].tolist() == coarse.tolist()
    assert len(set(facts["coarse_code"])) > 3


#: Names as typed, with what makes their keys meet or stay apart: widths, spaces,
#: honorifics, kana, an honorific alone (an empty key), empty and missing values.
_NAMES = [
    "山田 太郎",
    "山田　太郎様",
    "ヤマダ タロウ",
    "やまだ たろう",
    "佐藤花子",
    "Ｓａｔｏ Ｈａｎａｋｏ",
    "sato hanako",
    "様",
    "",
    None,
    "鈴木 一郎",
    "鈴木一郎 さん",
]


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(st.sampled_from(_NAMES), st.sampled_from(_NAMES)), min_size=1, max_size=40)
)
def test_name_codes_found_per_distinct_name_equal_the_codes_of_the_keys(
    pairs: list[tuple[str | None, str | None]],
) -> None:
    """name_facts numbers keys and surnames once per distinct name; the numbers are
    exactly ``codes`` of the order-level columns build_features would otherwise hash."""
    from sellerguard.address import normalise_name
    from sellerguard.address.normalise import codes
    from sellerguard.rules.features import name_facts, surname

    orders = pd.DataFrame(pairs, columns=["buyer_name", "recipient_name"], dtype="str")
    facts = name_facts(orders)
    buyer, recipient = orders["buyer_name"], orders["recipient_name"]
    buyer_key = normalise_name(buyer.fillna(recipient))
    recipient_key = normalise_name(recipient)
    pd.testing.assert_series_equal(facts["buyer_key"], buyer_key, check_names=False)
    pd.testing.assert_series_equal(facts["recipient_key"], recipient_key, check_names=False)
    surnames = surname(recipient.fillna(buyer))
    pd.testing.assert_series_equal(facts["surname"], surnames, check_names=False)
    assert facts["name_code"].tolist() == codes(buyer_key).tolist()
    filled = recipient_key.fillna(buyer_key)
    assert facts["recipient_code"].tolist() == codes(filled).tolist()
    assert facts["surname_code"].tolist() == codes(surnames).tolist()


def test_phone_codes_found_per_distinct_number_equal_the_codes_of_the_keys() -> None:
    from sellerguard.address import assess_phones
    from sellerguard.address.normalise import codes

    typed = ["03-1234-5678", "0312345678", "+81 3 1234 5678", "", None, "090-1111-2222", "abc"]
    rng = np.random.default_rng(5)
    orders = pd.DataFrame(
        {"ship_phone": [typed[i] for i in rng.integers(0, len(typed), 50)]}, dtype="str"
    )
    facts = assess_phones(orders)
    assert facts["phone_code"].tolist() == codes(facts["phone_key"]).tolist()
    assert facts["phone_code"].max() >= 1


@settings(deadline=None)  # the first example loads the compiled factorisation
@given(st.lists(st.integers(min_value=-1, max_value=6), max_size=40))
def test_renumber_counts_up_by_first_appearance_keeping_missing(values: list[int]) -> None:
    from sellerguard.address.normalise import renumber

    array = np.asarray(values, dtype=np.int64)
    masked = pd.Series(np.where(array < 0, np.nan, array))
    expected = pd.factorize(masked, use_na_sentinel=True)[0]
    assert renumber(array).tolist() == expected.tolist()


def test_keys_kept_after_retention_are_coded_from_their_text() -> None:
    """Without the typed address (deleted on the retention schedule) the store passes the
    key it kept; the address facts' own codes (all -1 here) must not stand in for it."""
    from sellerguard.address import assess_addresses, assess_phones
    from sellerguard.rules.features import build_features, name_facts

    kept = ["k1", "k2", "k1", None, "k3", "k2"]
    orders = pd.DataFrame(
        {
            "order_id": [f"250-0000000-000000{i}" for i in range(6)],
            "ship_address_1": pd.Series([None] * 6, dtype="str"),
            "stored_address_key": pd.Series(kept, dtype="str"),
            "stored_phone_key": pd.Series(kept, dtype="str"),
            "stored_name_key": pd.Series(kept, dtype="str"),
        }
    )
    addresses = assess_addresses(orders)
    phones = assess_phones(orders)
    names = name_facts(orders)
    assert (addresses["address_code"] == -1).all()
    assert (phones["phone_code"] == -1).all()
    assert (names["name_code"] == -1).all()
    frame = build_features(orders, addresses, phones, names)
    for kind in ("address", "phone", "name", "recipient"):
        assert frame[f"{kind}_code"].tolist() == [0, 1, 0, -1, 2, 1], kind
