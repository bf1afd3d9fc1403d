"""Canonical form, linking keys and deliverability of Japanese ship-to addresses.

:func:`assess_addresses` works once per distinct (postal code, state, city, line 1..3) tuple
and merges the result back onto the orders. Text is folded with
:mod:`sellerguard.address.normalise`, then compared with Japan Post's table
(:mod:`sellerguard.address.japanpost`): prefecture, city (with or without 郡, 政令市 wards
written with or without the city, former names from :mod:`sellerguard.address.renames`),
town (Kyoto street directions skipped, 字/大字 tolerated) and the presence of a block number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import numpy as np
import pandas as pd

from sellerguard.address.japanpost import PostalTable, postal_table
from sellerguard.address.normalise import (
    MARKERS,
    block_markers_to_hyphens,
    fold_place_series,
)
from sellerguard.address.renames import former_names

ADDRESS_COLUMNS: tuple[str, ...] = (
    "ship_postal_code",
    "ship_state",
    "ship_city",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
)

#: Problem codes, in the order they are reported (the first that applies wins).
ADDRESS_PROBLEMS: tuple[str, ...] = (
    "nonsense",
    "postcode_missing",
    "postcode_malformed",
    "postcode_unknown",
    "postcode_other_prefecture",
    "postcode_other_city",
    "postcode_other_town",
    "block_missing",
)

RESULT_COLUMNS: tuple[str, ...] = (
    "postal_code",
    "prefecture",
    "city",
    "town",
    "address_canonical",
    "address_key",
    "building_key",
    "address_problem",
)

PREFECTURES: tuple[str, ...] = (
    "北海道",
    "青森県",
    "岩手県",
    "宮城県",
    "秋田県",
    "山形県",
    "福島県",
    "茨城県",
    "栃木県",
    "群馬県",
    "埼玉県",
    "千葉県",
    "東京都",
    "神奈川県",
    "新潟県",
    "富山県",
    "石川県",
    "福井県",
    "山梨県",
    "長野県",
    "岐阜県",
    "静岡県",
    "愛知県",
    "三重県",
    "滋賀県",
    "京都府",
    "大阪府",
    "兵庫県",
    "奈良県",
    "和歌山県",
    "鳥取県",
    "島根県",
    "岡山県",
    "広島県",
    "山口県",
    "徳島県",
    "香川県",
    "愛媛県",
    "高知県",
    "福岡県",
    "佐賀県",
    "長崎県",
    "熊本県",
    "大分県",
    "宮崎県",
    "鹿児島県",
    "沖縄県",
)

_PREFECTURE_SHORT = {p if p == "北海道" else p[:-1]: p for p in PREFECTURES}
_PREFECTURE_NAMES = {**_PREFECTURE_SHORT, **{p: p for p in PREFECTURES}}
# Only full names are cut from the start of the text: 福井市, 京都市 start with short ones.
_PREF_PATTERN = "|".join(PREFECTURES)

_NONSENSE_WORDS = (
    r"(?i)テスト|ダミー|test|dummy|sample|xxx|ｘｘｘ|×××|\*\*\*|＊＊＊|不明|未定|なし$|無し$"
)
_HAS_KANJI_OR_DIGIT = r"[\x{3400}-\x{9FFF}\x{F900}-\x{FAFF}々〆0-9０-９]"
_KYOTO_DIRECTIONS = re.compile(r"^(?:[^0-9]{1,24}?(?:上ル|下ル|西入|東入))+")
_BLOCK_START = re.compile(r"^(?:第?[0-9]|無番地|番外地)")
_KOAZA = re.compile(r"^(?:大?字)?[^0-9]{1,16}?(?=第?[0-9]|無番地|番外地)")
_KANJI_SUFFIX = re.compile(r"^[\u3400-\u9fff々]{1,4}(?=[0-9])")
_CHOME_ONLY = re.compile(r"^[0-9]+丁目(?![0-9])(?:$|[^0-9-])")

_MARKERS_RE = tuple((re.compile(p), r) for p, r in MARKERS)

# Match ranks, best first.
_OK, _BLOCK_MISSING, _OTHER_TOWN, _OTHER_CITY = 0, 1, 2, 3


@dataclass(frozen=True)
class NormalisedAddress:
    """The facts :func:`normalise_address` gives for one address (columns of the same name)."""

    postal_code: str | None
    prefecture: str | None
    city: str | None
    town: str | None
    address_canonical: str
    address_key: str
    building_key: str
    address_problem: str | None


def normalise_address(
    line1: str | None,
    line2: str | None = None,
    line3: str | None = None,
    *,
    postal_code: str | None = None,
    state: str | None = None,
    city: str | None = None,
) -> NormalisedAddress:
    """Normalise and check one address (the same code path as :func:`assess_addresses`).

    Parameters
    ----------
    line1, line2, line3
        ``ship-address-1..3`` as typed.
    postal_code, state, city
        ``ship-postal-code``, ``ship-state``, ``ship-city`` as typed.

    Returns
    -------
    NormalisedAddress
        Canonical form, linking keys, Japan Post names and the problem (``None`` when fine).
    """
    frame = pd.DataFrame(
        {
            "ship_postal_code": [postal_code],
            "ship_state": [state],
            "ship_city": [city],
            "ship_address_1": [line1],
            "ship_address_2": [line2],
            "ship_address_3": [line3],
        },
        dtype="str",
    )
    row = assess_addresses(frame).iloc[0]

    def text(value: object) -> str | None:
        return None if pd.isna(value) else str(value)  # type: ignore[call-overload]

    return NormalisedAddress(
        postal_code=text(row["postal_code"]),
        prefecture=text(row["prefecture"]),
        city=text(row["city"]),
        town=text(row["town"]),
        address_canonical=str(row["address_canonical"]),
        address_key=str(row["address_key"]),
        building_key=str(row["building_key"]),
        address_problem=text(row["address_problem"]),
    )


def assess_addresses(orders: pd.DataFrame) -> pd.DataFrame:
    """Normalise and check the ship-to address of every order, once per distinct address.

    Parameters
    ----------
    orders
        Any frame with (some of) the canonical columns ``ship_postal_code``, ``ship_state``,
        ``ship_city``, ``ship_address_1..3``; missing columns count as empty.

    Returns
    -------
    pandas.DataFrame
        Same index as ``orders`` with ``postal_code``, ``prefecture``, ``city``, ``town``,
        ``address_canonical``, ``address_key``, ``building_key`` (``str``) and
        ``address_problem`` (categorical of :data:`ADDRESS_PROBLEMS`, NA when fine).
    """
    parts = {
        c: (
            orders[c].astype("str")
            if c in orders.columns
            else pd.Series(pd.NA, index=orders.index, dtype="str")
        )
        for c in ADDRESS_COLUMNS
    }
    joined = parts[ADDRESS_COLUMNS[0]].fillna("\x00")
    for column in ADDRESS_COLUMNS[1:]:
        joined = joined + "\x1f" + parts[column].fillna("\x00")
    codes, _ = pd.factorize(joined)
    first = np.unique(codes, return_index=True)[1]
    distinct = pd.DataFrame({c: parts[c].iloc[first].to_numpy() for c in ADDRESS_COLUMNS})
    distinct = distinct.astype("str")
    facts = _assess_distinct(distinct, postal_table())
    result = facts.iloc[codes].set_axis(orders.index)
    result["address_problem"] = pd.Categorical(
        result["address_problem"], categories=list(ADDRESS_PROBLEMS)
    )
    return result


def _digits_postcode(raw: pd.Series, by_code: pd.DataFrame) -> tuple[pd.Series, pd.Series]:
    """Return (7-digit code or NA, problem or NA) for typed postal codes."""
    text = raw.str.normalize("NFKC").str.replace(r"[\s〒]|^(?:郵便番号|〒)", "", regex=True)
    text = text.str.replace(r"[-ー―‐−–—]", "", regex=True)
    missing = text.isna() | (text == "")
    digits_only = text.str.fullmatch(r"[0-9]+").fillna(False)
    padded = ("0" + text).where(text.str.len() == 6, text)
    code = padded.where(digits_only & (padded.str.len() == 7))
    problem = pd.Series(pd.NA, index=raw.index, dtype="str")
    problem = problem.mask(code.isna(), "postcode_malformed")
    found = by_code["prefecture"].reindex(code.fillna("")).notna().to_numpy()
    unknown = code.notna() & ~found
    six = text.str.len() == 6
    problem = problem.mask(unknown & six.fillna(False), "postcode_malformed")
    problem = problem.mask(unknown & ~six.fillna(False), "postcode_unknown")
    problem = problem.mask(missing, "postcode_missing")
    return code.where(problem.isna()), problem


@cache
def _city_variants(prefecture: str, city: str) -> tuple[str, ...]:
    """Ways people write one Japan Post city: with/without 郡, ward alone, former names."""
    names = [city, *former_names(prefecture, city)]
    variants: list[str] = []
    for name in names:
        variants.append(name)
        county = re.match(r"^(.+?郡)(.+)$", name)
        if county:
            variants.append(county.group(2))
        ward = re.match(r"^(.+?市)(.+区)$", name)
        if ward:
            variants.extend([ward.group(2), ward.group(1)])
    folded = fold_place_series(pd.Series(variants, dtype="str")).tolist()
    unique = sorted({v for v in folded if v}, key=len, reverse=True)
    return tuple(unique)


@cache
def _all_city_names() -> re.Pattern[str]:
    table = postal_table().towns[["prefecture", "city"]].drop_duplicates()
    names: set[str] = set()
    for pref, city in zip(table["prefecture"].tolist(), table["city"].tolist(), strict=True):
        names.update(_city_variants(pref, city))
    ordered = sorted(names, key=len, reverse=True)
    return re.compile("^(?:" + "|".join(re.escape(n) for n in ordered) + ")")


def _strip_city(text: str, variants: tuple[str, ...]) -> tuple[bool, str]:
    for variant in variants:
        if text.startswith(variant):
            rest = text[len(variant) :]
            for again in variants:
                if rest.startswith(again):
                    return True, rest[len(again) :]
            return True, rest
    return False, text


def _after_town(rest: str, town_key: str, kyoto: bool) -> str | None:
    """Return the text after the town, or None when the town is not there."""
    if rest.startswith(town_key):
        return rest[len(town_key) :]
    if kyoto:
        directions = _KYOTO_DIRECTIONS.match(rest)
        if directions:
            tail = rest[directions.end() :]
            if tail.startswith(town_key):
                return tail[len(town_key) :]
    for prefix in ("大字", "字"):
        if rest.startswith(prefix) and rest[len(prefix) :].startswith(town_key):
            return rest[len(prefix) + len(town_key) :]
    return None


def _has_block(tail: str, koaza: bool, whole_city: bool, chome: bool) -> int:
    """Rank what follows the town: a block number, an invented town suffix, or nothing."""
    if chome and _CHOME_ONLY.match(tail):
        return _BLOCK_MISSING
    if _BLOCK_START.match(tail):
        return _OK
    if not any(c.isdigit() for c in tail) and "無番地" not in tail:
        return _BLOCK_MISSING
    if whole_city or koaza or tail.startswith("字") or tail.startswith("大字"):
        return _OK if _KOAZA.match(tail) else _BLOCK_MISSING
    if _KANJI_SUFFIX.match(tail):
        return _OTHER_TOWN
    return _BLOCK_MISSING


def _office_rank(tail: str, block: str) -> int:
    """An office code names one block: the typed block must agree with Japan Post's."""
    place = re.match(r"^[^0-9]*", block)
    lead = place.group(0) if place else ""
    if not tail.startswith(lead):
        return _OTHER_TOWN
    typed = re.match(r"^[0-9]+(?:-[0-9]+)*", _hyphenate(tail[len(lead) :]))
    if typed is None:
        return _BLOCK_MISSING
    typed_parts = typed.group(0).split("-")
    office_parts = block[len(lead) :].split("-")
    n = min(len(typed_parts), len(office_parts))
    return _OK if typed_parts[:n] == office_parts[:n] else _OTHER_TOWN


