"""Names, phone numbers, account e-mails and order identifiers, typed the way buyers type them."""

from __future__ import annotations

import random
import string
from functools import cache

import phonenumbers

from sellerguard.demo.vocabulary import (
    AREA_CODES,
    FAMILY_NAMES,
    GIVEN_NAMES_FEMALE,
    GIVEN_NAMES_MALE,
)

_EMAIL_ALPHABET = string.ascii_lowercase + string.digits
_FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
_MOBILE_PREFIXES = ("090", "080", "070")


def full_width_digits(text: str) -> str:
    """Turn ASCII digits and hyphens into their full-width forms."""
    return text.translate(_FULL_WIDTH)


def pick_family(rng: random.Random) -> tuple[str, str]:
    """Return a (kanji, romaji) family name, frequent names more often."""
    index = min(int(rng.paretovariate(0.9)) - 1, len(FAMILY_NAMES) - 1)
    if rng.random() < 0.5:
        index = rng.randrange(len(FAMILY_NAMES))
    return FAMILY_NAMES[index]


def pick_given(rng: random.Random) -> tuple[str, str]:
    """Return a (kanji, romaji) given name of either sex."""
    table = GIVEN_NAMES_MALE if rng.random() < 0.5 else GIVEN_NAMES_FEMALE
    return rng.choice(table)


def format_name(
    rng: random.Random, family: tuple[str, str], given: tuple[str, str], style: int | None = None
) -> str:
    """Write a person's name one of the ways buyers type it.

    Styles: 0 ``山田 太郎``, 1 ``山田太郎``, 2 ``山田　太郎`` (full-width space),
    3 ``Taro Yamada``, 4 ``YAMADA TARO``.
    """
    if style is None:
        style = rng.choices((0, 1, 2, 3, 4), weights=(40, 32, 22, 4, 2))[0]
    if style == 0:
        return f"{family[0]} {given[0]}"
    if style == 1:
        return f"{family[0]}{given[0]}"
    if style == 2:
        return f"{family[0]}\u3000{given[0]}"
    if style == 3:
        return f"{given[1]} {family[1]}"
    return f"{family[1].upper()} {given[1].upper()}"


def random_name(rng: random.Random) -> str:
    """Return a plausible buyer name in a random typing style."""
    return format_name(rng, pick_family(rng), pick_given(rng))


def mobile_digits(rng: random.Random) -> str:
    """Return the 11 national digits of a valid mobile number."""
    return (
        rng.choice(_MOBILE_PREFIXES)
        + str(rng.randrange(1000, 10000))
        + f"{rng.randrange(10000):04d}"
    )


@cache
def landline_exchanges() -> dict[str, tuple[str, ...]]:
    """Return, per area code, exchange prefixes (area + exchange digits) that are valid.

    Validity of a Japanese landline depends on the area code and exchange only, so the
    last four digits are free. Sampled once per process with a fixed seed.
    """
    rng = random.Random(20240606)
    exchanges: dict[str, tuple[str, ...]] = {}
    for area in sorted({code for codes in AREA_CODES.values() for code in codes}):
        exchange_length = 10 - len(area) - 4
        found: list[str] = []
        for _ in range(120):
            exchange = str(rng.randrange(2, 10)) + "".join(
                str(rng.randrange(10)) for _ in range(exchange_length - 1)
            )
            if phonenumbers.is_valid_number(phonenumbers.parse(f"{area}{exchange}0000", "JP")):
                found.append(area + exchange)
        exchanges[area] = tuple(sorted(set(found)))
    return exchanges


def landline_digits(rng: random.Random, prefecture: str) -> str:
    """Return the 10 national digits of a valid landline number in ``prefecture``."""
    area = rng.choice(AREA_CODES.get(prefecture, ("03",)))
    return rng.choice(landline_exchanges()[area]) + f"{rng.randrange(10000):04d}"


def _area_length(digits: str) -> int:
    if digits[:2] in {"03", "06"}:
        return 2
    for prefix in AREA_CODES.values():
        for area in prefix:
            if len(area) == 4 and digits.startswith(area):
                return 4
    return 3


def format_phone(rng: random.Random, digits: str, style: int | None = None) -> str:
    """Write national phone digits one of the ways buyers type them.

    Styles: 0 hyphenated (``090-1234-5678``), 1 plain digits, 2 full-width hyphenated,
    3 international (``+81 90-1234-5678``), 4 parenthesised area (``(03)1234-5678``).
    """
    if style is None:
        style = rng.choices((0, 1, 2, 3, 4), weights=(66, 26, 4, 2, 2))[0]
    if digits.startswith(("090", "080", "070", "050")):
        head, middle, tail = digits[:3], digits[3:7], digits[7:]
    else:
        area = _area_length(digits)
        head, middle, tail = digits[:area], digits[area:-4], digits[-4:]
    if style == 1:
        return digits
    if style == 2:
        return full_width_digits(f"{head}-{middle}-{tail}")
    if style == 3:
        return f"+81 {head[1:]}-{middle}-{tail}"
    if style == 4 and not digits.startswith(("090", "080", "070")):
        return f"({head}){middle}-{tail}"
    return f"{head}-{middle}-{tail}"


def account_email(rng: random.Random) -> str:
    """Return an anonymised Amazon buyer relay address."""
    local = "".join(rng.choices(_EMAIL_ALPHABET, k=14))
    return f"{local}@marketplace.amazon.co.jp"
