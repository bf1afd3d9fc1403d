"""Ship-to phone numbers: a linking key and what kind of number it is.

Numbers are folded to Japanese national digits (``+81 3-1234-5678`` → ``0312345678``) once
per distinct value, then classified on whole columns:

- a person's number: a mobile (``0[6-9]0`` + 8 digits) or a landline (``0`` + 9 digits
  outside the non-geographic prefixes). Area-code allocation is deliberately not checked:
  phonenumbers' allocation tables mark real-looking ranges such as ``011-1xx`` invalid and
  lag behind new allocations, and a false "invalid" on a customer costs more than a miss;
- a service number: the patterns of phonenumbers' Japanese metadata for freephone
  (0120/0800), navi-dial (0570), IP phones (050), M2M/pagers (020), premium rate (0990)
  and personal numbers (060 + 7 digits), applied as regular expressions;
- a placeholder: one repeated digit, eight equal digits at the end, or a run such as
  12345678 or 0123456…;
- anything else is invalid. Foreign numbers (another country code) are checked with
  phonenumbers itself, one call per distinct number, since they are rare.
"""

from __future__ import annotations

from functools import cache

import numpy as np
import pandas as pd
import phonenumbers
import pyarrow as pa

from sellerguard.address.normalise import codes as column_codes
from sellerguard.address.normalise import (
    nfkc,
    renumber,
    spread,
    spread_codes,
    str_series,
    uniques_text,
)
from sellerguard.parallel import assess_in_chunks

#: Problem codes, in the order they are reported (the first that applies wins).
PHONE_PROBLEMS: tuple[str, ...] = ("phone_invalid", "phone_placeholder", "phone_service")

_SERVICE_TYPES = ("toll_free", "uan", "voip", "pager", "premium_rate", "personal_number")
_SERVICE_PREFIX = "^0(?:120|800|570|990|[25]0|60|0)"
_MOBILE = "^0[6-9]0[0-9]{8}$"
_LANDLINE = "^0[1-9][0-9]{8}$"
_NON_GEOGRAPHIC = "^0(?:[2-9]0|120|800|570|990)"
_REPEATED = "^0*(?:" + "|".join(f"{d}+" for d in "0123456789") + ")$"
_EIGHT_EQUAL = "(?:" + "|".join(d * 8 for d in "0123456789") + ")$"
_RUNS = "12345678|23456789|98765432|87654321|^0123456"
# One pass for the three: a search matches the alternation when it matches one of them.
_PLACEHOLDER = f"(?:{_REPEATED})|(?:{_EIGHT_EQUAL})|(?:{_RUNS})"
#: Shape bits of a folded key: what ``_classify`` reads off it (``phone_kernels`` finds them
#: in its compiled pass, ``_shapes_by_steps`` with the patterns above).
MOBILE = 1
LANDLINE = 2  # geographic: ``_LANDLINE`` and not ``_NON_GEOGRAPHIC``
SERVICE_PREFIX = 4
FOREIGN = 8
PLACEHOLDER = 16
# Phones are cheap to assess: below this many distinct numbers a second thread costs more
# than it saves.
_MIN_PHONES_TO_SPLIT = 200_000
_SEPARATORS = "[ \t()\\[\\]（）.\\-‐−–—ー―/]"


@cache
def _service_pattern() -> str:
    """One pattern over the national number (without its leading 0) for service numbers."""
    metadata = phonenumbers.PhoneMetadata.metadata_for_region("JP")
    patterns = []
    for kind in _SERVICE_TYPES:
        desc = getattr(metadata, kind, None)
        pattern = getattr(desc, "national_number_pattern", None)
        if pattern:
            patterns.append(f"(?:{pattern})")
    return "^(?:" + "|".join(patterns) + ")$"


def _on_rows(text: pd.Series, rows: pd.Series, pattern: str, replacement: str) -> pd.Series:
    mask = rows.fillna(False).to_numpy(dtype=bool)
    if not mask.any():
        return text
    text = text.copy()
    text.loc[mask] = text[mask].str.replace(pattern, replacement, regex=True)
    return text


def phone_key(values: pd.Series) -> pd.Series:
    """Fold phone numbers to national digits (``0312345678``); NA when there are no digits.

    Widths, hyphens, spaces, brackets and dots are removed; ``+81``/``0081``/``81`` followed by
    a number without its leading 0 becomes ``0…``. Other country codes keep a leading ``+``;
    extensions (``内線``, ``ext``, ``#``) are dropped.
    """
    text = nfkc(values.astype("str"))
    text = text.str.replace(_SEPARATORS, "", regex=True)
    text = _on_rows(text, text.str.contains("^(?:\\+|00)81", regex=True), "^(?:\\+|00)810?", "0")
    text = _on_rows(text, text.str.startswith("81"), "^81([1-9][0-9]{8,9})$", r"0\1")
    text = _on_rows(text, text.str.startswith("00"), "^00([1-9])", r"+\1")
    text = _on_rows(text, text.str.contains("[^+0-9]", regex=True), "(?i)(?:ext|内線|#).*$", "")
    return text.where(text.str.contains("[0-9]", regex=True).fillna(False))


def _matches(keys: pd.Series, pattern: str) -> np.ndarray:
    return keys.str.contains(pattern, regex=True).fillna(False).to_numpy(dtype=bool)