def _hyphenate(text: str) -> str:
    for pattern, replacement in _MARKERS_RE:
        text = pattern.sub(replacement, text)
    return re.sub(r"-+", "-", text)


def _match_candidates(cands: pd.DataFrame) -> tuple[list[int], list[str], list[bool]]:
    """Rank each (address, Japan Post row) pair; return ranks, text after town, city typed."""
    ranks: list[int] = []
    tails: list[str] = []
    typed: list[bool] = []
    rows = zip(
        cands["text"].tolist(),
        cands["has_lines"].tolist(),
        cands["jp_prefecture"].tolist(),
        cands["jp_city"].tolist(),
        cands["town_key"].tolist(),
        cands["koaza"].tolist(),
        cands["chome"].tolist(),
        cands["kind"].tolist(),
        cands["block"].tolist(),
        strict=True,
    )
    for text, has_lines, pref, city, town_key, koaza, chome, kind, block in rows:
        variants = _city_variants(pref, city)
        city_typed, rest = _strip_city(text, variants)
        typed.append(city_typed)
        if not has_lines:
            ranks.append(_OK if city_typed or not rest else _OTHER_CITY)
            tails.append("")
            continue
        kyoto = city.startswith("京都市")
        whole_city = town_key == "" or town_key in variants
        tail = rest if town_key == "" else _after_town(rest, town_key, kyoto)
        if tail is None and whole_city:
            tail = rest
        if tail is None:
            if kyoto and (directions := _KYOTO_DIRECTIONS.match(rest)):
                tail, whole_city = rest[directions.end() :], True
            else:
                tails.append(rest)
                if not city_typed and _all_city_names().match(rest):
                    ranks.append(_OTHER_CITY)
                else:
                    ranks.append(_OTHER_TOWN)
                continue
        if kind != "area" and block:
            rank = _office_rank(tail, block)
        else:
            rank = _has_block(tail, koaza, whole_city, chome)
            if rank == _BLOCK_MISSING and town_key.endswith("無番地"):
                rank = _OK
        ranks.append(rank)
        tails.append(tail)
    return ranks, tails, typed


