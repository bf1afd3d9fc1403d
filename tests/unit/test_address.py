"""Address normalisation and Japan Post deliverability checks on real places."""

from __future__ import annotations

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sellerguard.address import ADDRESS_PROBLEMS, assess_addresses, normalise_address
from sellerguard.address.assess import ADDRESS_COLUMNS, _distinct_ids
from sellerguard.i18n import t

# (postal code, state, city, line 1, line 2) of real, deliverable places.
DELIVERABLE = {
    "plain": ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号", None),
    "city_in_line1": (
        "6200805",
        "京都府",
        None,
        "福知山市南土野町40番地19",
        "ライオンズマンション 409号室",
    ),
    "prefecture_repeated": ("533-0005", "大阪府", None, "大阪府大阪市東淀川区瑞光三丁目29-2", None),
    "city_twice": ("647-0019", "和歌山県", "新宮市", "新宮市新町5-25-13", None),
    "full_width": ("５３３－０００５", "大阪府", "大阪市東淀川区", "瑞光３－２９－２", None),
    "ward_with_city": ("222-0011", "神奈川県", "横浜市港北区", "菊名2-3-4", None),
    "ward_without_city": ("222-0011", "神奈川県", "港北区", "菊名2-3-4", None),
    "ward_in_line1": ("222-0011", "神奈川県", None, "港北区菊名2丁目3番4号", None),
    "county_written": ("086-1062", "北海道", "標津郡中標津町", "東22条北5丁目2番地14", None),
    "county_omitted": ("086-1062", "北海道", "中標津町", "東二十二条北5丁目2番地14", None),
    "office_code": ("100-8905", "東京都", "千代田区", "霞が関3丁目2-1", "中央合同庁舎第7号館"),
    "office_code_variant_chars": ("100-8905", "東京都", "千代田区", "霞ヶ関3-2-1", None),
    "office_block_words": (
        "277-8531",
        "千葉県",
        "柏市",
        "十余二赤坂台409",
        "株式会社 DNPテクノフィルム",
    ),
    "office_without_number": ("917-0198", "福井県", "小浜市", "田烏大浜", "若狭湾青少年自然の家"),
    "high_rise_floor": (
        "163-6001",
        "東京都",
        "新宿区",
        "西新宿6-8-1",
        "住友不動産新宿オークタワー 1階",
    ),
    "kyoto_directions": ("604-8132", "京都府", "京都市中京区", "高倉通三条下る丸屋町123", None),
    "kyoto_directions_katakana": (
        "604-8132",
        "京都府",
        "京都市中京区",
        "高倉通三条下ル丸屋町123",
        None,
    ),
    "kyoto_agaru": ("604-8132", "京都府", "京都市中京区", "高倉通三条上がる丸屋町123", None),
    "kyoto_nishi_iru": (
        "602-8064",
        "京都府",
        "京都市上京区",
        "堀川通下立売上ル西入ル四町目125",
        None,
    ),
    "kyoto_postcode_in_line1": (
        None,
        None,
        None,
        "〒604-8132 京都府京都市中京区高倉通三条下ル丸屋町123",
        None,
    ),
    "kyoto_no_directions": ("6020074", "京都府", "京都市上京区", "下天神町11-16", None),
    "hokkaido_jo": ("078-8233", "北海道", "旭川市", "豊岡３条5丁目30番24号", None),
    "sapporo_office_jo": (
        "060-8602",
        "北海道",
        "札幌市中央区",
        "北一条西1丁目6番地",
        "さっぽろ創生スクエア9階",
    ),
    "iwate_chiwari": ("028-2402", "岩手県", "宮古市", "川井第十地割12番地", None),
    "iwate_chiwari_digits": ("028-2402", "岩手県", "宮古市", "川井10地割12", None),
    "rural_banchi_only": ("289-1722", "千葉県", "山武郡横芝光町", "目篠1285", None),
    "koaza": ("969-5207", "福島県", "南会津郡下郷町", "大内字山本8", None),
    "aza_prefix": ("099-2492", "北海道", "網走市", "字呼人23-3", None),
    "official_mubanchi": ("100-1701", "東京都", "青ヶ島村", "無番地", None),
    "town_with_mubanchi": ("737-2123", "広島県", "江田島市", "江田島町国有無番地", None),
    "whole_city_code": ("004-0000", "北海道", "札幌市厚別区", "厚別中央2条5丁目4-1", None),
    "code_with_several_towns": ("011-0951", "秋田県", "秋田市", "土崎港古川町12-3", None),
    "old_ward_hamamatsu": ("430-0946", "静岡県", "浜松市中区", "元城町103-2", None),
    "old_city_merged": ("421-3212", "静岡県", None, "清水市蒲原小金19-9", None),
    "designated_city_without_ward": ("222-0011", "神奈川県", "横浜市", "菊名2-3-4", None),
    "old_ward_only": ("430-0946", "静岡県", None, "中区元城町103-2", None),
    "town_with_numeral": ("040-0083", "北海道", "函館市", "八幡町5-1", None),
    "ichibancho": ("036-8201", "青森県", "弘前市", "一番町5", None),
    "no_lines_all_orders": ("647-0019", "和歌山県", "新宮市", None, None),
    "town_with_chome_in_its_name": ("018-0106", "秋田県", "にかほ市", "象潟町5丁目塩越3-31", None),
    "town_with_kanji_numeral_folded": (
        "794-0061",
        "愛媛県",
        "今治市",
        "馬越二番耕地一丁目57-10",
        None,
    ),
    "town_ending_in_numeral": ("891-8221", "鹿児島県", "大島郡伊仙町", "阿三二丁目45-11", None),
    "hokkaido_line_town": ("071-0527", "北海道", None, "空知郡上富良野町東７線北6-21", None),
    "hokkaido_ku_town": ("079-0507", "北海道", "雨竜郡妹背牛町", "７区31-10", None),
    "romanised": ("222-0011", "Kanagawa", "Yokohama-shi Kohoku-ku", "2-3-4 Kikuna", "Room 203"),
    "romanised_city_only": ("222-0011", "神奈川県", "YOKOHAMA", None, None),
    "postcode_lost_zero": ("600005", "北海道", "札幌市中央区", "北5条西2丁目5", None),
}

