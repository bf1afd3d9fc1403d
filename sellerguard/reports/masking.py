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


def _value_forms(orders: pd.DataFrame) -> pd.DataFrame:
    """Long table (``row``, ``value``) of every PII text of each row, phones also as digits
    and postal codes in both ``1234567`` and ``123-4567`` forms."""
    parts: list[pd.DataFrame] = []

    def add(values: pd.Series) -> None:
        values = values.dropna().astype("str").str.strip()
        values = values.loc[values.str.len() >= _MIN_LENGTH]
        parts.append(pd.DataFrame({"row": values.index, "value": values.to_numpy()}))

    for column in (*PII_COLUMNS, *DERIVED_PII_COLUMNS):
        if column not in orders.columns:
            continue
        add(orders[column])
        if "phone" in column:
            digits = orders[column].astype("str").str.replace(_DIGITS, "", regex=True)
            add(digits.loc[digits.str.len() >= 6])
    if "ship_postal_code" in orders.columns:
        codes = orders["ship_postal_code"].astype("str").str.replace(_DIGITS, "", regex=True)
        seven = codes.loc[codes.str.len() == 7]
        add(seven)
        add(seven.str.slice(0, 3) + "-" + seven.str.slice(3))
    if not parts:
        return pd.DataFrame({"row": pd.Series(dtype="int64"), "value": pd.Series(dtype="str")})
    return pd.concat(parts, ignore_index=True).drop_duplicates()


def pii_values(orders: pd.DataFrame) -> set[str]:
    """Return every buyer-identifying text value in ``orders`` (and phones as bare digits)."""
    return {str(value) for value in _value_forms(orders)["value"].unique()}


class Scrubber:
    """Replace known PII values in free text with the mask (longest match first).

    Looks up every substring whose length is one of the values' lengths in a set, so it
    handles hundreds of thousands of values without building a huge regular expression;
    meant for the few free texts a seller wrote (notes, responses, titles).
    """

    def __init__(self, values: Iterable[str]) -> None:
        self._values = frozenset(v for v in values if len(v) >= _MIN_LENGTH)
        self._lengths = sorted({len(v) for v in self._values}, reverse=True)

    def text(self, value: str) -> str:
        """Return ``value`` with every known PII value masked."""
        if not self._values or not value:
            return value
        out: list[str] = []
        i, n = 0, len(value)
        while i < n:
            for length in self._lengths:
                if i + length <= n and value[i : i + length] in self._values:
                    out.append(MASK)
                    i += length
                    break
            else:
                out.append(value[i])
                i += 1
        return "".join(out)


def scrub_by_group(texts: pd.Series, orders: pd.DataFrame) -> pd.Series:
    """Mask in each row's text the PII of that row's linked group (or of the row alone).

    Generated explanations quote what links an order to others, i.e. values of its own
    group, so each text is checked against its group's values only; this stays fast for
    tens of thousands of flagged orders.
    """
    result = texts.astype("str")
    if result.empty:
        return result
    key = pd.Series(orders.index.astype("str"), index=orders.index, dtype="str")
    if "group_id" in orders.columns:
        key = ("g:" + orders["group_id"].astype("str")).fillna("o:" + key)
    forms = _value_forms(orders)
    forms["key"] = key.loc[forms["row"]].to_numpy()
    by_key = forms.groupby("key", sort=False)["value"].agg(
        lambda values: sorted(set(values), key=len, reverse=True)
    )
    values_of = by_key.to_dict()
    scrubbed = []
    for text, group in zip(result, key, strict=True):
        if isinstance(text, str):
            for value in values_of.get(group, ()):
                if value in text:
                    text = text.replace(value, MASK)
        scrubbed.append(text)
    return pd.Series(scrubbed, index=result.index, dtype="str")


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