def _shapes_by_steps(keys: pd.Series) -> np.ndarray:
    """The shape bits of each folded key, by pattern (for the keys the compiled pass left)."""
    landline = _matches(keys, _LANDLINE) & ~_matches(keys, _NON_GEOGRAPHIC)
    foreign = keys.str.startswith("+").fillna(False).to_numpy(dtype=bool)
    shapes: np.ndarray = (
        _matches(keys, _MOBILE) * MOBILE
        + landline * LANDLINE
        + _matches(keys, _SERVICE_PREFIX) * SERVICE_PREFIX
        + foreign * FOREIGN
        + _matches(keys, _PLACEHOLDER) * PLACEHOLDER
    ).astype(np.int64)
    return shapes


def _classify(keys: pd.Series, typed: np.ndarray, shapes: np.ndarray | None = None) -> pd.Series:
    """Problem code (or NA) for each distinct, folded key (``typed``: something was typed;
    ``shapes``: the keys' shape bits, found from the patterns when not given)."""
    if shapes is None:
        shapes = _shapes_by_steps(keys)
    service_prefix = (shapes & SERVICE_PREFIX) != 0
    service = np.zeros(len(keys), dtype=bool)
    if service_prefix.any():
        national = keys[service_prefix].str.slice(1)
        service[service_prefix] = _matches(national, _service_pattern())
    mobile = (shapes & MOBILE) != 0
    landline = (shapes & LANDLINE) != 0
    foreign = (shapes & FOREIGN) != 0
    valid_foreign = np.zeros(len(keys), dtype=bool)
    if foreign.any():
        valid_foreign[foreign] = [_valid_foreign(k) for k in keys[foreign].tolist()]
    placeholder = (shapes & PLACEHOLDER) != 0
    problem = np.full(len(keys), None, dtype=object)
    problem[~(mobile | landline | service | valid_foreign)] = "phone_invalid"
    problem[service] = "phone_service"
    problem[placeholder] = "phone_placeholder"
    problem[~(keys.notna().to_numpy(dtype=bool) | typed)] = None
    return pd.Series(problem, index=keys.index, dtype="str")


def _valid_foreign(key: str) -> bool:
    try:
        number = phonenumbers.parse(key, None)
    except phonenumbers.NumberParseException:
        return False
    return bool(phonenumbers.is_valid_number(number))


def _assess_distinct(distinct: pd.DataFrame) -> pd.DataFrame:
    """Key and problem of each distinct typed number (column ``phone``).

    One compiled pass folds and shapes the ASCII numbers (nearly all); the pandas steps
    fold the others.
    """
    from sellerguard.address import phone_kernels  # numba loads on first use

    phone = distinct["phone"]
    folded, shapes, fallback = phone_kernels.fold_phones(pa.array(phone.array))
    keys = str_series(folded, phone.index)
    if fallback.any():
        rows = np.flatnonzero(fallback)
        slow = phone_key(phone.iloc[rows])
        keys = keys.copy()
        keys.iloc[rows] = slow
        shapes[rows] = _shapes_by_steps(slow)
    typed = (phone.str.strip().fillna("") != "").to_numpy(dtype=bool)
    return pd.DataFrame({"phone_key": keys, "phone_problem": _classify(keys, typed, shapes)})


def _key_codes(keys: pd.Series) -> np.ndarray:
    """``codes()`` of the folded keys, from the numbers their digits spell (a key of other
    characters, or a long one, is hashed as text)."""
    from sellerguard.address import phone_kernels  # numba loads on first use

    numbers = phone_kernels.key_numbers(pa.array(keys.array))
    odd = np.flatnonzero(numbers == -2)
    if len(odd):  # numbered past every digit key, in their own order
        numbers[odd] = phone_kernels.NUMBERS_BELOW + column_codes(keys.iloc[odd])
    return renumber(numbers)


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
        no number), ``phone_problem`` (categorical of :data:`PHONE_PROBLEMS`, NA for an
        ordinary landline or mobile) and ``phone_code``, the integer code of ``phone_key``
        (``codes()`` of the column, -1 for none) found once per distinct number.
    """
    empty = pd.Series(pd.NA, index=orders.index, dtype="str")
    ship = orders["ship_phone"].astype("str") if "ship_phone" in orders.columns else empty
    buyer = orders["buyer_phone"].astype("str") if "buyer_phone" in orders.columns else empty
    ship = ship.where(ship.str.strip().fillna("") != "")
    phone = ship.fillna(buyer)
    codes, uniques = pd.factorize(phone, use_na_sentinel=True)
    distinct = pd.DataFrame({"phone": uniques_text(uniques)})
    facts = assess_in_chunks(_assess_distinct, distinct, min_rows=_MIN_PHONES_TO_SPLIT)
    problem_codes = pd.Categorical(facts["phone_problem"], categories=list(PHONE_PROBLEMS)).codes
    padded = np.append(np.asarray(problem_codes), -1)  # -1: no number at all
    problem = padded[np.where(codes < 0, len(padded) - 1, codes)]
    return pd.DataFrame(
        {
            "phone_key": spread(facts["phone_key"], codes, orders.index),
            "phone_problem": pd.Categorical.from_codes(
                problem.astype(np.int8), dtype=pd.CategoricalDtype(list(PHONE_PROBLEMS))
            ),
            # Distinct numbers are numbered by first appearance (``pd.factorize``), so the
            # codes of their keys, spread, are the codes of the orders' keys.
            "phone_code": spread_codes(_key_codes(facts["phone_key"]), codes),
        },
        index=orders.index,
    )