UNDELIVERABLE = {
    "nonsense_kana": ("5260821", "滋賀県", "長浜市", "あああ", None, "nonsense"),
    "nonsense_dots": ("989-6834", "宮城県", "大崎市", "..", None, "nonsense"),
    "nonsense_test": ("647-0019", "和歌山県", "新宮市", "テスト", None, "nonsense"),
    "postcode_missing": (None, "和歌山県", "新宮市", "新町5-25-13", None, "postcode_missing"),
    "postcode_malformed": (
        "64-7001",
        "和歌山県",
        "新宮市",
        "新町5-25-13",
        None,
        "postcode_malformed",
    ),
    "postcode_letters": (
        "647-00AB",
        "和歌山県",
        "新宮市",
        "新町5-25-13",
        None,
        "postcode_malformed",
    ),
    "postcode_unknown": (
        "197-9182",
        "奈良県",
        "磯城郡田原本町",
        "根太口18番地5",
        None,
        "postcode_unknown",
    ),
    "other_prefecture": (
        "055-0003",
        "三重県",
        "伊賀市",
        "下柘植2708",
        None,
        "postcode_other_prefecture",
    ),
    "other_prefecture_in_line1": (
        "647-0019",
        None,
        None,
        "三重県伊賀市下柘植2708",
        None,
        "postcode_other_prefecture",
    ),
    "other_city": (
        "222-0011",
        "神奈川県",
        "川崎市中原区",
        "木月2-3-4",
        None,
        "postcode_other_city",
    ),
    "other_city_no_lines": (
        "222-0011",
        "神奈川県",
        "川崎市中原区",
        None,
        None,
        "postcode_other_city",
    ),
    "other_town": (
        "222-0011",
        "神奈川県",
        "横浜市港北区",
        "大倉山2-3-4",
        None,
        "postcode_other_town",
    ),
    "invented_town_suffix": (
        "504-0965",
        "岐阜県",
        "各務原市",
        "那加幸町南５９４",
        None,
        "postcode_other_town",
    ),
    "office_other_block": (
        "100-8905",
        "東京都",
        "千代田区",
        "霞が関1-1-1",
        None,
        "postcode_other_town",
    ),
    "block_missing": ("818-0103", "福岡県", "太宰府市", "朱雀", None, "block_missing"),
    "block_missing_kana_town": ("811-3220", "福岡県", "福津市", "あけぼの", None, "block_missing"),
    "block_missing_one_kanji_town": ("962-0304", "福島県", "須賀川市", "滝", None, "block_missing"),
    "block_missing_building": (
        "647-0019",
        "和歌山県",
        "新宮市",
        "新町",
        "メゾン新町 101",
        "block_missing",
    ),
    "digits_only": ("601-1316", "京都府", None, "123", None, "postcode_other_town"),
    "chome_only": ("222-0011", "神奈川県", "横浜市港北区", "菊名2丁目", None, "block_missing"),
}


