"""Vectorised identities for the many ordinary customers of a large demo dataset.

:mod:`sellerguard.demo.addresses` and :mod:`sellerguard.demo.people` type one identity at a
time, which is fine for look-alike groups and campaigns but too slow for a million orders.
This module draws the same kinds of names, phones, e-mails and addresses for whole arrays
at once, with the same typing styles and roughly the same proportions.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from sellerguard.demo.people import landline_exchanges
from sellerguard.demo.places import PlaceTables
from sellerguard.demo.vocabulary import (
    AREA_CODES,
    BUILDING_KINDS,
    BUILDING_PLACES,
    BUILDING_WORDS,
    FAMILY_NAMES,
    GIVEN_NAMES_FEMALE,
    GIVEN_NAMES_MALE,
    KYOTO_CENTRAL_WARDS,
    KYOTO_DIRECTIONS,
    KYOTO_STREETS,
    RURAL_SECTIONS,
)

_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_NUMBERS = np.array([str(i) for i in range(10_000)])
_PADDED_4 = np.array([f"{i:04d}" for i in range(10_000)])
_PADDED_2 = np.array([f"{i:02d}" for i in range(100)])
_KANJI = np.array(["", "一", "二", "三", "四", "五"])
_EMAIL_CODES = np.frombuffer(b"abcdefghijklmnopqrstuvwxyz0123456789", dtype=np.uint8)
_GIVEN = GIVEN_NAMES_MALE + GIVEN_NAMES_FEMALE


def _pick(
    rng: np.random.Generator, options: np.ndarray, weights: list[float], size: int
) -> np.ndarray:
    probabilities = np.asarray(weights, dtype=float)
    return rng.choice(options, size=size, p=probabilities / probabilities.sum())


def _full_width(text: np.ndarray, chosen: np.ndarray) -> np.ndarray:
    """Return ``text`` with the digits and hyphens of the ``chosen`` rows made full width."""
    out = text.astype(object)
    if chosen.any():
        out[chosen] = np.char.translate(text[chosen], _FULL_WIDTH)  # type: ignore[call-overload]
    return out.astype(str)


def _width(rng: np.random.Generator, text: np.ndarray, share: float) -> np.ndarray:
    return _full_width(text, rng.random(len(text)) < share)


def place_weights(places: PlaceTables) -> np.ndarray:
    """Relative weight of each residential code: city wards and cities more than villages."""
    city = places.residential["city"]
    weights = np.where(
        city.str.contains("区", regex=False), 3.0, np.where(city.str.endswith("市"), 1.6, 0.6)
    )
    return np.asarray(weights / weights.sum(), dtype=float)


def names(rng: np.random.Generator, size: int) -> np.ndarray:
    """Person names in the buyers' typing styles (space, none, full-width space, romaji)."""
    family_weights = 1.0 / (1.0 + np.arange(len(FAMILY_NAMES)) / 12.0)
    family = rng.choice(len(FAMILY_NAMES), size=size, p=family_weights / family_weights.sum())
    given = rng.integers(0, len(_GIVEN), size)
    family_kanji = np.array([name[0] for name in FAMILY_NAMES])[family]
    family_roman = np.array([name[1] for name in FAMILY_NAMES])[family]
    given_kanji = np.array([name[0] for name in _GIVEN])[given]
    given_roman = np.array([name[1] for name in _GIVEN])[given]
    style = _pick(rng, np.arange(5), [40, 32, 22, 4, 2], size)
    add = np.strings.add
    return np.select(
        [style == 0, style == 1, style == 2, style == 3],
        [
            add(add(family_kanji, " "), given_kanji),
            add(family_kanji, given_kanji),
            add(add(family_kanji, "\u3000"), given_kanji),
            add(add(given_roman, " "), family_roman),
        ],
        np.strings.upper(add(add(family_roman, " "), given_roman)),
    )


def phone_digits(
    rng: np.random.Generator, prefectures: np.ndarray, mobile_share: float = 0.78
) -> tuple[np.ndarray, np.ndarray]:
    """Return (national digits, length of the leading group) of valid phone numbers.

    Numbers are distinct within the call: unrelated customers do not share a phone.
    """
    size = len(prefectures)
    mobile = rng.random(size) < mobile_share
    head = rng.choice(np.array(["090", "080", "070"]), size=size)
    digits = np.strings.add(
        np.strings.add(head, _NUMBERS[rng.integers(1000, 10_000, size)]),
        _PADDED_4[rng.integers(0, 10_000, size)],
    )
    area_length = np.full(size, 3)
    exchanges = landline_exchanges()
    landline = np.flatnonzero(~mobile)
    if len(landline):
        frame = pd.DataFrame({"prefecture": prefectures[landline], "row": landline})
        for prefecture, group in frame.groupby("prefecture", sort=True):
            areas = AREA_CODES.get(str(prefecture), ("03",))
            pool = np.array([prefix for area in areas for prefix in exchanges[area]])
            pool_area = np.array([len(area) for area in areas for _ in exchanges[area]])
            chosen = rng.integers(0, len(pool), len(group))
            rows = group["row"].to_numpy()
            digits[rows] = np.strings.add(
                pool[chosen], _PADDED_4[rng.integers(0, 10_000, len(rows))]
            )
            area_length[rows] = pool_area[chosen]
    for _ in range(20):
        repeated = pd.Series(digits).duplicated().to_numpy()
        if not repeated.any():
            break
        tails = _PADDED_4[rng.integers(0, 10_000, int(repeated.sum()))]
        digits[repeated] = np.strings.add(np.strings.slice(digits[repeated], 0, -4), tails)
    return digits, area_length


