"""Canonical form, linking keys and deliverability of Japanese ship-to addresses.

:func:`assess_addresses` works once per distinct (postal code, state, city, line 1..3) tuple
and merges the result back onto the orders. Text is folded with
:mod:`sellerguard.address.normalise` (the same folding is applied to Japan Post's names),
then split into the *place* (city, town, Kyoto street directions, 字) and what follows the
first block number. Each distinct (postal code, place) is compared once with the code's
rows in Japan Post's table (:mod:`sellerguard.address.japanpost`): the city may be written
in full, without its 郡, as a 政令市 ward alone or the city alone, under a former name
(:mod:`sellerguard.address.renames`), or left out; the town must follow, possibly after
Kyoto directions or with a 小字; then a block number must come (or 無番地). Office codes
must carry their office's block.

Linking keys are ``place|block|building|room`` strings: the place is Japan Post's city and
town (folded) when the address matches its code, else the typed place; the block is up to
three numbers (``5-25-13``); the building drops spaces and middle dots; the room is the
number after the building, after ``#`` or before ``号室``, or a fourth block number.
``building_key`` is the same without the room.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.compute as pc
from pandas.api.extensions import ExtensionArray

from sellerguard.address.japanpost import PostalTable, postal_table
from sellerguard.address.normalise import (
    block_markers_to_hyphens,
    character_tables,
    combine_codes,
    dense_codes,
    extract_groups,
    fold_place_series,
    join_text,
    nfkc,
    spread_frame,
    str_series,
    uniques_text,
)
from sellerguard.address.normalise import codes as column_codes  # ``codes`` names locals here
from sellerguard.address.renames import former_names
from sellerguard.exports.values import count_byte, first_appearances
from sellerguard.parallel import assess_in_chunks, side_by_side

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
_KANJI_CHARS = "\u3400-\u9fff\uf900-\ufaff々〆"
_HAS_KANJI_OR_DIGIT = f"[{_KANJI_CHARS}0-9０-９]"
_JAPANESE_LETTER = f"[ぁ-ゖァ-ヺｦ-ﾟ{_KANJI_CHARS}]"
_KYOTO_DIRECTIONS = re.compile(r"^(?:[^0-9]{1,24}?(?:上ル|下ル|西入|東入))+")


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
    address_key: str | None
    building_key: str | None
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
        address_key=text(row["address_key"]),
        building_key=text(row["building_key"]),
        address_problem=text(row["address_problem"]),
    )


def load_reference_data() -> None:
    """Load the Japan Post table and the place index the checks use (once per process).

    ``assess_addresses`` does this itself; a caller with time to spare (the scan command
    while it reads, the dashboard at start) can do it earlier, in a thread. Wait for that
    thread before calling ``assess_addresses``. The compiled passes are loaded by
    ``sellerguard.jit.warm_up``.
    """
    _places(postal_table())


def assess_addresses(orders: pd.DataFrame) -> pd.DataFrame:
    """Normalise and check the ship-to address of every order, once per distinct address.

    Parameters
    ----------
    orders
        Any frame with (some of) the canonical columns ``ship_postal_code``, ``ship_state``,
        ``ship_city``, ``ship_address_1..3``; missing columns count as empty. Rows whose
        ``ship_country`` is given and is not Japan get no ``address_problem``.

    Returns
    -------
    pandas.DataFrame
        Same index as ``orders`` with ``postal_code``, ``prefecture``, ``city``, ``town``,
        ``address_canonical``, ``address_key``, ``building_key`` (``str``),
        ``address_problem`` (categorical of :data:`ADDRESS_PROBLEMS`, NA when fine), and
        integer codes (-1 for none): ``address_code`` of the ``address_key``,
        ``raw_address_code`` of the address lines as typed (``ship_address_1`` and ``_2``;
        -1 without line 1), ``prefecture_code`` of the prefecture (else ``ship_state`` as
        typed) and ``coarse_code`` of the pair postal code and ``ship_city``. The codes are
        ``codes()`` of the order-level columns, found once per distinct address: the same
        numbers, without hashing the text again.
    """
    parts = {
        c: (
            orders[c].astype("str")
            if c in orders.columns
            else pd.Series(pd.NA, index=orders.index, dtype="str")
        )
        for c in ADDRESS_COLUMNS
    }
    ids = _distinct_ids(parts)
    first = first_appearances(ids)  # ids are numbered in order of first appearance
    distinct = pd.DataFrame(
        {c: parts[c].take(first).reset_index(drop=True) for c in ADDRESS_COLUMNS}
    ).astype("str")
    load_reference_data()  # once, before the threads that share it
    facts = assess_in_chunks(_assess_chunk, distinct)
    dtype = pd.CategoricalDtype(list(ADDRESS_PROBLEMS))
    problem: np.ndarray[Any, Any] = pd.Categorical(facts["address_problem"], dtype=dtype).codes
    problem = problem[ids]
    if "ship_country" in orders.columns:
        country = orders["ship_country"].astype("str").str.strip().str.upper()
        abroad = country.notna() & (country != "") & ~country.isin(list(_JAPAN))
        problem = np.where(abroad.to_numpy(dtype=bool), -1, problem)

    def distinct_codes() -> dict[str, np.ndarray[Any, Any]]:
        # Distinct addresses are numbered by first appearance, so a value's first appearance
        # among them is its first appearance among the orders: these codes, spread by id,
        # are the codes of the order-level columns.
        raw = combine_codes(*(column_codes(distinct[f"ship_address_{n}"]) for n in (1, 2)))
        raw[distinct["ship_address_1"].isna().to_numpy()] = -1
        return {
            "address_code": column_codes(facts["address_key"]),
            "raw_address_code": raw,
            "prefecture_code": column_codes(facts["prefecture"].fillna(distinct["ship_state"])),
            "coarse_code": combine_codes(
                column_codes(facts["postal_code"]), column_codes(distinct["ship_city"])
            ),
        }

    result, found = side_by_side(
        lambda: spread_frame(facts.drop(columns="address_problem"), ids, orders.index),
        distinct_codes,
        rows=len(ids),
    )
    result["address_problem"] = pd.Categorical.from_codes(problem, dtype=dtype)
    for name, values in found.items():
        result[name] = values[ids]
    return result


#: ``ship-country`` values that mean Japan; addresses abroad are not checked against Japan Post.
_JAPAN = frozenset({"JP", "JPN", "JAPAN", "日本"})


def _distinct_ids(parts: dict[str, pd.Series]) -> np.ndarray[Any, Any]:
    """An id per row that is equal exactly when the six address columns are (NA ≠ "").

    Ids are numbered in order of first appearance. The columns are joined into one text per
    row with control characters typed text does not contain (a unit separator between them,
    NUL for a missing value) and dictionary-encoded once: one hash per row, not one per
    column. When the joined text holds more of either character than the joining put there,
    some value contained one; then each column is encoded on its own instead.
    """
    arrays = [pa.array(parts[column].array).cast(pa.large_string()) for column in ADDRESS_COLUMNS]
    joined = pc.binary_join_element_wise(
        *arrays,
        pa.scalar(_SEPARATOR, pa.large_string()),
        null_handling="replace",
        null_replacement=_MISSING,
    )
    chunks = joined.chunks if isinstance(joined, pa.ChunkedArray) else [joined]
    separators = sum(_count_byte(chunk, ord(_SEPARATOR)) for chunk in chunks)
    missing = sum(_count_byte(chunk, ord(_MISSING)) for chunk in chunks)
    if separators != len(joined) * (len(arrays) - 1) or missing != sum(
        values.null_count for values in arrays
    ):
        return _distinct_ids_by_column(arrays)
    encoded = pc.dictionary_encode(joined)
    indices = encoded.indices if isinstance(encoded, pa.DictionaryArray) else encoded
    ids: np.ndarray[Any, Any] = indices.to_numpy(zero_copy_only=False).astype(np.int64)
    return ids


#: What ``_distinct_ids`` joins the address columns with, and writes for a missing value.
_SEPARATOR = "\x1f"
_MISSING = "\x00"


def _count_byte(text: pa.Array, byte: int) -> int:
    """How often ``byte`` occurs in the values of a (large) string array."""
    offsets = np.frombuffer(text.buffers()[1], dtype=np.int64)
    data = np.frombuffer(text.buffers()[2], dtype=np.uint8)
    return count_byte(data[offsets[text.offset] : offsets[text.offset + len(text)]], byte)


def _distinct_ids_by_column(
    arrays: list[pa.Array | pa.ChunkedArray],
) -> np.ndarray[Any, Any]:
    """``_distinct_ids`` column by column: each dictionary-encoded, the codes combined."""
    ids: np.ndarray[Any, Any] | None = None
    for values in arrays:
        if values.null_count == len(values) and ids is not None:
            continue  # the same value on every row tells no two rows apart
        encoded = pc.dictionary_encode(values, null_encoding="encode")
        codes = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
        ids = codes if ids is None else combine_codes(ids, codes)
    assert ids is not None  # ADDRESS_COLUMNS is not empty
    return ids


def _assess_chunk(distinct: pd.DataFrame) -> pd.DataFrame:
    """:func:`_assess_distinct` against the process's Japan Post table."""
    return _assess_distinct(distinct, postal_table())


