"""The linking key of an identifier the seller types (an address, a phone, a name).

The key is computed by the same address, phone and name functions the scan uses, so a
watched value typed by hand matches the orders that carry it however they were typed.
"""

from __future__ import annotations

import pandas as pd

_ORDER_COLUMNS = (
    "ship_postal_code",
    "ship_state",
    "ship_city",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
    "ship_country",
    "ship_phone",
    "buyer_phone",
)


def _one_order(**values: str) -> pd.DataFrame:
    data = {column: pd.Series([values.get(column)], dtype="str") for column in _ORDER_COLUMNS}
    return pd.DataFrame(data)


def identifier_key(kind: str, text: str, postal_code: str = "") -> str | None:
    """The normalised key the scan would give ``text`` as a ``kind`` identifier.

    ``kind`` is ``address`` (``text`` the address after the postal code, which goes in
    ``postal_code``), ``phone``, ``name`` or ``account`` (the buyer e-mail). Returns None
    when nothing usable is left (an empty or unreadable value).
    """
    value = text.strip()
    if not value:
        return None
    if kind == "address":
        from sellerguard.address import assess_addresses

        facts = assess_addresses(
            _one_order(
                ship_postal_code=postal_code.strip(), ship_address_1=value, ship_country="JP"
            )
        )
        key = facts["address_key"].iloc[0]
    elif kind == "phone":
        from sellerguard.address import assess_phones

        key = assess_phones(_one_order(ship_phone=value))["phone_key"].iloc[0]
    elif kind == "name":
        from sellerguard.address import normalise_name

        key = normalise_name(pd.Series([value], dtype="str")).iloc[0]
    elif kind == "account":
        key = value.lower()
    else:
        return None
    return None if key is None or pd.isna(key) or not str(key) else str(key)
