"""Address, phone and name facts: normalised once per distinct value, checked against Japan Post.

Public API (docs/ARCHITECTURE.md §2)::

    assess_addresses(orders) -> DataFrame   # postal_code ... address_key, address_problem, codes
    assess_phones(orders) -> DataFrame      # phone_key, phone_problem, phone_code
    normalise_name(series) -> Series        # linking key for names
    normalise_address(line1, ..., postal_code=, state=, city=) -> NormalisedAddress
"""

from __future__ import annotations

from sellerguard.address.assess import (
    ADDRESS_PROBLEMS,
    NormalisedAddress,
    assess_addresses,
    load_reference_data,
    normalise_address,
)
from sellerguard.address.japanpost import PostalTable, postal_table
from sellerguard.address.names import normalise_name
from sellerguard.address.phones import PHONE_PROBLEMS, assess_phones, phone_key

__all__ = [
    "ADDRESS_PROBLEMS",
    "PHONE_PROBLEMS",
    "NormalisedAddress",
    "PostalTable",
    "assess_addresses",
    "assess_phones",
    "load_reference_data",
    "normalise_address",
    "normalise_name",
    "phone_key",
    "postal_table",
]