@pytest.fixture(scope="module")
def assessed() -> pd.DataFrame:
    """Every parametrised case assessed in one frame (one call, like the scan makes)."""
    rows = {case: values[:5] for case, values in {**DELIVERABLE, **UNDELIVERABLE}.items()}
    frame = pd.DataFrame.from_dict(
        rows,
        orient="index",
        columns=["ship_postal_code", "ship_state", "ship_city", "ship_address_1", "ship_address_2"],
        dtype="str",
    )
    return pd.concat([frame, assess_addresses(frame)], axis=1)


@pytest.mark.parametrize("case", list(DELIVERABLE), ids=list(DELIVERABLE))
def test_real_places_pass(case: str, assessed: pd.DataFrame) -> None:
    row = assessed.loc[case]
    assert pd.isna(row["address_problem"]), row.to_dict()


@pytest.mark.parametrize("case", list(UNDELIVERABLE), ids=list(UNDELIVERABLE))
def test_undeliverable_kinds(case: str, assessed: pd.DataFrame) -> None:
    row = assessed.loc[case]
    assert row["address_problem"] == UNDELIVERABLE[case][-1], row.to_dict()


def test_one_address_gives_the_same_answer_alone_and_in_a_batch(assessed: pd.DataFrame) -> None:
    for case in ("kyoto_directions", "office_code", "other_town", "block_missing"):
        code, state, city, line1, line2 = {**DELIVERABLE, **UNDELIVERABLE}[case][:5]
        alone = normalise_address(line1, line2, postal_code=code, state=state, city=city)
        assert alone.address_key == assessed.loc[case, "address_key"]
        problem = assessed.loc[case, "address_problem"]
        assert alone.address_problem == (None if pd.isna(problem) else problem)


def test_every_problem_kind_is_exercised_and_explained() -> None:
    kinds = {case[-1] for case in UNDELIVERABLE.values()}
    assert kinds == set(ADDRESS_PROBLEMS)
    for kind in ADDRESS_PROBLEMS:
        for lang in ("ja", "en"):
            assert t(f"address.problem.{kind}", lang)


def test_kyoto_direction_spellings_share_one_key() -> None:
    lines = [
        "高倉通三条下る丸屋町123",
        "高倉通三条下ル丸屋町123",
        "高倉通三条下がる丸屋町123",
        "丸屋町123",
    ]
    keys = {
        normalise_address(line, postal_code="604-8132", city="京都市中京区").address_key
        for line in lines
    }
    assert len(keys) == 1


def test_addresses_abroad_are_not_checked_against_japan_post() -> None:
    orders = pd.DataFrame(
        {
            "ship_postal_code": ["94105", "0000000"],
            "ship_city": ["San Francisco", None],
            "ship_address_1": ["1 Market St", "どこか1"],
            "ship_country": ["US", "JP"],
        },
        dtype="str",
    )
    facts = assess_addresses(orders)
    assert pd.isna(facts.loc[0, "address_problem"])
    assert facts.loc[1, "address_problem"] == "postcode_unknown"


def test_empty_and_addressless_frames() -> None:
    empty = assess_addresses(pd.DataFrame({"ship_postal_code": pd.Series([], dtype="str")}))
    assert empty.empty and "address_key" in empty.columns
    bare = assess_addresses(pd.DataFrame(index=[5, 6]))
    assert list(bare.index) == [5, 6]
    assert bare["address_problem"].isna().all()