def format_phones(
    rng: np.random.Generator, digits: np.ndarray, area_length: np.ndarray
) -> np.ndarray:
    """Write phone digits as buyers do: hyphenated, plain, full width, +81, (area)."""
    size = len(digits)
    add = np.strings.add
    head = np.strings.slice(digits, 0, area_length)
    tail = np.strings.slice(digits, -4, None)
    middle = np.strings.slice(digits, area_length, -4)
    hyphenated = add(add(add(add(head, "-"), middle), "-"), tail)
    style = _pick(rng, np.arange(5), [66, 26, 4, 2, 2], size)
    mobile = (
        np.strings.startswith(digits, "0")
        & (area_length == 3)
        & np.isin(np.strings.slice(digits, 0, 3), ["090", "080", "070"])
    )
    full = _full_width(hyphenated, style == 2)
    international = add(
        add(add(add(add("+81 ", np.strings.slice(head, 1, None)), "-"), middle), "-"), tail
    )
    bracketed = add(add(add(add("(", head), ")"), middle), add("-", tail))
    return np.select(
        [style == 1, style == 2, style == 3, (style == 4) & ~mobile],
        [digits, full, international, bracketed],
        hyphenated,
    )


def emails(rng: np.random.Generator, size: int) -> np.ndarray:
    """Anonymised relay addresses ``<14 chars>@marketplace.amazon.co.jp``."""
    codes = _EMAIL_CODES[rng.integers(0, len(_EMAIL_CODES), (size, 14))]
    local = np.ascontiguousarray(codes).view("S14").ravel().astype("U14")
    return np.strings.add(local, "@marketplace.amazon.co.jp")


def _blocks(
    rng: np.random.Generator, chome: np.ndarray, ban: np.ndarray, go: np.ndarray, rural: np.ndarray
) -> np.ndarray:
    size = len(chome)
    add = np.strings.add
    c, b, g = _NUMBERS[chome], _NUMBERS[ban], _NUMBERS[go]
    kc = _KANJI[np.minimum(chome, 5)]
    style = rng.integers(0, 7, size)
    with_chome_go = np.select(
        [style == k for k in range(6)],
        [
            add(add(add(add(add(c, "丁目"), b), "番"), g), "号"),
            add(add(add(add(c, "-"), b), "-"), g),
            add(add(add(add(kc, "丁目"), b), "-"), g),
            add(add(add(add(c, "丁目"), b), "-"), g),
            add(add(add(add(c, "ー"), b), "ー"), g),
            add(add(add(add(c, "丁目"), b), "番地"), g),
        ],
        add(add(add(add(add(kc, "丁目"), b), "番"), g), "号"),
    )
    with_chome = np.select(
        [style % 4 == 0, style % 4 == 1, style % 4 == 2],
        [add(add(add(c, "丁目"), b), "番"), add(add(c, "-"), b), add(add(kc, "丁目"), b)],
        add(add(add(c, "丁目"), b), "番地"),
    )
    with_go = np.select(
        [style % 4 == 0, style % 4 == 1, style % 4 == 2],
        [add(add(b, "番地"), g), add(add(b, "-"), g), add(add(add(b, "番"), g), "号")],
        add(add(b, "ー"), g),
    )
    plain = np.select([style % 3 == 0, style % 3 == 1], [add(b, "番地"), b], add(b, "番"))
    has_chome, has_go = chome > 0, go > 0
    return np.select(
        [rural, has_chome & has_go, has_chome, has_go],
        [plain, with_chome_go, with_chome, with_go],
        plain,
    )


