"""Generate a labelled demo dataset of Seller Central exports with planted harassment.

``generate_demo`` writes, per era, the files a seller downloads (all-orders report, order
report, pending-orders report, returns report) in their real layouts, plus ``labels.csv``
(``order_id,label,pattern,campaign``) saying which orders are harassment and which
legitimate look-alike each other order is. The historic era (2023-01-01 to 2024-06-05) has
cash on delivery and is written in cp932 with CRLF; the current era (from 2024-06-06) has
none and is UTF-8 with LF.
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Literal
from zoneinfo import ZoneInfo

import numpy as np
import pandas as pd

from sellerguard.demo.catalogue import build_catalogue
from sellerguard.demo.layouts import (
    ALL_ORDERS_COLUMNS,
    LABELS_COLUMNS,
    ORDER_REPORT_COD_COLUMNS,
    ORDER_REPORT_COLUMNS,
    PENDING_ORDERS_COLUMNS,
    RETURNS_COLUMNS,
    write_tsv,
)
from sellerguard.demo.lifecycle import derive_lifecycle
from sellerguard.demo.places import load_places
from sellerguard.demo.scenario import (
    DAY,
    HARASSMENT_PATTERNS,
    LOOKALIKE_PATTERNS,
    REFUSED,
    RETURNED,
    ScenarioBuilder,
)
from sellerguard.demo.vocabulary import RETURN_REASONS_LEGIT
from sellerguard.errors import InvalidSettings

Era = Literal["historic", "current"]
TOKYO = ZoneInfo("Asia/Tokyo")
COD_LAST_DAY = date(2024, 6, 5)
HISTORIC_FIRST_DAY = date(2023, 1, 1)
MIN_ORDERS_PER_ERA = 500
ERA_CHOICES: tuple[str, ...] = ("both", "current", "historic")

FILE_NAMES: Mapping[str, str] = {
    "all_orders": "all_orders.txt",
    "order_report": "orders.txt",
    "pending": "pending_orders.txt",
    "returns": "returns.txt",
    "labels": "labels.csv",
}
# Fewest orders a campaign of each pattern has, so that the pattern shows in the exports
# (two cancellations by one person are what ordinary customers do too).
MIN_CAMPAIGN: Mapping[str, int] = {
    "harvested_cod": 3,
    "fictitious_address": 1,
    "pending_lock": 2,
    "repeat_cancel": 3,
    "variant_address": 3,
    "shared_phone": 3,
    "burst_quantity": 3,
}
_LOOKALIKE_WEIGHTS: Mapping[str, float] = {
    "legit_family": 0.36,
    "legit_sharehouse": 0.09,
    "legit_apartment": 0.12,
    "legit_office": 0.12,
    "legit_relatives": 0.10,
    "legit_gift": 0.09,
    "legit_bulk": 0.06,
    "legit_canceller": 0.06,
}


@dataclass(frozen=True)
class EraManifest:
    """What was written for one era.

    Attributes
    ----------
    era : str
        ``historic`` or ``current``.
    folder : Path
        The era's sub-folder.
    files : dict
        Kind (``all_orders``, ``order_report``, ``pending``, ``returns``, ``labels``) → path.
    rows : dict
        Kind → data rows written (header excluded).
    orders : int
        Distinct orders in the era.
    harassment_orders : int
        Orders labelled 1.
    patterns : dict
        Pattern → number of orders.
    campaigns : int
        Harassment campaigns (distinct harassers).
    first_day, last_day : date
        The order window (Japan time).
    encoding, newline : str
        How the exports are encoded.
    """

    era: str
    folder: Path
    files: dict[str, Path]
    rows: dict[str, int]
    orders: int
    harassment_orders: int
    patterns: dict[str, int]
    campaigns: int
    first_day: date
    last_day: date
    encoding: str
    newline: str


@dataclass(frozen=True)
class DemoManifest:
    """What :func:`generate_demo` wrote: the output folder and one entry per era."""

    out_dir: Path
    seed: int
    eras: tuple[EraManifest, ...] = field(default_factory=tuple)

    @property
    def orders(self) -> int:
        """Distinct orders across the eras."""
        return sum(era.orders for era in self.eras)

    @property
    def harassment_orders(self) -> int:
        """Orders labelled harassment across the eras."""
        return sum(era.harassment_orders for era in self.eras)

    def export_files(self) -> list[Path]:
        """Every export file written (labels excluded), era by era."""
        return [path for era in self.eras for kind, path in era.files.items() if kind != "labels"]


def generate_demo(
    out_dir: str | Path,
    *,
    orders: int = 3000,
    seed: int = 7,
    era: str = "both",
    end: date | None = None,
) -> DemoManifest:
    """Write a realistic, labelled demo dataset and return what was written.

    Parameters
    ----------
    out_dir : str or Path
        Folder to write into; one sub-folder per era (``historic/``, ``current/``).
    orders : int
        Distinct orders in the whole dataset (split evenly when ``era="both"``).
    seed : int
        Everything is deterministic for a seed (and ``end``).
    era : {"both", "current", "historic"}
        Which eras to write.
    end : date, optional
        Last day of the current era (default: today in Japan). The historic era always
        runs from 2023-01-01 to 2024-06-05.

    Returns
    -------
    DemoManifest

    Raises
    ------
    InvalidSettings
        When ``orders`` is too small, ``era`` unknown or ``end`` before 2024-06-07.
    """
    if era not in ERA_CHOICES:
        raise InvalidSettings("demo_era", era=era, choices=", ".join(ERA_CHOICES))
    minimum = MIN_ORDERS_PER_ERA * (2 if era == "both" else 1)
    if orders < minimum:
        raise InvalidSettings("demo_orders", orders=orders, minimum=minimum)
    last_day = end or datetime.now(TOKYO).date()
    if era != "historic" and last_day < COD_LAST_DAY + timedelta(days=2):
        raise InvalidSettings("demo_end", end=last_day.isoformat())
    folder = Path(out_dir)
    eras: list[Era] = ["historic", "current"] if era == "both" else [era]  # type: ignore[list-item]
    counts = [orders // 2, orders - orders // 2] if era == "both" else [orders]
    manifests = []
    for offset, (name, count) in enumerate(zip(eras, counts, strict=True)):
        if name == "historic":
            first, last = HISTORIC_FIRST_DAY, COD_LAST_DAY
        else:
            span = int(min(max(count / 15, 90), 365))
            first = max(last_day - timedelta(days=span - 1), COD_LAST_DAY + timedelta(days=1))
            last = last_day
        manifests.append(
            _generate_era(folder / name, name, count, seed * 1009 + offset, first, last)
        )
    return DemoManifest(out_dir=folder, seed=seed, eras=tuple(manifests))


def _epoch(day: date, moment: time) -> float:
    return datetime.combine(day, moment, tzinfo=TOKYO).timestamp()


def _campaign_size(rng: random.Random) -> int:
    return round(math.exp(rng.uniform(math.log(2), math.log(40))))


def _build_scenario(rng: random.Random, builder: ScenarioBuilder, count: int, cod: bool) -> None:
    patterns = [p for p in HARASSMENT_PATTERNS if cod or p != "harvested_cod"]
    weights = [3.0 if p == "harvested_cod" else 1.0 for p in patterns]
    harassment_quota = round(count * rng.uniform(0.02, 0.05))
    harassment = 0
    for pattern in patterns:
        harassment += builder.add_campaign(rng.randint(MIN_CAMPAIGN[pattern], 10), [pattern])
    rounds: list[str] = []
    while harassment < harassment_quota:
        if not rounds:
            rounds = rng.sample(patterns, k=len(patterns))
            rounds += rng.choices(patterns, weights=weights, k=len(patterns) // 2)
        primary = rounds.pop()
        size = min(_campaign_size(rng), max(2, harassment_quota - harassment))
        mix = [primary]
        if rng.random() < 0.3:
            mix.append(rng.choice([p for p in patterns if p != primary]))
        if size < sum(MIN_CAMPAIGN[pattern] + 1 for pattern in mix):
            mix = mix[:1]
        size = max(size, MIN_CAMPAIGN[primary])
        harassment += builder.add_campaign(size, mix)

    lookalike_quota = round(count * rng.uniform(0.14, 0.22))
    names = list(_LOOKALIKE_WEIGHTS)
    for pattern in LOOKALIKE_PATTERNS:
        builder.add_lookalike_group(pattern)
    while builder.order_count < harassment + lookalike_quota:
        builder.add_lookalike_group(
            rng.choices(names, weights=list(_LOOKALIKE_WEIGHTS.values()))[0]
        )
    spikes = rng.randint(1, 3) + count // 200_000
    for _ in range(spikes):
        builder.add_sale_spike()
    builder.add_plain_customers(max(count - builder.order_count, 0))


def _iso(seconds: np.ndarray) -> np.ndarray:
    """Format POSIX seconds as ``YYYY-MM-DDTHH:MM:SS+09:00``; NaN becomes ''."""
    out = np.full(len(seconds), "", dtype=object)
    valid = ~np.isnan(seconds)
    local = (np.floor(seconds[valid]) + 9 * 3600).astype("int64").astype("datetime64[s]")
    out[valid] = np.char.add(np.datetime_as_string(local, unit="s"), "+09:00")
    return out


def _unique_order_ids(rng: np.random.Generator, size: int) -> np.ndarray:
    ids: list[str] = []
    seen: set[str] = set()
    while len(ids) < size:
        need = size - len(ids)
        first = rng.integers(249, 504, need)
        middle = rng.integers(0, 10**7, need)
        last = rng.integers(0, 10**7, need)
        for a, b, c in zip(first.tolist(), middle.tolist(), last.tolist(), strict=True):
            order_id = f"{a:03d}-{b:07d}-{c:07d}"
            if order_id not in seen:
                seen.add(order_id)
                ids.append(order_id)
    return np.array(ids, dtype=object)


def _generate_era(
    folder: Path, era: Era, count: int, seed: int, first_day: date, last_day: date
) -> EraManifest:
    rng = random.Random(seed)
    np_rng = np.random.default_rng(seed)
    cod = era == "historic"
    start = _epoch(first_day, time(0, 0))
    export_ts = _epoch(last_day, time(23, 59, 59))
    catalogue = build_catalogue(random.Random(seed // 1009))
    builder = ScenarioBuilder(rng, load_places(), catalogue, start, export_ts, cod=cod)
    _build_scenario(rng, builder, count, cod)
    identities, orders = builder.to_frames()
    if len(orders) != count:
        raise RuntimeError(f"scenario has {len(orders)} orders instead of {count}")
    orders = orders.join(derive_lifecycle(orders, export_ts, np_rng))
    size = len(orders)
    orders["order_id"] = _unique_order_ids(np_rng, size)
    orders["is_prime"] = np_rng.random(size) < (0.35 if cod else 0.45)
    orders["service_level"] = np.where(
        orders["is_prime"] & (np_rng.random(size) < 0.25),
        "Expedited",
        np.where(np_rng.random(size) < 0.06, "Expedited", "Standard"),
    )

    items = _items(orders, catalogue, np_rng)
    items = items.join(identities, on="identity")

    encoding, newline = ("cp932", "\r\n") if cod else ("utf-8", "\n")
    folder.mkdir(parents=True, exist_ok=True)
    files = {kind: folder / name for kind, name in FILE_NAMES.items()}
    rows = {
        "all_orders": write_tsv(
            (_all_orders_frame(chunk) for chunk in _chunks(items)),
            files["all_orders"], ALL_ORDERS_COLUMNS, encoding=encoding, newline=newline,
        ),
        "order_report": write_tsv(
            (
                _order_report_frame(chunk[chunk["in_order_report"]], np_rng, cod)
                for chunk in _chunks(items)
            ),
            files["order_report"],
            ORDER_REPORT_COD_COLUMNS if cod else ORDER_REPORT_COLUMNS,
            encoding=encoding,
            newline=newline,
        ),
        "pending": write_tsv(
            _pending_frame(items[items["in_pending_report"]]), files["pending"],
            PENDING_ORDERS_COLUMNS, encoding=encoding, newline=newline,
        ),
        "returns": write_tsv(
            _returns_frame(items[items["returned"] & (items["line"] == 0)], np_rng),
            files["returns"], RETURNS_COLUMNS, encoding=encoding, newline=newline,
        ),
    }  # fmt: skip
    labels = pd.DataFrame(
        {
            "order_id": orders["order_id"],
            "label": orders["label"].astype(str),
            "pattern": orders["pattern"],
            "campaign": orders["campaign"].astype(str),
        }
    )
    rows["labels"] = write_tsv(
        labels, files["labels"], LABELS_COLUMNS, encoding="utf-8", newline="\n", delimiter=","
    )
    harassment = orders[orders["label"] == 1]
    return EraManifest(
        era=era,
        folder=folder,
        files=files,
        rows=rows,
        orders=size,
        harassment_orders=len(harassment),
        patterns={str(k): int(v) for k, v in orders["pattern"].value_counts().sort_index().items()},
        campaigns=int(harassment["campaign"].nunique()),
        first_day=first_day,
        last_day=last_day,
        encoding=encoding,
        newline=newline,
    )


def _chunks(frame: pd.DataFrame, size: int = 200_000) -> Iterator[pd.DataFrame]:
    """Consecutive slices of ``frame`` (file rows are built and written a slice at a time)."""
    for start in range(0, max(len(frame), 1), size):
        yield frame.iloc[start : start + size]


def _items(orders: pd.DataFrame, catalogue: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    """One row per item line: most orders have one item, some legitimate ones two or three."""
    size = len(orders)
    multi = (orders["label"].to_numpy() == 0) & (rng.random(size) < 0.03)
    extra_count = np.where(multi, rng.choice([1, 2], size=size, p=[0.8, 0.2]), 0)
    positions = np.concatenate([np.arange(size), np.repeat(np.arange(size), extra_count)])
    lines = np.concatenate([np.zeros(size, dtype=np.int64), _line_numbers(extra_count)])
    items = orders.iloc[positions].reset_index(drop=True)
    items["line"] = lines
    extra = lines > 0
    items.loc[extra, "sku_index"] = rng.integers(0, len(catalogue), int(extra.sum()))
    items.loc[extra, "quantity"] = rng.choice([1, 1, 1, 2], int(extra.sum()))
    items = items.sort_values(["purchase_ts", "order_id", "line"], kind="stable", ignore_index=True)

    product = catalogue.iloc[items["sku_index"].to_numpy()].reset_index(drop=True)
    quantity = items["quantity"].to_numpy()
    unit = product["unit_price"].to_numpy()
    business = items["is_business"].to_numpy()
    unit = np.where(business, np.round(unit * 0.95), unit).astype(np.int64)
    price = unit * quantity
    rate = product["tax_rate"].to_numpy()
    items["sku"] = product["sku"].to_numpy()
    items["asin"] = product["asin"].to_numpy()
    items["product_name"] = product["product_name"].to_numpy()
    items["item_price"] = price
    items["item_tax"] = np.round(price * rate / (1 + rate)).astype(np.int64)
    shipping = np.where(
        (items["line"].to_numpy() == 0) & (price < 2000) & ~items["is_prime"].to_numpy(), 350, 0
    )
    items["shipping_price"] = shipping
    items["shipping_tax"] = np.round(shipping * 10 / 110).astype(np.int64)
    items["order_item_id"] = rng.integers(10**13, 10**14, len(items)).astype(str)
    return items


def _line_numbers(extra_count: np.ndarray) -> np.ndarray:
    total = int(extra_count.sum())
    if total == 0:
        return np.zeros(0, dtype=np.int64)
    starts = np.repeat(np.cumsum(extra_count) - extra_count, extra_count)
    numbers: np.ndarray = np.arange(total) - starts + 1
    return numbers


def _all_orders_frame(items: pd.DataFrame) -> pd.DataFrame:
    business = items["is_business"].to_numpy()
    gift = (items["pattern"] == "legit_gift").to_numpy() & (items["line"].to_numpy() == 0)
    return pd.DataFrame(
        {
            "amazon-order-id": items["order_id"],
            "merchant-order-id": "",
            "purchase-date": _iso(items["purchase_ts"].to_numpy()),
            "last-updated-date": _iso(items["last_updated_ts"].to_numpy()),
            "order-status": items["status"],
            "fulfillment-channel": "Merchant",
            "sales-channel": "Amazon.co.jp",
            "order-channel": "",
            "ship-service-level": items["service_level"],
            "product-name": items["product_name"],
            "sku": items["sku"],
            "asin": items["asin"],
            "item-status": items["item_status"],
            "quantity": items["quantity"].astype(str),
            "currency": "JPY",
            "item-price": items["item_price"].astype(str),
            "item-tax": items["item_tax"].astype(str),
            "shipping-price": items["shipping_price"].astype(str),
            "shipping-tax": items["shipping_tax"].astype(str),
            "gift-wrap-price": np.where(gift, "330", ""),
            "gift-wrap-tax": np.where(gift, "30", ""),
            "item-promotion-discount": "",
            "ship-promotion-discount": "",
            "ship-city": items["ship_city"],
            "ship-state": items["ship_state"],
            "ship-postal-code": items["ship_postal_code"],
            "ship-country": "JP",
            "promotion-ids": "",
            "is-business-order": np.where(business, "true", "false"),
            "purchase-order-number": _purchase_order_numbers(items),
            "price-designation": np.where(business, "Business Price", ""),
        }
    )


def _purchase_order_numbers(items: pd.DataFrame) -> np.ndarray:
    business = items["is_business"].to_numpy()
    digits = (items["order_item_id"].str.slice(0, 6)).to_numpy(dtype=str)
    numbered = np.char.add("PO", digits)
    return np.where(business, numbered, "")


def _order_report_frame(items: pd.DataFrame, rng: np.random.Generator, cod: bool) -> pd.DataFrame:
    price = items["item_price"].to_numpy()
    shipping = items["shipping_price"].to_numpy()
    business = items["is_business"].to_numpy()
    points = np.where(~business & (rng.random(len(items)) < 0.3), price // 100, 0)
    frame = pd.DataFrame(
        {
            "order-id": items["order_id"],
            "order-item-id": items["order_item_id"],
            "purchase-date": _iso(items["purchase_ts"].to_numpy()),
            "payments-date": _iso(items["payments_ts"].to_numpy()),
            "buyer-email": items["buyer_email"],
            "buyer-name": items["buyer_name"],
            "buyer-phone-number": items["buyer_phone"],
            "sku": items["sku"],
            "product-name": items["product_name"],
            "quantity-purchased": items["quantity"].astype(str),
            "currency": "JPY",
            "item-price": items["item_price"].astype(str),
            "item-tax": items["item_tax"].astype(str),
            "shipping-price": items["shipping_price"].astype(str),
            "shipping-tax": items["shipping_tax"].astype(str),
            "ship-service-level": items["service_level"],
            "recipient-name": items["recipient_name"],
            "ship-address-1": items["ship_address_1"],
            "ship-address-2": items["ship_address_2"],
            "ship-address-3": items["ship_address_3"],
            "ship-city": items["ship_city"],
            "ship-state": items["ship_state"],
            "ship-postal-code": items["ship_postal_code"],
            "ship-country": "JP",
            "ship-phone-number": items["ship_phone"],
            "delivery-start-date": "",
            "delivery-end-date": "",
            "delivery-time-zone": "",
            "delivery-Instructions": "",
            "sales-channel": "Amazon.co.jp",
            "is-business-order": np.where(business, "true", "false"),
            "purchase-order-number": _purchase_order_numbers(items),
            "price-designation": np.where(business, "Business Price", ""),
            "scheduled-delivery-start-date": "",
            "scheduled-delivery-end-date": "",
            "points-granted": points.astype(str),
            "is-prime": np.where(items["is_prime"].to_numpy(), "true", "false"),
        }
    )
    if cod:
        is_cod = (items["payment"] == "cod").to_numpy()
        first_line = items["line"].to_numpy() == 0
        fee = np.where(is_cod & first_line, 330, 0)
        frame["payment-method"] = np.where(is_cod, "COD", "Other")
        frame["cod-collectible-amount"] = np.where(is_cod, price + shipping + fee, 0).astype(str)
        frame["already-paid"] = np.where(is_cod, 0, price + shipping).astype(str)
        frame["payment-method-fee"] = fee.astype(str)
    return frame


def _pending_frame(items: pd.DataFrame) -> pd.DataFrame:
    payment = items["payment"].to_numpy()
    return pd.DataFrame(
        {
            "order-id": items["order_id"],
            "order-item-id": items["order_item_id"],
            "purchase-date": _iso(items["purchase_ts"].to_numpy()),
            "sku": items["sku"],
            "product-name": items["product_name"],
            "quantity-purchased": items["quantity"].astype(str),
            "payment-type": np.where(
                payment == "cvs", "CVS", np.where(payment == "cod", "COD", "Other")
            ),
        }
    )


def _returns_frame(items: pd.DataFrame, rng: np.random.Generator) -> pd.DataFrame:
    size = len(items)
    fate = items["fate"].to_numpy()
    refused = fate == REFUSED
    legit_return = fate == RETURNED
    undeliverable_reason = rng.choice(
        np.array(["UNDELIVERABLE_UNKNOWN", "UNDELIVERABLE_INSUFFICIENT_ADDRESS"]), size=size
    )
    reason = np.where(
        refused,
        "UNDELIVERABLE_REFUSED",
        np.where(
            legit_return,
            rng.choice(np.array(RETURN_REASONS_LEGIT), size=size),
            undeliverable_reason,
        ),
    )
    price = items["item_price"].to_numpy()
    unpaid = (items["payment"] == "cod").to_numpy()
    alphabet = np.array(list("ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789"))
    letters = rng.choice(alphabet, size=(size, 9))
    rma = np.char.add("D", np.array(["".join(row) for row in letters.tolist()], dtype=str))
    recent = items["return_ts"].to_numpy() > items["return_ts"].max() - 7 * DAY
    return pd.DataFrame(
        {
            "order-id": items["order_id"],
            "order-date": _iso(items["purchase_ts"].to_numpy()),
            "return-request-date": _iso(items["return_ts"].to_numpy()),
            "return-request-status": np.where(legit_return & recent, "Approved", "Closed"),
            "amazon-rma-id": rma,
            "merchant-sku": items["sku"],
            "asin": items["asin"],
            "item-name": items["product_name"],
            "return-quantity": items["quantity"].astype(str),
            "return-reason": reason,
            "refunded-amount": np.where(unpaid, 0, price).astype(str),
        }
    )