def test_japan_post_names_are_reported() -> None:
    result = normalise_address("中区元城町103-2", postal_code="4300946", state="静岡県")
    assert (result.postal_code, result.prefecture, result.city, result.town) == (
        "4300946",
        "静岡県",
        "浜松市中央区",
        "元城町",
    )


VARIANTS_OF_ONE_PLACE = [
    ("647-0019", "和歌山県", "新宮市", "新町5丁目25番13号", None),
    ("647-0019", "和歌山県", "新宮市", "新町5丁目25番地13", None),
    ("6470019", "和歌山県", None, "新宮市新町五丁目25-13", None),
    ("647-0019", "和歌山県", "新宮市", "新町５－２５－１３", None),
    ("647-0019", "和歌山県", "新宮市", "新町5ー25ー13", None),
    ("647-0019", "和歌山県", "新宮市", "新町5―25‐13", None),
    ("〒647-0019", "和歌山県", "新宮市", "新町 5-25-13", None),
    ("647-0019", "和歌山", "新宮市", "和歌山県新宮市新町5-25-13", None),
    ("６４７００１９", "和歌山県", "新宮市", "新町五丁目二十五番十三号", None),
]


def test_variants_of_one_place_share_one_key() -> None:
    keys = {
        normalise_address(l1, l2, postal_code=c, state=s, city=ci).address_key
        for c, s, ci, l1, l2 in VARIANTS_OF_ONE_PLACE
    }
    assert len(keys) == 1


def test_building_placement_and_room_forms_share_one_key() -> None:
    forms = [
        ("南土野町40-19", "ライオンズマンション409"),
        ("南土野町40番地19", "ライオンズマンション 409号室"),
        ("南土野町40-19 ライオンズマンション 409号室", None),
        ("南土野町４０－１９", "ライオンズマンション　４０９"),
        ("南土野町40-19", "ライオンズマンション #409"),
        ("南土野町40-19", "ライオンズ・マンション 409"),
    ]
    keys = {
        normalise_address(
            l1, l2, postal_code="620-0805", state="京都府", city="福知山市"
        ).address_key
        for l1, l2 in forms
    }
    assert len(keys) == 1


def test_a_redundant_koaza_does_not_split_one_place() -> None:
    # 目篠 numbers its 番地 across the whole 大字, so 字東 adds nothing.
    lines = ["目篠1285", "目篠字東1285番地", "山武郡横芝光町目篠１２８５"]
    keys = {
        normalise_address(line, postal_code="289-1722", city="山武郡横芝光町").address_key
        for line in lines
    }
    assert len(keys) == 1


def test_a_koaza_that_restarts_numbering_is_kept() -> None:
    # Japan Post says 木造豊田 restarts its 番地 in each 小字: 字長田2702 is another place.
    plain = normalise_address("木造豊田2702", postal_code="038-3111", city="つがる市")
    named = normalise_address("木造豊田字長田2702", postal_code="038-3111", city="つがる市")
    assert plain.address_problem is None and named.address_problem is None
    assert plain.address_key != named.address_key


def test_rooms_differ_but_building_is_shared() -> None:
    a = normalise_address(
        "南土野町40-19", "ライオンズマンション 409", postal_code="6200805", city="福知山市"
    )
    b = normalise_address(
        "南土野町40-19", "ライオンズマンション 410号室", postal_code="6200805", city="福知山市"
    )
    assert a.address_key != b.address_key
    assert a.building_key == b.building_key


def test_different_blocks_differ() -> None:
    a = normalise_address("新町5-25-13", postal_code="647-0019", city="新宮市")
    b = normalise_address("新町5-25-14", postal_code="647-0019", city="新宮市")
    assert a.address_key != b.address_key
    assert a.building_key != b.building_key


