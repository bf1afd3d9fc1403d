"""Ship-to phone numbers: a linking key and what kind of number it is.

Numbers are folded to Japanese national digits (``+81 3-1234-5678`` → ``0312345678``) and
classified with the number patterns of the phonenumbers library's Japanese metadata, applied
as regular expressions to whole columns (calling the library once per number would cost tens
of microseconds each). Foreign numbers (another country code) are checked with phonenumbers
itself, one call per distinct number, since they are rare.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import phonenumbers

#: Problem codes, in the order they are reported (the first that applies wins).
PHONE_PROBLEMS: tuple[str, ...] = ("phone_invalid", "phone_placeholder", "phone_service")

# Number types that are not a person's landline or mobile: freephone (0120/0800), navi-dial
# (0570), IP phones (050), M2M/pagers (020), premium rate (0990), personal numbers (060 + 7).
_SERVICE_TYPES = ("toll_free", "uan", "voip", "pager", "premium_rate", "personal_number")
_PERSON_TYPES = ("fixed_line", "mobile")

# Runs that people type when they do not want to give a number.
_SEQUENCES = ("12345678", "23456789", "98765432", "87654321")


@cache
def _patterns() -> dict[str, str]:
    """Full-match patterns over the national number (without the leading 0), by type."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("JP")
    found: dict[str, str] = {}
    for kind in (*_PERSON_TYPES, *_SERVICE_TYPES):
        desc = getattr(metadata, kind, None)
        pattern = getattr(desc, "national_number_pattern", None)
        if pattern:
            found[kind] = f"^(?:{pattern})$"
    return found


def phone_key(values: pd.Series) -> pd.Series:
    """Fold phone numbers to national digits (``0312345678``); NA when there are no digits.

    Widths, hyphens, spaces, brackets and dots are removed; ``+81``/``0081``/``81`` followed by
    a number without its leading 0 becomes ``0…``. Other country codes keep a leading ``+``.
    """
    text = values.astype("str").str.normalize("NFKC")
    text = text.str.replace("[ \t()\\[\\]（）.\\-‐−–—ー―]", "", regex=True)
    text = text.str.replace(r"^(?:\+|00)81(?:\(0\)|0)?", "0", regex=True)
    text = text.str.replace(r"^81([1-9][0-9]{8,9})$", r"0\1", regex=True)
    text = text.str.replace(r"^00([1-9])", r"+\1", regex=True)
    text = text.str.replace(r"(?i)(?:ext|内線|#).*$", "", regex=True)
    return text.where(text.str.contains(r"[0-9]", regex=True).fillna(False))


def _classify(keys: pd.Series, typed: pd.Series) -> pd.Series:
    """Problem code (or NA) for each distinct, folded key (``typed``: something was typed)."""
    problem = pd.Series(pd.NA, index=keys.index, dtype="str")
    national = keys.str.slice(1)
    domestic = keys.str.fullmatch(r"0[0-9]{8,10}").fillna(False)
    foreign = keys.str.startswith("+").fillna(False)
    patterns = _patterns()
    person = pd.Series(False, index=keys.index)
    for kind in _PERSON_TYPES:
        person |= national.str.contains(patterns[kind], regex=True).fillna(False)
    service = pd.Series(False, index=keys.index)
    for kind in _SERVICE_TYPES:
        if kind in patterns:
            service |= national.str.contains(patterns[kind], regex=True).fillna(False)
    service &= domestic
    person &= domestic
    valid_foreign = pd.Series(
        [_valid_foreign(k) for k in keys[foreign].tolist()], index=keys.index[foreign], dtype=bool
    )
    ok_foreign = valid_foreign.reindex(keys.index, fill_value=False)
    digits = keys.str.replace(r"[^0-9]", "", regex=True).fillna("")
    one_digit = pd.Series(
        [len(set(d.lstrip("0"))) <= 1 for d in digits.tolist()], index=keys.index, dtype=bool
    )
    tail_same = pd.Series(
        [len(d) >= 8 and len(set(d[-8:])) == 1 for d in digits.tolist()],
        index=keys.index,
        dtype=bool,
    )
    sequence = pd.Series(False, index=keys.index)
    for run in _SEQUENCES:
        sequence |= digits.str.contains(run, regex=False)
    sequence |= keys.str.startswith("0123456").fillna(False)
    placeholder = one_digit | tail_same | sequence
    problem = problem.mask(service, "phone_service")
    problem = problem.mask(~(person | service | ok_foreign), "phone_invalid")
    problem = problem.mask(placeholder & keys.notna(), "phone_placeholder")
    return problem.where(keys.notna() | typed, pd.NA)


def _valid_foreign(key: str) -> bool:
    try:
        number = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def assess_phones(orders: pd.DataFrame) -> pd.DataFrame:
    """Fold and classify the ship-to phone of every order, once per distinct value.

    Parameters
    ----------
    orders
        A frame with ``ship_phone`` and/or ``buyer_phone`` (the buyer's phone is used where
        the ship phone is empty).

    Returns
    -------
    pandas.DataFrame
        Same index as ``orders``: ``phone_key`` (``str``, national digits, NA when there is
        no number) and ``phone_problem`` (categorical of :data:`PHONE_PROBLEMS`, NA for an
        ordinary landline or mobile).
    """
    empty = pd.Series(pd.NA, index=orders.index, dtype="str")
    ship = orders["ship_phone"].astype("str") if "ship_phone" in orders.columns else empty
    buyer = orders["buyer_phone"].astype("str") if "buyer_phone" in orders.columns else empty
    ship = ship.where(ship.str.strip().fillna("") != "")
    phone = ship.fillna(buyer)
    codes, uniques = pd.factorize(phone, use_na_sentinel=True)
    distinct = pd.Series(np.asarray(uniques, dtype=object), dtype="str")
    keys = phone_key(distinct)
    typed = distinct.str.strip().fillna("") != ""
    problems = _classify(keys, typed)
    take = np.where(codes < 0, len(distinct), codes)
    keys_all = pd.concat([keys, pd.Series([pd.NA], dtype="str")], ignore_index=True)
    problems_all = pd.concat([problems, pd.Series([pd.NA], dtype="str")], ignore_index=True)
    return pd.DataFrame(
        {
            "phone_key": keys_all.iloc[take].to_numpy(),
            "phone_problem": pd.Categorical(
                problems_all.iloc[take].to_numpy(), categories=list(PHONE_PROBLEMS)
            ),
        },
        index=orders.index,
    ).astype({"phone_key": "str"})