def _nonsense(lines: pd.Series) -> pd.Series:
    """Lines with nothing an address needs: no kanji and no digit, dummy words, one char."""
    text = lines.str.replace(r"\s+", "", regex=True).fillna("")
    no_substance = ~text.str.contains(_HAS_KANJI_OR_DIGIT, regex=True)
    dummy = text.str.contains(_NONSENSE_WORDS, regex=True)
    one_char = pd.Series([len(set(v)) <= 1 for v in text.tolist()], index=lines.index)
    return (text != "") & (no_substance | dummy | one_char)


def _lookup(column: pd.Series, code: pd.Series) -> pd.Series:
    """Look ``code`` up in a column indexed by postal code (NA for NA or unknown codes)."""
    values = column.reindex(code.fillna("")).to_numpy()
    return pd.Series(values, index=code.index, dtype="str").where(code.notna())


def _assess_distinct(distinct: pd.DataFrame, table: PostalTable) -> pd.DataFrame:
    """Assess each row of a frame of distinct address tuples (RangeIndex)."""
    n = len(distinct)
    index = distinct.index
    lines = (
        distinct["ship_address_1"].fillna("")
        + " "
        + distinct["ship_address_2"].fillna("")
        + " "
        + distinct["ship_address_3"].fillna("")
    ).str.strip()
    has_lines = lines != ""
    anything = has_lines | distinct[["ship_postal_code", "ship_state", "ship_city"]].notna().any(
        axis=1
    )
    code, problem = _digits_postcode(distinct["ship_postal_code"], table.by_code)

    state = fold_place_series(distinct["ship_state"])
    typed_pref = state.map(_PREFECTURE_NAMES).astype("str")

    towns = table.towns
    jp_pref = _lookup(table.by_code["prefecture"], code)
    lead = rf"^\s*(?:{_PREF_PATTERN})\s*"
    city_field = distinct["ship_city"].fillna("").str.strip()
    pref_written = city_field.str.extract(f"({lead})", expand=False).fillna("")
    pref_written = pref_written.where(
        pref_written != "", lines.str.extract(f"({lead})", expand=False)
    )
    city_field = city_field.str.replace(lead, "", regex=True)
    clean_lines = lines.str.replace(lead, "", regex=True)
    text = fold_place_series(city_field + clean_lines, typed_pref.fillna(jp_pref)).fillna("")
    text = text.str.replace(f"^(?:{_PREF_PATTERN})+", "", regex=True)
    pref_in_text = pref_written.str.strip()
    typed_pref = typed_pref.fillna(pref_in_text.map(_PREFECTURE_NAMES).astype("str"))

    problem = problem.mask(_nonsense(lines), "nonsense")
    problem = problem.mask(~anything, pd.NA)
    other_pref = code.notna() & typed_pref.notna() & (typed_pref != jp_pref)
    problem = problem.mask(problem.isna() & other_pref, "postcode_other_prefecture")

    check = problem.isna() & code.notna()
    subject = pd.DataFrame(
        {
            "id": index[check],
            "postal_code": code[check],
            "text": text[check],
            "has_lines": has_lines[check],
        }
    )
    cands = subject.merge(
        towns.rename(columns={"prefecture": "jp_prefecture", "city": "jp_city"}),
        on="postal_code",
        how="inner",
    )
    ranks, tails, _typed = _match_candidates(cands)
    cands = cands.assign(rank=ranks, tail=pd.Series(tails, index=cands.index, dtype="str"))
    best = cands.sort_values(["id", "rank"], kind="stable").drop_duplicates("id")
    best = best.set_index("id")
    rank = best["rank"].reindex(index)
    problem = problem.mask(rank == _OTHER_CITY, "postcode_other_city")
    problem = problem.mask(rank == _OTHER_TOWN, "postcode_other_town")
    problem = problem.mask(rank == _BLOCK_MISSING, "block_missing")

    matched = rank.notna() & (rank < _OTHER_TOWN)
    jp_city = best["jp_city"].reindex(index).where(matched)
    jp_town = best["town"].reindex(index).where(matched)
    jp_town_key = best["town_key"].reindex(index).where(matched).fillna("")
    tail = best["tail"].reindex(index).where(matched)
    tail = tail.fillna(text)
    city_key = fold_place_series(jp_city.fillna("")).fillna("")

    parts = _split_block(tail)
    place = city_key + jp_town_key + parts["place"]
    address_key = place + "|" + parts["block"] + "|" + parts["building"] + "|" + parts["room"]
    building_key = place + "|" + parts["block"] + "|" + parts["building"]
    pref_out = jp_pref.where(code.notna(), typed_pref)
    canonical = (
        pref_out.fillna("")
        + jp_city.fillna("")
        + jp_town.fillna("")
        + parts["place"]
        + parts["block"]
        + (" " + parts["building"]).where(parts["building"] != "", "")
        + (" " + parts["room"]).where(parts["room"] != "", "")
    ).str.strip()
    address_key = address_key.where(anything)
    building_key = building_key.where(anything)
    canonical = canonical.where(anything)
    city_out = jp_city.fillna(_lookup(table.by_code["city"], code))
    result = pd.DataFrame(
        {
            "postal_code": code,
            "prefecture": pref_out,
            "city": city_out,
            "town": jp_town,
            "address_canonical": canonical,
            "address_key": address_key,
            "building_key": building_key,
            "address_problem": problem,
        },
        index=index,
    )
    assert len(result) == n
    return result.astype("str")