@pytest.mark.parametrize(
    ("code", "city", "line1", "kept"),
    [
        ("040-0083", "函館市", "八幡町5-1", "八幡町"),
        ("036-8201", "弘前市", "一番町5", "一番町"),
        ("590-0828", "堺市堺区", "八幡通二丁目17", "八幡通"),
        ("891-8221", "大島郡伊仙町", "阿三二丁目45-11", "阿三"),
        ("321-2426", "日光市", "小百五丁目34-23", "小百"),
    ],
)
def test_town_names_with_numerals_are_not_mangled(
    code: str, city: str, line1: str, kept: str
) -> None:
    result = normalise_address(line1, postal_code=code, city=city)
    assert kept in result.address_canonical
    assert kept in result.address_key


def test_variant_characters_fold_on_both_sides() -> None:
    a = normalise_address("霞が関3-2-1", postal_code="100-8905", city="千代田区")
    b = normalise_address("霞ヶ関3-2-1", postal_code="100-8905", city="千代田区")
    c = normalise_address("霞ケ関三丁目2番1号", postal_code="100-8905", city="千代田区")
    assert a.address_key == b.address_key == c.address_key


def test_assess_addresses_keeps_the_index_and_works_per_distinct_value() -> None:
    orders = pd.DataFrame(
        {
            "ship_postal_code": ["647-0019", "647-0019", None, "0000000"],
            "ship_state": ["和歌山県", "和歌山県", None, "東京都"],
            "ship_city": ["新宮市", "新宮市", None, None],
            "ship_address_1": ["新町5-25-13", "新町5-25-13", None, "どこか1"],
        },
        index=[10, 11, 12, 13],
        dtype="str",
    )
    facts = assess_addresses(orders)
    assert list(facts.index) == [10, 11, 12, 13]
    assert facts.loc[10, "address_key"] == facts.loc[11, "address_key"]
    assert pd.isna(facts.loc[10, "address_problem"])
    assert pd.isna(facts.loc[12, "address_problem"])
    assert pd.isna(facts.loc[12, "address_key"])
    assert facts.loc[13, "address_problem"] == "postcode_unknown"
    assert pd.api.types.is_string_dtype(facts["address_key"])
    assert isinstance(facts["address_problem"].dtype, pd.CategoricalDtype)


_TEXT = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.text(alphabet="0123456789０１２３-ー－〒 丁目番地号室一二三十", max_size=20),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=st.lists(st.tuples(_TEXT, _TEXT, _TEXT, _TEXT, _TEXT, _TEXT), min_size=1, max_size=8))
def test_any_input_gives_one_answer_per_order(rows: list[tuple[str | None, ...]]) -> None:
    orders = pd.DataFrame(rows, columns=list(ADDRESS_COLUMNS), dtype="str")
    orders.index = pd.Index(range(100, 100 + len(rows)))
    facts = assess_addresses(orders)
    assert list(facts.index) == list(orders.index)
    assert set(facts["address_problem"].dropna()) <= set(ADDRESS_PROBLEMS)
    tuples = orders.fillna("\x00").agg("\x1f".join, axis=1)
    assert (facts.groupby(tuples)["address_key"].nunique(dropna=False) <= 1).all()


@given(st.lists(st.text(alphabet="12aB -号室ハイツ", max_size=12), min_size=1, max_size=5))
@settings(deadline=None)
def test_building_and_room_split_like_the_single_lazy_pattern(rests: list[str]) -> None:
    import pyarrow as pa
    import pyarrow.compute as pc

    from sellerguard.address.assess import _building_and_room

    building, room = _building_and_room(pd.Series(rests, dtype="str"))
    single = pc.extract_regex(
        pa.array(rests), "^(?P<building>.*?)[ -]*(?P<room>[A-Za-z]?[0-9]+[A-Za-z]?)?(?:号室|号)?$"
    )
    assert building.tolist() == pc.struct_field(single, [0]).to_pylist()
    assert room.fillna("").tolist() == pc.struct_field(single, [1]).to_pylist()


@given(st.lists(st.text(alphabet="aZ19アイ号 \t-", max_size=10), min_size=1, max_size=6))
@settings(deadline=None)
def test_space_folding_keeps_spaces_only_between_ascii_letters_and_digits(
    values: list[str],
) -> None:
    from sellerguard.address.normalise import _fold_spaces

    text = pd.Series(values, dtype="str")
    single = text.str.replace("[ \t\r\n]+", " ", regex=True).str.strip()
    expected = single.str.replace("([^0-9A-Za-z]) | ([^0-9A-Za-z])", r"\1\2", regex=True)
    assert _fold_spaces(text).tolist() == expected.tolist()