def _digits_postcode(
    raw: pd.Series, table: PostalTable
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Read typed postal codes, once per distinct value.

    Returns the 7-digit code (NA when unusable), the problem (NA when the code is known),
    and Japan Post's prefecture and city of the code.
    """
    codes, uniques = pd.factorize(raw, use_na_sentinel=True)
    typed = uniques_text(uniques)
    text = nfkc(typed).str.replace("[ \t〒]|^郵便番号", "", regex=True)
    text = text.str.replace("[-ー―‐−–—]", "", regex=True)
    digits_only = text.str.fullmatch("[0-9]+").fillna(False)
    six = (text.str.len() == 6).fillna(False)
    padded = ("0" + text).where(six, text)
    code = padded.where(digits_only & (padded.str.len() == 7))
    by_code = table.by_code
    position = _code_rows(postal_numbers(code), _places(table))
    found = position >= 0
    problem = pd.Series(pd.NA, index=typed.index, dtype="str")
    problem = problem.mask(code.isna(), "postcode_malformed")
    unknown = code.notna() & ~found
    problem = problem.mask(unknown & six, "postcode_malformed")
    problem = problem.mask(unknown & ~six, "postcode_unknown")
    problem = problem.mask(text == "", "postcode_missing")
    code = code.where(problem.isna())

    def per_row(values: ExtensionArray) -> pd.Series:
        return pd.Series(values.take(codes, allow_fill=True), index=raw.index)

    return (
        per_row(code.array),
        per_row(problem.array).mask(codes < 0, "postcode_missing"),
        per_row(by_code["prefecture"].array.take(position, allow_fill=True)),
        per_row(by_code["city"].array.take(position, allow_fill=True)),
    )


@dataclass(frozen=True)
class _Places:
    """City spellings derived from Japan Post's table, built once per table."""

    #: Japan Post city → its folded spellings, longest first.
    spellings: dict[str, tuple[str, ...]]
    #: Every folded spelling of every city, and their lengths (longest first).
    everything: frozenset[str]
    lengths: tuple[int, ...]
    #: ``nth_spelling[i]`` maps a city to its i-th spelling (for vectorised comparisons).
    nth_spelling: tuple[dict[str, str], ...]
    #: Postal code → (city, town key) of its towns whose names hold digits (象潟町5丁目塩越).
    digit_towns: dict[str, tuple[tuple[str, str], ...]]
    #: Japan Post's towns for matching: ``postal_number`` (the code as an integer) added,
    #: prefecture and city renamed ``jp_prefecture`` / ``jp_city``.
    towns: pd.DataFrame
    #: The table's ``by_code`` index as sorted integers, and each one's row in ``by_code``.
    code_numbers: np.ndarray[Any, Any]
    code_rows: np.ndarray[Any, Any]

    @property
    def most_spellings(self) -> int:
        """The largest number of spellings of one city."""
        return len(self.nth_spelling)


_PLACES: dict[int, _Places] = {}


def city_spellings(prefecture: str, city: str) -> list[str]:
    """Ways people write one Japan Post city (unfolded).

    As is; without the 郡 (``中標津町``); for a 政令市 ward the ward alone (``港北区``) or the
    city alone (``横浜市``); and former names from :mod:`sellerguard.address.renames`.
    """
    spellings: list[str] = []
    for name in [city, *former_names(prefecture, city)]:
        spellings.append(name)
        county = re.match(r"^(.+?郡)(.+)$", name)
        if county:
            spellings.append(county.group(2))
        ward = re.match(r"^(.+?市)(.+区)$", name)
        if ward:
            spellings.extend([ward.group(2), ward.group(1)])
    return spellings


def postal_numbers(codes: pd.Series) -> np.ndarray[Any, Any]:
    """Seven-digit postal codes (ASCII digits, or NA) as integers, -1 for NA: joins and
    look-ups on integers, without making a Python string per value."""
    numbers = pc.cast(pa.array(codes.array), pa.int64())
    return np.asarray(numbers.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int64)


def _code_rows(numbers: np.ndarray[Any, Any], places: _Places) -> np.ndarray[Any, Any]:
    """Each postal number's row in the table's ``by_code`` (-1 when it is not there)."""
    known = places.code_numbers
    if not len(known):
        return np.full(len(numbers), -1, dtype=np.int64)
    at = np.minimum(np.searchsorted(known, numbers), len(known) - 1)
    hit = (numbers >= 0) & (known[at] == numbers)
    return np.where(hit, places.code_rows[at], -1)


def _places(table: PostalTable) -> _Places:
    key = id(table.towns)
    if key not in _PLACES:
        cities = table.towns[["prefecture", "city"]].drop_duplicates()
        owners: list[str] = []
        names: list[str] = []
        for pref, city in zip(cities["prefecture"].tolist(), cities["city"].tolist(), strict=True):
            found = city_spellings(pref, city)
            owners.extend([city] * len(found))
            names.extend(found)
        folded = fold_place_series(pd.Series(names, dtype="str")).fillna("").tolist()
        spellings: dict[str, set[str]] = {}
        for owner, name in zip(owners, folded, strict=True):
            if name:
                spellings.setdefault(owner, set()).add(name)
        ordered = {c: tuple(sorted(v, key=len, reverse=True)) for c, v in spellings.items()}
        everything = frozenset(n for n in folded if n)
        lengths = tuple(sorted({len(n) for n in everything}, reverse=True))
        most = max(len(v) for v in ordered.values())
        nth = tuple({c: v[i] for c, v in ordered.items() if len(v) > i} for i in range(most))
        towns = table.towns
        numbered = towns[towns["town_key"].str.contains("[0-9]", regex=True)]
        digit_towns: dict[str, list[tuple[str, str]]] = {}
        for code, city, town in zip(
            numbered["postal_code"].tolist(),
            numbered["city"].tolist(),
            numbered["town_key"].tolist(),
            strict=True,
        ):
            digit_towns.setdefault(code, []).append((city, town))
        numbers = postal_numbers(table.by_code.index.to_series())
        rows = np.argsort(numbers, kind="stable")
        _PLACES[key] = _Places(
            spellings=ordered,
            everything=everything,
            lengths=lengths,
            nth_spelling=nth,
            digit_towns={c: tuple(v) for c, v in digit_towns.items()},
            towns=towns.rename(columns={"prefecture": "jp_prefecture", "city": "jp_city"}).assign(
                postal_number=postal_numbers(towns["postal_code"])
            ),
            code_numbers=numbers[rows],
            code_rows=rows,
        )
    return _PLACES[key]


# Status of a typed place (city + town, before the block number) against one Japan Post row.
_TOWN_OK, _LENIENT, _MUBANCHI, _SUFFIX, _JUNK, _NO_TOWN, _NO_CITY = range(7)
_KANJI_ONLY = re.compile(f"^[{_KANJI_CHARS}]{{1,4}}$")


def _leftover_status(leftover: str, koaza: bool) -> int:
    """What follows the town name before the block number."""
    if leftover in ("", "第"):
        return _TOWN_OK
    if "無番地" in leftover or "番外地" in leftover:
        return _MUBANCHI
    if koaza or leftover.startswith("字") or leftover.startswith("大字"):
        return _LENIENT
    if _KANJI_ONLY.match(leftover.removesuffix("第")):
        return _SUFFIX
    return _JUNK


def _match_place(
    prefix: str,
    spellings: tuple[str, ...],
    town_key: str,
    koaza: bool,
    places: _Places,
    kyoto: bool,
) -> tuple[int, str, bool]:
    """Match a typed place with one Japan Post row: (status, text after the town, city typed)."""
    rest, city_typed = prefix, False
    for spelling in spellings:
        if rest.startswith(spelling):
            rest, city_typed = rest[len(spelling) :], True
            for again in spellings:
                if rest.startswith(again):
                    rest = rest[len(again) :]
                    break
            break
    if rest.startswith("大字"):
        rest = rest[2:]
    elif rest.startswith("字"):
        rest = rest[1:]
    if town_key == "" or (town_key in spellings and not rest.startswith(town_key)):
        return (_MUBANCHI if "無番地" in rest else _LENIENT), rest, city_typed
    if rest.startswith(town_key):
        leftover = rest[len(town_key) :]
        return _leftover_status(leftover, koaza), leftover, city_typed
    if kyoto:
        directions = _KYOTO_DIRECTIONS.match(rest)
        if directions:
            after = rest[directions.end() :]
            if after.startswith(town_key):
                leftover = after[len(town_key) :]
                return _leftover_status(leftover, koaza), leftover, city_typed
            return _LENIENT, after, city_typed
    if not city_typed and any(rest[:n] in places.everything for n in places.lengths):
        return _NO_CITY, rest, city_typed
    return _NO_TOWN, rest, city_typed


def _match_places(keys: pd.DataFrame, table: PostalTable) -> pd.DataFrame:
    """Best Japan Post row for each distinct (postal code, typed place); one row per key id."""
    places = _places(table)
    cands = keys.merge(places.towns, on="postal_number", how="inner")
    n = len(cands)
    status = np.full(n, -1, dtype=np.int64)
    typed = np.zeros(n, dtype=bool)
    leftover = np.full(n, "", dtype=object)
    # Fast path: the place is exactly (one spelling of the city or nothing) + the town.
    prefix, town_key = cands["prefix"], cands["town_key"]
    named = (town_key != "").to_numpy(dtype=bool)
    exact = named & (prefix == town_key).to_numpy(dtype=bool)
    status[exact] = _TOWN_OK
    city_codes, cities = pd.factorize(cands["jp_city"], use_na_sentinel=True)
    for i in range(places.most_spellings):
        open_rows = np.flatnonzero(named & (status < 0))
        if not len(open_rows):
            break
        nth = pd.Series(cities).map(places.nth_spelling[i]).array
        spelling = pd.Series(
            nth.take(city_codes[open_rows], allow_fill=True), index=cands.index[open_rows]
        ).fillna("\x00")
        same = prefix.take(open_rows) == spelling + town_key.take(open_rows)
        hit = open_rows[same.to_numpy(dtype=bool)]
        status[hit] = _TOWN_OK
        typed[hit] = True
    key_ids = cands["key_id"].to_numpy()
    solved = np.zeros(int(key_ids.max()) + 1 if n else 0, dtype=bool)
    solved[key_ids[status >= 0]] = True
    status[(status < 0) & solved[key_ids]] = _NO_TOWN
    slow = np.flatnonzero(status < 0)
    if len(slow):
        spellings = places.spellings
        # Only the rows left over become Python strings (a tenth of the candidates).
        rows = zip(
            prefix.take(slow).tolist(),
            cands["jp_city"].take(slow).tolist(),
            town_key.take(slow).tolist(),
            cands["koaza"].to_numpy(dtype=bool)[slow].tolist(),
            strict=True,
        )
        found = [
            _match_place(p, spellings.get(c, ()), k, z, places, c.startswith("京都市"))
            for p, c, k, z in rows
        ]
        status[slow] = [f[0] for f in found]
        leftover[slow] = [f[1] for f in found]
        typed[slow] = [f[2] for f in found]
    cands = cands.assign(
        status=status,
        leftover=pd.Series(leftover, index=cands.index, dtype="str"),
        city_typed=typed,
        office=cands["kind"] != "area",
    )
    best = cands.sort_values(["key_id", "status", "office"], kind="stable")
    return best.drop_duplicates("key_id").set_index("key_id")


def _office_ranks(tails: list[str], blocks: list[str]) -> list[int]:
    """An office code names one block: the typed block must agree with Japan Post's.

    An office listed without a banchi is found by its code alone; one listed with words
    only (``大浜``) must have those words after the town. ``tails`` is what follows the
    town as typed, ``blocks`` the office's block in Japan Post's table.
    """
    ranks = [_OK] * len(tails)
    numbered: list[tuple[int, str, str]] = []  # (row, typed after the words, office numbers)
    for row, (tail, block) in enumerate(zip(tails, blocks, strict=True)):
        if not block:
            continue
        if not any(c.isdigit() for c in block):
            ranks[row] = _OK if tail.startswith(block) else _OTHER_TOWN
            continue
        place = re.match(r"^[^0-9]*", block)
        lead = place.group(0) if place else ""
        if not tail.startswith(lead):
            ranks[row] = _OTHER_TOWN
            continue
        numbered.append((row, tail[len(lead) :], block[len(lead) :]))
    if not numbered:
        return ranks
    # The typed numbers' markers (2丁目3番) become hyphens in one pass over all of them.
    hyphenated = block_markers_to_hyphens(pd.Series([n[1] for n in numbered], dtype="str"))
    for (row, _, office), text in zip(numbered, hyphenated.tolist(), strict=True):
        typed = re.match(r"^[0-9]+(?:-[0-9]+)*", text)
        if typed is None:
            ranks[row] = _BLOCK_MISSING
            continue
        typed_parts = typed.group(0).split("-")
        office_parts = office.split("-")
        n = min(len(typed_parts), len(office_parts))
        ranks[row] = _OK if typed_parts[:n] == office_parts[:n] else _OTHER_TOWN
    return ranks


def _nonsense(lines: pd.Series) -> pd.Series:
    """Lines with nothing an address needs: no kanji and no digit, dummy words, one char."""
    from sellerguard.address import kernels  # numba loads on first use

    stripped, substance, one_char, empty = kernels.line_substance(pa.array(lines.array))
    dummy = pc.match_substring_regex(stripped, _NONSENSE_WORDS).to_numpy(zero_copy_only=False)
    return pd.Series(~empty & (~substance | dummy | one_char), index=lines.index)


_LEADING_NOISE = re.compile(
    rf"^[ \u3000]*(?:〒?[ \u3000]*(?P<code>[0-9０-９]{{3}}[-－ー]?[0-9０-９]{{4}})[ \u3000]*)?"
    rf"(?P<pref>(?:(?:{_PREF_PATTERN})[ \u3000]*)*)"
)


def _cut_prefecture(
    city: pd.Series, lines: pd.Series
) -> tuple[pd.Series, pd.Series, pd.Series, pd.Series]:
    """Cut a prefecture (and a pasted postal code) written at the start of city or line 1.

    Returns the city field, the lines, the prefecture written and the postal code written
    (NA when none).
    """
    written = pd.Series(pd.NA, index=city.index, dtype="str")
    written_code = pd.Series(pd.NA, index=city.index, dtype="str")
    pattern = f"^[ \u3000]*(?:〒|[0-9０-９]{{3}}[-－ー]?[0-9０-９]{{4}}|{_PREF_PATTERN})"
    either = city.str.contains(pattern, regex=True) | lines.str.contains(pattern, regex=True)
    rows = either.fillna(False).to_numpy(dtype=bool)
    if not rows.any():
        return city, lines, written, written_code
    new_city: list[str] = []
    new_lines: list[str] = []
    prefs: list[str | None] = []
    codes: list[str | None] = []
    for c, line in zip(city[rows].tolist(), lines[rows].tolist(), strict=True):
        found: str | None = None
        code: str | None = None
        parts = []
        for part in (c, line):
            match = _LEADING_NOISE.match(part)
            if match and match.end():
                named = match.group("pref").strip(" \u3000")
                first = re.match(_PREF_PATTERN, named) if named else None
                found = found or (first.group(0) if first else None)
                code = code or match.group("code")
                part = part[match.end() :]
            parts.append(part)
        new_city.append(parts[0])
        new_lines.append(parts[1])
        prefs.append(found)
        codes.append(code)
    city, lines = city.copy(), lines.copy()
    city.loc[rows] = new_city
    lines.loc[rows] = new_lines
    written.loc[rows] = prefs
    written_code.loc[rows] = codes
    return city, lines, written, written_code


# The place (city, town, Kyoto directions, 字) runs up to the first number that is not part
# of a town name: Hokkaido's 北1条西, 東7線北, 7区, and 4番町 / 7番丁 keep their numbers.
_PLACE_AND_BLOCK = "^(?P<prefix>(?:[^0-9]|[0-9]+(?:条|線|区|番町|番丁|町内))*)(?P<suffix>.*)$"


def _names_a_town(
    code: pd.Series, lines: pd.Series, rows: np.ndarray[Any, Any], table: PostalTable
) -> pd.Series:
    """Whether kana-only or one-character lines are in fact a town of the code (あけぼの, 滝)."""
    found = np.zeros(len(code), dtype=bool)
    towns = table.towns
    subset_codes = code[rows].dropna()
    known = towns[towns["postal_code"].isin(subset_codes.unique().tolist())]
    by_code: dict[str, list[str]] = {}
    for c, k in zip(known["postal_code"].tolist(), known["town_key"].tolist(), strict=True):
        if k:
            by_code.setdefault(c, []).append(k)
    folded = fold_place_series(lines[rows]).fillna("").str.replace(" ", "", regex=False)
    positions = np.flatnonzero(rows)
    for pos, c, line in zip(positions, code[rows].tolist(), folded.tolist(), strict=True):
        if isinstance(c, str) and any(line.startswith(k) for k in by_code.get(c, ())):
            found[pos] = True
    return pd.Series(found, index=code.index)


def _split_numbered_towns(
    code: pd.Series, text: pd.Series, prefix: pd.Series, suffix: pd.Series, places: _Places
) -> tuple[pd.Series, pd.Series]:
    """Re-split place and block where the code's town has digits in its name.

    The regular split stops at the first number, which cuts ``象潟町5丁目塩越`` or
    ``馬越2番耕地`` (folded from 二番) in two; for those codes the town is looked for in the
    whole text, after an optional spelling of the city.
    """
    rows = code.isin(list(places.digit_towns)).to_numpy(dtype=bool)
    if not rows.any():
        return prefix, suffix
    new_prefix = prefix[rows].tolist()
    new_suffix = suffix[rows].tolist()
    for i, (c, t) in enumerate(zip(code[rows].tolist(), text[rows].tolist(), strict=True)):
        for city, town in sorted(places.digit_towns[c], key=lambda ct: -len(ct[1])):
            for spelling in (*places.spellings.get(city, ()), ""):
                if t.startswith(spelling + town):
                    cut = len(spelling) + len(town)
                    new_prefix[i], new_suffix[i] = t[:cut], t[cut:]
                    break
            else:
                continue
            break
    prefix, suffix = prefix.copy(), suffix.copy()
    prefix.loc[rows] = new_prefix
    suffix.loc[rows] = new_suffix
    return prefix, suffix


_PICKED: dict[str, Any] = {
    "status": _NO_TOWN,
    "city_typed": False,
    "block": "",
    "kind": "area",
    "chome": False,
    "koaza": False,
    "town_key": "",
    "leftover": "",
    "jp_city": None,
    "town": None,
}


def _pick(
    best: pd.DataFrame, key_codes: np.ndarray[Any, Any], n_keys: int, index: pd.Index
) -> pd.DataFrame:
    """The chosen Japan Post facts for every address (defaults where nothing was matched)."""
    chosen = best[list(_PICKED)].reindex(np.arange(n_keys + 1))
    for column, fill in _PICKED.items():
        if fill is not None:
            chosen[column] = chosen[column].fillna(fill)
    taken = chosen.take(np.where(key_codes >= 0, key_codes, n_keys))
    return taken.set_axis(index)


def _assess_distinct(distinct: pd.DataFrame, table: PostalTable) -> pd.DataFrame:
    """Assess each row of a frame of distinct address tuples (RangeIndex)."""
    index = distinct.index
    extras = [
        distinct[column].where(distinct[column] != "")
        for column in ("ship_address_2", "ship_address_3")
    ]
    lines = join_text(
        [distinct["ship_address_1"].fillna(""), *extras], " ", index, skip_missing=True
    )
    has_lines = (lines.str.strip() != "").to_numpy(dtype=bool)
    anything = has_lines | distinct[["ship_postal_code", "ship_state", "ship_city"]].notna().any(
        axis=1
    ).to_numpy(dtype=bool)
    city_field, clean_lines, written, written_code = _cut_prefecture(
        distinct["ship_city"].fillna(""), lines
    )
    typed_code = distinct["ship_postal_code"]
    typed_code = typed_code.where(typed_code.str.strip().fillna("") != "", written_code)
    code, problem, jp_pref, code_city = _digits_postcode(typed_code, table)

    state_codes, states = pd.factorize(distinct["ship_state"], use_na_sentinel=True)
    state_names = uniques_text(states)
    state_pref = fold_place_series(state_names).map(_PREFECTURE_NAMES).astype("str")
    typed_pref = pd.Series(
        pd.concat([state_pref, pd.Series([pd.NA], dtype="str")], ignore_index=True).to_numpy()[
            np.where(state_codes < 0, len(state_pref), state_codes)
        ],
        index=index,
        dtype="str",
    )
    typed_pref = typed_pref.fillna(written)

    nonsense = _nonsense(lines) & has_lines
    if bool(nonsense.any()):
        nonsense &= ~_names_a_town(code, lines, nonsense.to_numpy(dtype=bool), table)
    problem = problem.mask(nonsense, "nonsense")
    problem = problem.mask(~anything, pd.NA)
    other_pref = code.notna() & typed_pref.notna() & (typed_pref != jp_pref)
    problem = problem.mask(problem.isna() & other_pref, "postcode_other_prefecture")

    typed_place = city_field + clean_lines
    text = fold_place_series(typed_place, typed_pref.fillna(jp_pref)).fillna("")
    prefix, suffix = _split_place(text)
    prefix, suffix = _split_numbered_towns(code, text, prefix, suffix, _places(table))
    check = (problem.isna() & code.notna()).to_numpy(dtype=bool)
    number = postal_numbers(code)
    # (postal code, place, lines or not) numbered: the place's dictionary code, not its text
    places = pa.array(prefix.array)
    if isinstance(places, pa.ChunkedArray):
        places = places.combine_chunks()
    encoded = pc.dictionary_encode(places)
    prefix_ids = encoded.indices.to_numpy(zero_copy_only=False).astype(np.int64)
    combined = (number * (len(encoded.dictionary) + 1) + prefix_ids) * 2 + has_lines
    key_codes = np.full(len(index), -1, dtype=np.int64)
    if check.any():
        key_codes[check] = dense_codes(combined[check])
    keys = pd.DataFrame(
        {
            "key_id": key_codes[check],
            "postal_number": number[check],
            "prefix": prefix.array[check],
        }
    ).drop_duplicates("key_id")
    best = _match_places(keys, table)
    facts = _pick(best, key_codes, len(keys), index)
    status = facts["status"].to_numpy(dtype=np.int64)
    city_typed = facts["city_typed"].to_numpy(dtype=bool)
    office_block = facts["block"]
    kind = facts["kind"]
    chome = facts["chome"].to_numpy(dtype=bool)
    town_key = facts["town_key"]
    leftover = facts["leftover"]

    chome_only = chome & suffix.str.contains("^[0-9]+丁目(?:$|[^0-9-])", regex=True).to_numpy(
        dtype=bool
    )
    has_block = (suffix != "").to_numpy() & ~chome_only
    rank = np.select(
        [
            status <= _LENIENT,
            status == _MUBANCHI,
            status == _SUFFIX,
            status == _JUNK,
            status == _NO_TOWN,
        ],
        [
            np.where(has_block, _OK, _BLOCK_MISSING),
            _OK,
            np.where(suffix != "", _OTHER_TOWN, _BLOCK_MISSING),
            _BLOCK_MISSING,
            _OTHER_TOWN,
        ],
        _OTHER_CITY,
    )
    mubanchi_town = town_key.str.endswith("無番地").to_numpy(dtype=bool)
    rank = np.where(mubanchi_town & (rank == _BLOCK_MISSING), _OK, rank)
    no_lines_rank = np.where(city_typed | (prefix == "").to_numpy(), _OK, _OTHER_CITY)
    rank = np.where(has_lines, rank, no_lines_rank)
    offices = check & has_lines & (kind != "area").to_numpy() & (status <= _JUNK)
    if offices.any():
        tails = (leftover + suffix)[offices].tolist()
        rank[offices] = _office_ranks(tails, office_block[offices].tolist())
    # Romanised addresses (Kikuna 2-3-4, Kohoku-ku) cannot be compared with Japan Post's
    # Japanese names: only their postal code and prefecture are checked.
    romanised = ~typed_place.str.contains(_JAPANESE_LETTER, regex=True) & typed_place.str.contains(
        "[A-Za-zＡ-Ｚａ-ｚ]", regex=True
    )
    romanised_rows = romanised.to_numpy(dtype=bool)
    rank = np.where(romanised_rows, _OK, rank)
    rank_s = pd.Series(rank, index=index).where(check)
    problem = problem.mask(rank_s == _OTHER_CITY, "postcode_other_city")
    problem = problem.mask(rank_s == _OTHER_TOWN, "postcode_other_town")
    problem = problem.mask(rank_s == _BLOCK_MISSING, "block_missing")

    matched = pd.Series(check & (rank < _OTHER_TOWN) & ~romanised_rows, index=index)
    jp_city = facts["jp_city"].where(matched)
    jp_town = facts["town"].where(matched)
    # A 小字 (字長田) only tells places apart where 番地 restart in each 小字 (koaza flag).
    koaza = facts["koaza"].to_numpy(dtype=bool)
    redundant_aza = leftover.str.startswith("字").to_numpy(dtype=bool) & ~koaza
    pref_out = jp_pref.where(code.notna(), typed_pref)
    texts = {
        "city": _fold_city(facts["jp_city"]),
        "town": town_key,
        "words": leftover.where(~redundant_aza, ""),
        "prefix": prefix,
        "leftover": leftover,
        **_split_block(suffix),
        "prefecture": pref_out,
        "jp_city": facts["jp_city"],
        "jp_town": facts["town"],
    }
    building_key, address_key, canonical = _assemble(texts, matched.to_numpy())
    has_anything = pd.Series(anything, index=index)
    has_street = pd.Series(has_lines, index=index)
    city_out = jp_city.fillna(code_city)
    return pd.DataFrame(
        {
            "postal_code": code,
            "prefecture": pref_out,
            "city": city_out,
            "town": jp_town,
            "address_canonical": canonical.where(has_anything),
            # A linking key names a street address: without street lines the place is only
            # a postal town, and unrelated people there are not "one address".
            "address_key": address_key.where(has_street),
            "building_key": building_key.where(has_street),
            "address_problem": problem,
        },
        index=index,
    ).astype("str")


def _assemble(
    texts: dict[str, pd.Series], matched: np.ndarray[Any, Any]
) -> tuple[pd.Series, pd.Series, pd.Series]:
    """Building key, address key and canonical text of each address, in one compiled pass
    (``kernels.assemble``).

    The keys are ``place|block|building`` and ``…|room``, the place being Japan Post's
    city, town and the words after it (``city``, ``town``, ``words``) where the address
    ``matched`` its code, else the typed ``prefix``. The canonical text is prefecture, Japan
    Post's city and town (where matched), what follows the town (``leftover``; else the
    typed ``prefix``) and the block, then the building and the room after spaces.
    """
    from sellerguard.address import kernels  # numba loads on first use

    index = texts["prefix"].index
    building, address, canonical, trim = kernels.assemble(
        {name: pa.array(values.array) for name, values in texts.items()}, matched
    )
    canonical_text = str_series(canonical, index)
    if trim.any():
        canonical_text.loc[trim] = canonical_text[trim].str.strip()
    return str_series(building, index), str_series(address, index), canonical_text


def _fold_city(city: pd.Series) -> pd.Series:
    """Fold Japan Post city names (few distinct values) the way typed text is folded."""
    codes, uniques = pd.factorize(city, use_na_sentinel=True)
    folded = fold_place_series(uniques_text(uniques))
    padded = pd.concat([folded, pd.Series([""], dtype="str")], ignore_index=True)
    return pd.Series(
        padded.to_numpy()[np.where(codes < 0, len(folded), codes)], index=city.index, dtype="str"
    )


def _split_place(text: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Cut folded text (no NA) into the place and what follows (:data:`_PLACE_AND_BLOCK`),
    a trailing 第 dropped from the place; one compiled pass (``kernels.split_place``)."""
    from sellerguard.address import kernels  # numba loads on first use

    place, rest = kernels.split_place(pa.array(text.array), character_tables()[0])
    return str_series(place, text.index), str_series(rest, text.index)


def _split_block(suffix: pd.Series) -> pd.DataFrame:
    """Split what follows the place (it starts with the block number) into parts.

    Up to three block numbers (丁目-番-号, 地割-番地) are the block; a fourth number, a number
    after the building name, or one marked ``号室`` / ``#`` is the room. One compiled pass
    (``kernels.split_block``); the few values it leaves (control characters) take the
    pandas steps.
    """
    from sellerguard.address import kernels  # numba loads on first use

    block, building, room, fallback = kernels.split_block(
        pa.array(suffix.array), character_tables()[0]
    )
    parts = pd.DataFrame(
        {
            "block": str_series(block, suffix.index),
            "building": str_series(building, suffix.index),
            "room": str_series(room, suffix.index),
        }
    )
    if fallback.any():
        parts.loc[fallback] = _split_block_by_steps(suffix[fallback])
    return parts


def _split_block_by_steps(suffix: pd.Series) -> pd.DataFrame:
    """``_split_block`` with pandas and RE2: the compiled pass's reference."""
    marked = suffix.str.contains("丁目|番|号|地割|#|No|№", regex=True).to_numpy(dtype=bool)
    hyphenated = suffix
    if marked.any():
        hyphenated = suffix.copy()
        hyphenated.loc[marked] = block_markers_to_hyphens(suffix[marked]).str.replace(
            "#|No\\.?|№", " ", regex=True
        )
    pieces = extract_groups(
        hyphenated, "^(?P<block>[0-9]+(?:-[0-9]+){0,2})?(?:-(?P<extra>[0-9]+))?-?(?P<tail>.*)$"
    )
    block = pieces["block"].fillna("")
    rest = pieces["tail"].fillna("").str.strip(" -")
    building, room = _building_and_room(rest)
    building = building.fillna("").str.replace("[ ・]", "", regex=True)
    building = building.str.replace("-+$", "", regex=True)
    room = room.fillna("")
    room = room.where(room != "", pieces["extra"].fillna(""))
    return pd.DataFrame(
        {"block": block, "building": building, "room": room}, index=suffix.index
    ).astype("str")


_ROOM = "[A-Za-z]?[0-9]+[A-Za-z]?"


def _building_and_room(rest: pd.Series) -> tuple[pd.Series, pd.Series]:
    """Split what follows the block into the building and the room number at the end.

    The same split as ``^(?P<building>.*?)[ -]*(?P<room>ROOM)?(?:号室|号)?$``: an unanchored
    search finds the leftmost place the ending can start, exactly where the lazy building
    would stop, and runs several times faster in RE2.
    """
    room = extract_groups(rest, f"(?P<room>{_ROOM})?(?:号室|号)?$")["room"]
    building = rest.str.replace(f"[ -]*(?:{_ROOM})?(?:号室|号)?$", "", n=1, regex=True)
    return building, room
