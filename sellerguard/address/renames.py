"""Former place names that address books still hold, declared as data.

Japan Post's table only knows current names; a buyer's address book may not. Each entry says
which current city (as Japan Post spells it) an old name now belongs to, so an address written
with the old name is still recognised as the same, deliverable place.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class RenamedPlace:
    """One former name of (part of) a current city.

    Attributes
    ----------
    prefecture
        Prefecture, as Japan Post writes it.
    old
        The former city/ward as people still write it (``浜松市中区``).
    new
        The current city/ward in Japan Post's table (``浜松市中央区``).
    since
        ISO date the change took effect.
    """

    prefecture: str
    old: str
    new: str
    since: str


RENAMED_PLACES: tuple[RenamedPlace, ...] = (
    # Hamamatsu reorganised its seven wards into three on 2024-01-01.
    RenamedPlace("静岡県", "浜松市中区", "浜松市中央区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市東区", "浜松市中央区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市西区", "浜松市中央区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市南区", "浜松市中央区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市北区", "浜松市中央区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市北区", "浜松市浜名区", "2024-01-01"),
    RenamedPlace("静岡県", "浜松市浜北区", "浜松市浜名区", "2024-01-01"),
    RenamedPlace("静岡県", "浜北市", "浜松市浜名区", "2005-07-01"),
    RenamedPlace("静岡県", "天竜市", "浜松市天竜区", "2005-07-01"),
    RenamedPlace("静岡県", "清水市", "静岡市清水区", "2003-04-01"),
    # Well-known mergers whose old names still circulate.
    RenamedPlace("埼玉県", "鳩ケ谷市", "川口市", "2011-10-11"),
    RenamedPlace("埼玉県", "岩槻市", "さいたま市岩槻区", "2005-04-01"),
    RenamedPlace("東京都", "保谷市", "西東京市", "2001-01-21"),
    RenamedPlace("東京都", "田無市", "西東京市", "2001-01-21"),
    RenamedPlace("大阪府", "南河内郡美原町", "堺市美原区", "2005-02-01"),
    RenamedPlace("千葉県", "東葛飾郡沼南町", "柏市", "2005-03-28"),
)


def former_names(prefecture: str, city: str) -> list[str]:
    """Return the former names that now mean ``city`` of ``prefecture``."""
    return [p.old for p in RENAMED_PLACES if p.prefecture == prefecture and p.new == city]