def _split_block(tail: pd.Series) -> pd.DataFrame:
    """Split the text after the town into place words, block, building and room."""
    hyphenated = block_markers_to_hyphens(tail.fillna(""))
    hyphenated = hyphenated.str.replace(r"(?:#|No\.?|№)", " ", regex=True)
    pieces = hyphenated.str.extract(
        r"^(?P<place>[^0-9]*?)(?P<block>(?:第)?[0-9]+(?:-[0-9]+)*)?-?(?P<tail>.*)$"
    )
    place = (
        pieces["place"]
        .fillna("")
        .str.replace(r"^(?:上ル|下ル|西入|東入|[^0-9])*?(?:上ル|下ル|西入|東入)", "", regex=True)
    )
    block = pieces["block"].fillna("").str.replace("第", "", regex=False)
    rest = pieces["tail"].fillna("").str.strip(" -")
    room_parts = rest.str.extract(
        r"^(?P<building>.*?)[\s-]*(?P<room>[A-Za-z]?[0-9]+[A-Za-z]?)?(?:号室|号)?$"
    )
    building = room_parts["building"].fillna("").str.replace(r"[\s-]+$", "", regex=True)
    building = building.str.replace(" ", "", regex=False)
    room = room_parts["room"].fillna("")
    numbers = block.str.split("-")
    extra_room = [p[3] if len(p) > 3 else "" for p in numbers.tolist()]
    block = pd.Series(["-".join(p[:3]) for p in numbers.tolist()], index=tail.index, dtype="str")
    extra = pd.Series(extra_room, index=tail.index, dtype="str")
    room = room.where(room != "", extra)
    return pd.DataFrame(
        {"place": place, "block": block, "building": building, "room": room},
        index=tail.index,
    ).astype("str")
