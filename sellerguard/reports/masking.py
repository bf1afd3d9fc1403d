"""Keep buyer personal data out of reports unless the seller explicitly asks for it.

Names, street lines, phones and e-mail relays are replaced by a mask; order ids, prefecture
and city stay; postal codes keep their first three digits (and full codes are scrubbed from
free text, since with the city they narrow an address down to a street). Because free text (rule
explanations, the seller's own notes) may quote a buyer's name or phone, every text that
goes into a masked report is also scrubbed of the input's PII values.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import pandas as pd

MASK = "＊＊＊"
PII_COLUMNS: tuple[str, ...] = (
    "buyer_name",
    "recipient_name",
    "buyer_email",
    "buyer_phone",
    "ship_phone",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
)
"""Columns holding buyer personal data (masked unless ``include_pii``)."""

DERIVED_PII_COLUMNS: tuple[str, ...] = (
    "address_canonical",
    "address_key",
    "building_key",
    "phone_key",
    "name_key",
    "account_key",
    "buyer_key",
    "recipient_key",
    "place_key",
    "surname",
)
"""Normalised forms of the same data: they also identify a buyer."""

_MIN_LENGTH = 2
_DIGITS = re.compile(r"\D+")


def pii_values(orders: pd.DataFrame) -> set[str]:
    """Return every buyer-identifying text value in ``orders`` (and phones as bare digits)."""
    values: set[str] = set()
    for column in (*PII_COLUMNS, *DERIVED_PII_COLUMNS):
        if column not in orders.columns:
            continue
        texts = orders[column].dropna().astype("str").str.strip()
        values.update(texts.loc[texts.str.len() >= _MIN_LENGTH].unique().tolist())
        if "phone" in column:
            digits = texts.str.replace(_DIGITS, "", regex=True)
            values.update(digits.loc[digits.str.len() >= 6].unique().tolist())
    if "ship_postal_code" in orders.columns:
        codes = (
            orders["ship_postal_code"].dropna().astype("str").str.replace(_DIGITS, "", regex=True)
        )
        seven = [str(code) for code in codes.loc[codes.str.len() == 7].unique()]
        values.update(seven)
        values.update(f"{code[:3]}-{code[3:]}" for code in seven)
    return values


class Scrubber:
    """Replace known PII values in free text with the mask (longest values first)."""

    def __init__(self, values: Iterable[str]) -> None:
        ordered = sorted({v for v in values if len(v) >= _MIN_LENGTH}, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, ordered))) if ordered else None

    def text(self, value: str) -> str:
        """Return ``value`` with every known PII value masked."""
        if self._pattern is None or not value:
            return value
        return self._pattern.sub(MASK, value)

    def series(self, values: pd.Series) -> pd.Series:
        """Scrub a text column (NA stays NA)."""
        if self._pattern is None:
            return values
        return values.astype("str").str.replace(self._pattern, MASK, regex=True)


def mask_postal_code(codes: pd.Series) -> pd.Series:
    """Keep the first three digits of a postal code: ``123-4567`` → ``123-****``."""
    digits = codes.astype("str").str.replace(_DIGITS, "", regex=True)
    return digits.str.slice(0, 3).where(digits.str.len() > 0) + "-****"


def mask_orders(orders: pd.DataFrame) -> pd.DataFrame:
    """Return ``orders`` with PII columns masked and derived keys dropped."""
    masked = orders.drop(columns=[c for c in DERIVED_PII_COLUMNS if c in orders.columns])
    for column in PII_COLUMNS:
        if column in masked.columns:
            present = masked[column].notna() & (masked[column].astype("str").str.len() > 0)
            masked[column] = masked[column].astype("str").mask(present, MASK)
    if "ship_postal_code" in masked.columns:
        masked["ship_postal_code"] = mask_postal_code(masked["ship_postal_code"])
    return masked
