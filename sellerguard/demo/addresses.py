"""Japanese shipping addresses: real places, plausible blocks and buildings, typed many ways.

An :class:`Address` holds the parts of one place (postal code, prefecture, city, town,
丁目/番/号, building, room); :func:`render_address` splits it into the order report's
fields the way one buyer would type it. Typing one ``Address`` with different styles gives
the variants a detector has to link (``２丁目３番４号`` / ``二丁目3-4`` / ``2-3-4`` ...).
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, replace

from sellerguard.demo.people import full_width_digits
from sellerguard.demo.vocabulary import (
    BUILDING_KINDS,
    BUILDING_PLACES,
    BUILDING_WORDS,
    KYOTO_CENTRAL_WARDS,
    KYOTO_DIRECTIONS,
    KYOTO_STREETS,
    RURAL_SECTIONS,
)

_KANJI_DIGITS = "〇一二三四五六七八九"
_COUNTY = re.compile(r"^(.+?郡)(.+[町村])$")
# fmt: off
_HALF_WIDTH_KANA = str.maketrans(
    {
        "サ": "ｻ", "ン": "ﾝ", "ハ": "ﾊ", "イ": "ｲ", "ツ": "ﾂ", "コ": "ｺ", "ー": "ｰ", "ポ": "ﾎﾟ",
        "メ": "ﾒ", "ゾ": "ｿﾞ", "レ": "ﾚ", "ジ": "ｼﾞ", "デ": "ﾃﾞ", "ス": "ｽ", "パ": "ﾊﾟ",
        "ヴ": "ｳﾞ", "ラ": "ﾗ", "ト": "ﾄ", "ム": "ﾑ", "マ": "ﾏ", "シ": "ｼ", "ョ": "ｮ", "グ": "ｸﾞ",
        "ロ": "ﾛ", "ヤ": "ﾔ", "ル": "ﾙ", "ク": "ｸ", "リ": "ﾘ", "バ": "ﾊﾞ", "テ": "ﾃ", "ィ": "ｨ",
    }
)
# fmt: on


@dataclass(frozen=True)
class Address:
    """The parts of one shipping address.

    ``chome``/``ban``/``go`` are numbers or ``None``; ``banchi_text`` (office codes) replaces
    them with Japan Post's own block text; ``building`` and ``room`` may be empty.
    ``section`` is a rural 小字 (``浜`` in ``字浜1035``) and ``direction`` a Kyoto street
    direction (``烏丸通三条上る``); buyers write them or leave them out.
    """

    postal_code: str
    prefecture: str
    city: str
    town: str
    chome: int | None
    ban: int | None
    go: int | None
    building: str = ""
    room: str = ""
    banchi_text: str = ""
    section: str = ""
    direction: str = ""


@dataclass(frozen=True)
class ShipTo:
    """An address as the order report fields hold it."""

    address_1: str
    address_2: str
    address_3: str
    city: str
    state: str
    postal_code: str


def kanji_number(value: int) -> str:
    """Write 1..99 in kanji numerals (``23`` → ``二十三``)."""
    if value < 10:
        return _KANJI_DIGITS[value]
    tens, ones = divmod(value, 10)
    head = "" if tens == 1 else _KANJI_DIGITS[tens]
    return head + "十" + (_KANJI_DIGITS[ones] if ones else "")


def building_name(rng: random.Random) -> str:
    """Return an apartment or mansion name such as ``グランハイツ青葉``."""
    kind = rng.choice(BUILDING_KINDS)
    place = rng.choice(BUILDING_PLACES)
    if kind == "荘":
        return rng.choice(("松風", "若葉", "白鷺", "朝日", "青葉", "桜")) + kind
    return rng.choice(BUILDING_WORDS) + kind + place


def room_number(rng: random.Random, floors: int = 5) -> str:
    """Return a room number such as ``203`` or ``1105``."""
    return f"{rng.randint(1, floors)}{rng.randint(1, 12):02d}"


def residential_address(
    rng: random.Random,
    place: tuple[str, str, str, str, bool, bool],
    *,
    flat_share: float = 0.45,
) -> Address:
    """Make a deliverable address in a real residential ``place``.

    ``place`` is a row of :attr:`PlaceTables.residential` (code, prefecture, city, town,
    has 丁目, rural). A share of ``flat_share`` of addresses are in a building with a room.
    """
    code, prefecture, city, town, has_chome, rural = place
    if rural:
        section = rng.choice(RURAL_SECTIONS) if rng.random() < 0.4 else ""
        return Address(
            code, prefecture, city, town, None, rng.randint(1, 3200), None, section=section
        )
    direction = kyoto_direction(rng) if city in KYOTO_CENTRAL_WARDS else ""
    chome = rng.randint(1, 4) if has_chome else None
    ban = rng.randint(1, 40) if has_chome else rng.randint(1, 2400)
    go = rng.randint(1, 30) if rng.random() < 0.85 else None
    if rng.random() < flat_share:
        floors = rng.choice((2, 3, 4, 5, 8, 12))
        return Address(
            code,
            prefecture,
            city,
            town,
            chome,
            ban,
            go,
            building_name(rng),
            room_number(rng, floors),
            direction=direction,
        )
    return Address(code, prefecture, city, town, chome, ban, go, direction=direction)


def _block(rng: random.Random, address: Address, style: int) -> str:
    if address.banchi_text:
        return address.banchi_text
    chome, ban, go = address.chome, address.ban, address.go
    if ban is None:
        return ""
    if chome is None:
        if go is None:
            number = rng.choice((f"{ban}番地", f"{ban}", f"{ban}番"))
            if address.section and rng.random() < 0.75:
                return "字" + address.section + number
            return number
        return (f"{ban}番地{go}", f"{ban}-{go}", f"{ban}番{go}号", f"{ban}ー{go}")[style % 4]
    if go is None:
        return (
            f"{chome}丁目{ban}番",
            f"{chome}-{ban}",
            f"{kanji_number(chome)}丁目{ban}",
            f"{chome}丁目{ban}番地",
        )[style % 4]
    return (
        f"{chome}丁目{ban}番{go}号",
        f"{chome}-{ban}-{go}",
        f"{kanji_number(chome)}丁目{ban}-{go}",
        f"{chome}丁目{ban}-{go}",
        f"{chome}ー{ban}ー{go}",
        f"{chome}丁目{ban}番地{go}",
        f"{kanji_number(chome)}丁目{ban}番{go}号",
    )[style % 7]


def _building(rng: random.Random, address: Address) -> str:
    if not address.building:
        return ""
    room = address.room
    if not room:
        return address.building
    style = rng.choices((0, 1, 2, 3, 4), weights=(40, 25, 20, 10, 5))[0]
    if style == 0:
        return f"{address.building} {room}"
    if style == 1:
        return f"{address.building}{room}号室"
    if style == 2:
        return f"{address.building}{room}"
    if style == 3:
        return f"{address.building} {full_width_digits(room)}号室"
    return f"{address.building.translate(_HALF_WIDTH_KANA)} {room}"


def format_postal_code(rng: random.Random, code: str, style: int | None = None) -> str:
    """Write a 7-digit postal code as buyers do (``123-4567``, ``1234567``, full width, 〒)."""
    if style is None:
        style = rng.choices((0, 1, 2, 3), weights=(68, 27, 3, 2))[0]
    hyphenated = f"{code[:3]}-{code[3:]}"
    if style == 1:
        return code
    if style == 2:
        return full_width_digits(hyphenated)
    if style == 3:
        return "〒" + hyphenated
    return hyphenated


def without_county(city: str) -> str:
    """Drop the county (郡) from a town or village name, as many buyers do.

    ``標津郡中標津町`` → ``中標津町``; cities (``郡山市``) are left alone.
    """
    match = _COUNTY.match(city)
    return match.group(2) if match else city


def kyoto_direction(rng: random.Random) -> str:
    """Return a Kyoto street direction such as ``烏丸通三条上る`` (written before the town)."""
    street, cross = rng.sample(KYOTO_STREETS, 2)
    return f"{street}通{cross}{rng.choice(KYOTO_DIRECTIONS)}"


def render_address(rng: random.Random, address: Address) -> ShipTo:
    """Split ``address`` into order-report fields in one buyer's typing style.

    The city may be in ``ship-city`` or at the start of line 1 (with ``ship-city`` empty),
    with or without its county; the building in line 2 or after the block in line 1; digits
    sometimes full width; the block written with 丁目/番/号, hyphens or the long-vowel mark;
    Kyoto addresses often with a street direction before the town.
    """
    block = _block(rng, address, rng.randrange(7))
    separator = rng.choices(("", " ", "\u3000"), weights=(80, 15, 5))[0]
    town = address.town
    if address.direction and block and rng.random() < 0.6:
        town = address.direction + town
    line_1 = town + separator + block
    if rng.random() < 0.12:
        line_1 = full_width_digits(line_1)
    building = _building(rng, address)
    city = without_county(address.city) if rng.random() < 0.25 else address.city
    city_style = rng.random()
    if city_style < 0.22:
        line_1, city = city + line_1, ""
    elif city_style < 0.25:
        line_1 = address.prefecture + city + line_1
        city = ""
    line_2 = line_3 = ""
    if building:
        placement = rng.random()
        if placement < 0.05 and address.room:
            line_2, line_3 = address.building, address.room + rng.choice(("", "号室", "号"))
        elif placement < 0.62:
            line_2 = building
        elif placement < 0.92:
            line_1 = f"{line_1} {building}"
        else:
            line_1 = line_1 + building
    return ShipTo(
        address_1=line_1,
        address_2=line_2,
        address_3=line_3,
        city=city,
        state=address.prefecture,
        postal_code=format_postal_code(rng, address.postal_code),
    )


def without_block(address: Address) -> Address:
    """Return ``address`` with its 丁目/番/号 removed (an undeliverable address)."""
    return replace(address, chome=None, ban=None, go=None, banchi_text="")