def identities(rng: np.random.Generator, places: PlaceTables, size: int) -> pd.DataFrame:
    """Return ``size`` ordinary customers shipping to themselves, one row each.

    Columns are the scenario's identity fields: ``buyer_email``, ``buyer_name``,
    ``buyer_phone``, ``recipient_name``, ``ship_address_1..3``, ``ship_city``,
    ``ship_state``, ``ship_postal_code``, ``ship_phone``. Every address is deliverable: a
    real residential code with its own prefecture, city and town and a block number.
    """
    add = np.strings.add
    table = places.residential
    chosen = rng.choice(len(table), size=size, p=place_weights(places))
    code = table["postal_code"].to_numpy(dtype=str)[chosen]
    prefecture = table["prefecture"].to_numpy(dtype=str)[chosen]
    city = table["city"].to_numpy(dtype=str)[chosen]
    town = table["town"].to_numpy(dtype=str)[chosen]
    has_chome = table["chome"].to_numpy(dtype=bool)[chosen]
    rural = table["rural"].to_numpy(dtype=bool)[chosen]

    chome = np.where(has_chome & ~rural, rng.integers(1, 5, size), 0)
    ban = np.where(
        rural,
        rng.integers(1, 3201, size),
        np.where(has_chome, rng.integers(1, 41, size), rng.integers(1, 2401, size)),
    )
    go = np.where(~rural & (rng.random(size) < 0.85), rng.integers(1, 31, size), 0)
    block = _blocks(rng, chome, ban, go, rural)
    sections = add("字", rng.choice(np.array(RURAL_SECTIONS), size))
    block = np.where(rural & (rng.random(size) < 0.3), add(sections, block), block)
    separator = _pick(rng, np.array(["", " ", "\u3000"]), [80, 15, 5], size)
    streets = np.array(KYOTO_STREETS)
    first = rng.integers(0, len(streets), size)
    second = (first + rng.integers(1, len(streets), size)) % len(streets)
    direction = add(
        add(add(streets[first], "通"), streets[second]),
        rng.choice(np.array(KYOTO_DIRECTIONS), size),
    )
    kyoto = np.isin(city, KYOTO_CENTRAL_WARDS) & (rng.random(size) < 0.5)
    town_text = np.where(kyoto, add(direction, town), town)
    line_1 = _width(rng, add(add(town_text, separator), block), 0.12)

    flat = ~rural & (rng.random(size) < 0.45)
    building = add(
        add(rng.choice(np.array(BUILDING_WORDS), size), rng.choice(np.array(BUILDING_KINDS), size)),
        rng.choice(np.array(BUILDING_PLACES), size),
    )
    floors = rng.choice(np.array([2, 3, 4, 5, 8, 12]), size)
    room = add(_NUMBERS[rng.integers(1, floors + 1)], _PADDED_2[rng.integers(1, 13, size)])
    room_style = _pick(rng, np.arange(4), [45, 28, 20, 7], size)
    building_text = np.select(
        [room_style == 0, room_style == 1, room_style == 2],
        [add(add(building, " "), room), add(add(building, room), "号室"), add(building, room)],
        add(add(building, " "), add(_full_width(room, room_style == 3), "号室")),
    )
    building_text = np.where(flat, building_text, "")

    without_county = pd.Series(city).str.replace(r"^.+?郡(.+[町村])$", r"\1", regex=True)
    city = np.where(rng.random(size) < 0.25, without_county.to_numpy(dtype=str), city)
    city_roll = rng.random(size)
    city_in_line = city_roll < 0.22
    prefecture_in_line = (city_roll >= 0.22) & (city_roll < 0.25)
    line_1 = np.where(city_in_line, add(city, line_1), line_1)
    line_1 = np.where(prefecture_in_line, add(add(prefecture, city), line_1), line_1)
    ship_city = np.where(city_in_line | prefecture_in_line, "", city)

    placement = rng.random(size)
    in_line_2 = flat & (placement < 0.62)
    after_space = flat & (placement >= 0.62) & (placement < 0.92)
    glued = flat & (placement >= 0.92)
    line_1 = np.where(after_space, add(add(line_1, " "), building_text), line_1)
    line_1 = np.where(glued, add(line_1, building_text), line_1)
    line_2 = np.where(in_line_2, building_text, "")
    split = in_line_2 & (rng.random(size) < 0.08)
    line_2 = np.where(split, building, line_2)
    line_3 = np.where(
        split, add(room, _pick(rng, np.array(["", "号室", "号"]), [2, 2, 1], size)), ""
    )

    hyphenated = add(add(np.strings.slice(code, 0, 3), "-"), np.strings.slice(code, 3, None))
    postal_style = _pick(rng, np.arange(4), [68, 27, 3, 2], size)
    postal = np.select(
        [postal_style == 1, postal_style == 2, postal_style == 3],
        [code, _full_width(hyphenated, postal_style == 2), add("〒", hyphenated)],
        hyphenated,
    )

    person = names(rng, size)
    digits, area_length = phone_digits(rng, prefecture)
    return pd.DataFrame(
        {
            "buyer_email": emails(rng, size),
            "buyer_name": person,
            "buyer_phone": format_phones(rng, digits, area_length),
            "recipient_name": person,
            "ship_address_1": line_1,
            "ship_address_2": line_2,
            "ship_address_3": line_3,
            "ship_city": ship_city,
            "ship_state": prefecture,
            "ship_postal_code": postal,
            "ship_phone": format_phones(rng, digits, area_length),
        },
        dtype="str",
    )