def test_distinct_address_ids_tell_every_column_and_missing_from_empty() -> None:
    """One id per distinct six-column tuple, numbered by first appearance; NA is not ""."""
    rows = [
        ("1000001", "東京都", None, "千代田1-1", None, None),
        ("1000001", "東京都", None, "千代田1-1", "", None),  # "" is not NA
        ("1000001", "東京都", "千代田区", "千代田1-1", None, None),
        ("1000001", "東京都", None, "千代田1-1", None, None),  # as the first
        ("1000002", "東京都", None, "千代田1-1", None, None),
        (None, None, None, None, None, None),
        ("1000001", "東京都", "千代田区", "千代田1-1", None, None),  # as the third
    ]
    frame = pd.DataFrame(rows, columns=list(ADDRESS_COLUMNS), dtype="str")
    ids = _distinct_ids({column: frame[column] for column in ADDRESS_COLUMNS})
    assert ids.tolist() == [0, 1, 2, 0, 3, 4, 2]


@pytest.mark.parametrize("odd", ["\x1f", "\x00", "a\x1f", "\x00b"])
def test_distinct_address_ids_are_right_when_a_value_holds_the_joining_characters(
    odd: str,
) -> None:
    """Joined with a unit separator (NUL for NA), these two rows would read the same; the
    ids are made column by column instead."""
    rows = [
        ("1000001", "東京都", f"港区{odd}", "芝1-1", None, None),
        ("1000001", "東京都", "港区", f"{odd}芝1-1", None, None),
        ("1000001", "東京都", f"港区{odd}", "芝1-1", None, None),
        ("1000001", "東京都", "港区", None, None, None),
        ("1000001", "東京都", "港区", "", None, None),
    ]
    frame = pd.DataFrame(rows, columns=list(ADDRESS_COLUMNS), dtype="str")
    ids = _distinct_ids({column: frame[column] for column in ADDRESS_COLUMNS})
    assert ids.tolist() == [0, 1, 0, 2, 3]


@given(
    st.lists(
        st.tuples(*[st.sampled_from([None, "", "a", "b", "a\x1f", "\x1fb", "\x00"])] * 6),
        min_size=1,
        max_size=12,
    )
)
@settings(deadline=None)
def test_distinct_address_ids_number_the_tuples_by_first_appearance(
    rows: list[tuple[str | None, ...]],
) -> None:
    frame = pd.DataFrame(rows, columns=list(ADDRESS_COLUMNS), dtype="str")
    ids = _distinct_ids({column: frame[column] for column in ADDRESS_COLUMNS})
    first: dict[tuple[str | None, ...], int] = {}
    assert ids.tolist() == [first.setdefault(row, len(first)) for row in rows]


def test_join_text_is_plus_in_one_pass_and_can_leave_missing_parts_out() -> None:
    from sellerguard.address.normalise import join_text

    index = pd.RangeIndex(10, 13)
    first = pd.Series(["東京都", None, ""], index=index, dtype="str")
    second = pd.Series(["千代田区", "港区", None], index=index, dtype="str")
    plus = first + "|" + second
    joined = join_text([first, second], "|", index)
    pd.testing.assert_series_equal(joined, plus, check_names=False)
    skipped = join_text([first, second], " ", index, skip_missing=True)
    assert skipped.tolist() == ["東京都 千代田区", "港区", ""]


@pytest.mark.parametrize("dtype", ["str", "object"])
def test_factorised_uniques_become_a_text_series_with_a_range_index(dtype: str) -> None:
    from sellerguard.address.normalise import uniques_text

    values = pd.Series(["090-1", None, "03-2", "090-1", ""], index=[5, 6, 7, 8, 9], dtype=dtype)
    _, uniques = pd.factorize(values, use_na_sentinel=True)
    text = uniques_text(uniques)
    assert str(text.dtype) == "str" and isinstance(text.index, pd.RangeIndex)
    assert text.tolist() == ["090-1", "03-2", ""]
