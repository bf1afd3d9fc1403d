"""The demo shop's SKU catalogue: long realistic product names, prices, tax rates and stock."""

from __future__ import annotations

import random

import pandas as pd

from sellerguard.demo.vocabulary import PRODUCT_BRANDS, PRODUCT_CATEGORIES, PRODUCT_COLOURS

_ASIN_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ0123456789"
_PRICE_ENDINGS = (80, 80, 80, 0, 50, 90)


def _price(rng: random.Random, low: int, high: int) -> int:
    base = rng.uniform(low, high)
    rounded = int(base // 100) * 100 + rng.choice(_PRICE_ENDINGS)
    return max(rounded, 100)


def build_catalogue(rng: random.Random, size: int = 240) -> pd.DataFrame:
    """Return ``size`` SKUs of a small multi-category shop.

    Columns: ``sku``, ``asin``, ``product_name``, ``category``, ``unit_price`` (yen, tax
    included), ``tax_rate``, ``stock`` (units on hand: small shops keep few), ``popularity``
    (relative sales weight, long-tailed).
    """
    rows: list[dict[str, object]] = []
    categories = list(PRODUCT_CATEGORIES)
    prefixes = {name: f"{chr(65 + i)}{chr(75 + i)}" for i, name in enumerate(categories)}
    seen: set[str] = set()
    for number in range(size):
        category = categories[number % len(categories)]
        nouns, specs, (low, high), tax_rate = PRODUCT_CATEGORIES[category]
        kind = rng.randrange(len(nouns))
        name = nouns[kind]
        if rng.random() < 0.2:
            name += " " + (specs[kind] if rng.random() < 0.75 else rng.choice(specs))
        if rng.random() < 0.1:
            name += " " + rng.choice(PRODUCT_COLOURS[2:])
        if rng.random() < 0.06:
            name = rng.choice(PRODUCT_BRANDS[1:]) + name
        if rng.random() < 0.04:
            name += rng.choice((" プレゼント ギフト", " 送料無料 ポスト投函", " 日本製"))
        while name in seen:
            name += f" {rng.randint(2, 9)}個組"
        seen.add(name)
        sku_style = number % 3
        if sku_style == 0:
            sku = f"{prefixes[category]}-{number + 1001:04d}"
        elif sku_style == 1:
            sku = f"{prefixes[category]}{number + 1001}-{rng.choice('SMLX')}"
        else:
            sku = f"{number + 20001}-{prefixes[category].lower()}"
        stock = rng.choice((1, 2, 3, 3, 5, 5, 8, 10, 12, 20, 30, 50))
        rows.append(
            {
                "sku": sku,
                "asin": "B0" + "".join(rng.choices(_ASIN_ALPHABET, k=8)),
                "product_name": name,
                "category": category,
                "unit_price": _price(rng, low, high),
                "tax_rate": tax_rate,
                "stock": stock,
                "popularity": rng.paretovariate(1.2),
            }
        )
    return pd.DataFrame(rows)
