"""Who orders what, when, and how it ends: legitimate customers, look-alikes and harassers.

The :class:`ScenarioBuilder` accumulates order *specifications* — an identity (buyer,
recipient, address, phones), a purchase time, a SKU and quantity, a payment kind and a
fate — labelled with ``label``/``pattern``/``campaign``. Plain customers are added in bulk;
look-alike groups and harassment campaigns are built one group at a time. The lifecycle
(payment, shipping, cancellation, return timestamps) is derived later, vectorised, in
:mod:`sellerguard.demo.lifecycle`.

Harassment (label 1), one campaign per harasser, up to 40 orders over hours to weeks,
sometimes two patterns in one campaign (at least three orders each):

- ``harvested_cod`` (historic only): 1–4 accounts send COD parcels to real, deliverable
  addresses of uninvolved people; the buyer name is the account's or the victim's; the
  harasser's phone(s) on a varying share of orders. Mostly refused (returns report,
  ``UNDELIVERABLE_REFUSED``), some cancelled, a few paid by a confused recipient.
- ``fictitious_address``: 1–4 of: unknown postal code, a real code of another
  prefecture / city / town, 番地 missing, nonsense text; new or reused accounts, a reused
  or placeholder phone. Cancelled after becoming actionable, or shipped and returned
  undeliverable.
- ``pending_lock``: convenience-store orders of the whole stock (or 5–30 units) of one SKU
  by a new account each time, never paid: Pending, auto-cancelled 6 days later, again right
  after (one at a time, or 2–4 in parallel) or irregularly. Never in the order report; the
  series still running at export shows in the pending-orders report.
- ``repeat_cancel``: one person (name typed differently, one address, one phone, 1–4
  accounts) cancels after the order became actionable, again and again; pays once now
  and then.
- ``variant_address``: one address typed many ways (widths, 丁目 or hyphens, city in line
  1, building moved, room sometimes left out) under new names and accounts.
- ``shared_phone``: one third party's phone (often a landline) across new names, accounts
  and real addresses all over Japan.
- ``burst_quantity``: several new accounts order 5–30 units of one SKU within minutes to
  hours; most never pay or are cancelled, one may be shipped.

Identity patterns always reach the order report (their evidence is there); the lock and
burst patterns show through the lifecycle, SKU and quantity in the all-orders report.

Legitimate orders (label 0): ``legit`` plain customers (one address, 72% a single order),
occasional cancellations, unpaid convenience-store orders, returns, a refused COD parcel or
an undeliverable one, and sale spikes (many new buyers on one SKU within hours, paid and
shipped); and the look-alikes ``legit_family`` (one surname, one address, a shared
landline), ``legit_sharehouse``, ``legit_apartment`` (one building, different rooms),
``legit_office`` (a Japan Post office code, many staff, one company phone, business
orders on weekdays), ``legit_relatives`` (a parent's phone at several addresses),
``legit_gift`` (one buyer, many recipients, in a gift season), ``legit_bulk`` (large
quantities, paid and shipped) and ``legit_canceller`` (cancels one or two of many orders).
"""

from __future__ import annotations

import bisect
import calendar
import itertools
import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime

import numpy as np
import pandas as pd

from sellerguard.demo import bulk
from sellerguard.demo.addresses import (
    Address,
    ShipTo,
    format_postal_code,
    render_address,
    residential_address,
    room_number,
    without_block,
)
from sellerguard.demo.people import (
    account_email,
    format_name,
    format_phone,
    landline_digits,
    mobile_digits,
    pick_family,
    pick_given,
    random_name,
)
from sellerguard.demo.places import PlaceTables
from sellerguard.demo.vocabulary import (
    COMPANY_FORMS,
    COMPANY_INDUSTRIES,
    COMPANY_STEMS,
    NONSENSE_ADDRESS_LINES,
    NONSENSE_NAMES,
    OFFICE_NAMES,
    SHAREHOUSE_NAMES,
)

HARASSMENT_PATTERNS: tuple[str, ...] = (
    "harvested_cod",
    "fictitious_address",
    "pending_lock",
    "repeat_cancel",
    "variant_address",
    "shared_phone",
    "burst_quantity",
)
LOOKALIKE_PATTERNS: tuple[str, ...] = (
    "legit_family",
    "legit_sharehouse",
    "legit_apartment",
    "legit_office",
    "legit_relatives",
    "legit_gift",
    "legit_bulk",
    "legit_canceller",
)
LEGIT_PATTERNS: tuple[str, ...] = (*LOOKALIKE_PATTERNS, "legit")

# Fates: how an order ends (timestamps are derived from these in lifecycle.py).
SHIP = "ship"  # paid (or COD accepted) and shipped
CANCEL_ACTIONABLE = "cancel_actionable"  # became actionable, then cancelled before shipping
CANCEL_PENDING = "cancel_pending"  # cancelled by the buyer while still unpaid (Pending)
NEVER_PAID = "never_paid"  # convenience-store order never paid: auto-cancelled after 6 days
REFUSED = "refused"  # COD parcel refused at the door and returned
UNDELIVERABLE = "undeliverable"  # shipped, came back: address does not exist
RETURNED = "returned"  # shipped, then returned by the customer

# fmt: off
_HOUR_WEIGHTS = np.array(
    [3, 2, 1.2, 0.7, 0.5, 0.6, 1.2, 2.2, 3, 3.5, 4, 4.3, 5, 4.6, 4.2, 4.2, 4.4, 4.6, 5, 5.6, 6.4,
     7, 6.6, 4.8],
    dtype=float,
)
# fmt: on
_HOUR_WEIGHTS /= _HOUR_WEIGHTS.sum()
_HOUR_CUMULATIVE = list(itertools.accumulate(_HOUR_WEIGHTS.tolist()))
DAY = 86_400.0
HOUR = 3_600.0

_IDENTITY_FIELDS = (
    "buyer_email",
    "buyer_name",
    "buyer_phone",
    "recipient_name",
    "ship_address_1",
    "ship_address_2",
    "ship_address_3",
    "ship_city",
    "ship_state",
    "ship_postal_code",
    "ship_phone",
)
_ORDER_FIELDS = (
    "identity",
    "purchase_ts",
    "sku_index",
    "quantity",
    "payment",
    "fate",
    "is_business",
    "label",
    "pattern",
    "campaign",
)


@dataclass(frozen=True)
class Person:
    """A buyer's identity as the order report shows it."""

    email: str
    name: str
    phone: str


@dataclass
class Harasser:
    """What one harasser (one campaign) reuses across its orders."""

    campaign: int
    start: float
    spread: float
    emails: list[str]
    names: list[str]
    phones: list[str]
    home: Address
    skus: list[int]


class ScenarioBuilder:
    """Accumulate the orders of one era.

    Parameters
    ----------
    rng : random.Random
        Source of every random choice (deterministic for a seed).
    places : PlaceTables
        Real Japan Post places.
    catalogue : DataFrame
        The shop's SKUs (see :func:`sellerguard.demo.catalogue.build_catalogue`).
    start, end : float
        The order window as POSIX seconds; ``end`` is the export moment.
    cod : bool
        Whether cash on delivery exists (the historic era).
    """

    def __init__(
        self,
        rng: random.Random,
        places: PlaceTables,
        catalogue: pd.DataFrame,
        start: float,
        end: float,
        *,
        cod: bool,
    ) -> None:
        self.rng = rng
        self.places = places
        self.catalogue = catalogue
        self.start = start
        self.end = end
        self.cod = cod
        self.identities: dict[str, list[str]] = {name: [] for name in _IDENTITY_FIELDS}
        self.orders: dict[str, list[object]] = {name: [] for name in _ORDER_FIELDS}
        self._bulk_frames: list[pd.DataFrame] = []
        self._identity_chunks: list[pd.DataFrame] = []
        self._identities_before = 0
        self._campaigns = 0
        self._ongoing_locks = 0
        residential = places.residential
        self._places = list(
            residential[["postal_code", "prefecture", "city", "town", "chome", "rural"]].itertuples(
                index=False, name=None
            )
        )
        weights = bulk.place_weights(places)
        self._place_cumulative = list(itertools.accumulate(weights.tolist()))
        self._places_by_city: dict[tuple[str, str], list[int]] = {}
        for position, place in enumerate(self._places):
            self._places_by_city.setdefault((place[1], place[2]), []).append(position)
        self._offices = list(
            places.offices[
                ["postal_code", "prefecture", "city", "town", "banchi", "name"]
            ].itertuples(index=False, name=None)
        )
        self._sku_cumulative = list(itertools.accumulate(catalogue["popularity"].tolist()))
        self._stock = catalogue["stock"].tolist()

    # ------------------------------------------------------------------ small draws
    def place(self) -> tuple[str, str, str, str, bool, bool]:
        """Return a residential place, weighted towards cities."""
        total = self._place_cumulative[-1]
        position = bisect.bisect_right(self._place_cumulative, self.rng.random() * total)
        return self._places[min(position, len(self._places) - 1)]

    def address(self, flat_share: float = 0.45) -> Address:
        """Return a new deliverable residential address."""
        return residential_address(self.rng, self.place(), flat_share=flat_share)

    def sku(self) -> int:
        """Return a SKU index, popular SKUs more often."""
        total = self._sku_cumulative[-1]
        position = bisect.bisect_right(self._sku_cumulative, self.rng.random() * total)
        return min(position, len(self._sku_cumulative) - 1)

    def phone(self, prefecture: str, mobile_share: float = 0.78) -> str:
        """Return national phone digits: mostly mobile, else a landline of ``prefecture``."""
        if self.rng.random() < mobile_share:
            return mobile_digits(self.rng)
        return landline_digits(self.rng, prefecture)

    def time(self, start: float | None = None, end: float | None = None) -> float:
        """Return a purchase moment in [start, end] following a daily rhythm."""
        low = self.start if start is None else max(start, self.start)
        high = self.end if end is None else min(end, self.end)
        if high - low < 2 * DAY:
            return self.rng.uniform(low, high)
        day_start = low - (low + 9 * HOUR) % DAY
        while True:
            day = day_start + DAY * self.rng.randrange(int((high - day_start) // DAY) + 1)
            hour = bisect.bisect_right(_HOUR_CUMULATIVE, self.rng.random())
            moment = day + min(hour, 23) * HOUR + self.rng.uniform(0, HOUR)
            if low <= moment <= high:
                return moment

    def office_time(self) -> float:
        """Return a purchase moment on a weekday between 9:00 and 18:00 (Japan time)."""
        moment = self.time()
        for _ in range(50):
            local = moment + 9 * HOUR
            weekday = (int(local // DAY) + 3) % 7  # 1970-01-01 was a Thursday
            if weekday < 5 and 9 <= (local % DAY) / HOUR < 18:
                return moment
            moment = self.time()
        return moment

    def inside(self, moment: float) -> float:
        """Return ``moment`` if it is in the window, else a moment just inside the edge."""
        if moment > self.end:
            return self.end - self.rng.uniform(0, min(HOUR, self.end - self.start))
        if moment < self.start:
            return self.start + self.rng.uniform(0, min(HOUR, self.end - self.start))
        return moment

    def legit_payment(self) -> str:
        """Return the payment kind of an ordinary order in this era."""
        roll = self.rng.random()
        if self.cod:
            return "card" if roll < 0.77 else ("cvs" if roll < 0.88 else "cod")
        return "card" if roll < 0.87 else "cvs"

    def legit_fate(self, payment: str) -> str:
        """Return how an ordinary order ends."""
        roll = self.rng.random()
        if payment == "cvs" and roll < 0.07:
            return NEVER_PAID
        if payment == "cvs" and roll < 0.09:
            return CANCEL_PENDING
        if roll < 0.985 - 0.018:
            mishap = self.rng.random()
            if mishap < 0.012:
                return RETURNED
            if mishap < 0.0135:
                return UNDELIVERABLE
            return REFUSED if payment == "cod" and mishap > 0.99 else SHIP
        return CANCEL_ACTIONABLE

    def legit_quantity(self) -> int:
        """Return an ordinary quantity (mostly 1)."""
        return self.rng.choices((1, 2, 3, 4, 5, 6), weights=(80, 11, 5, 2, 1.2, 0.8))[0]

    # ------------------------------------------------------------------ recording
    def add_identity(self, person: Person, recipient: str, ship_to: ShipTo, ship_phone: str) -> int:
        """Record an identity row and return its index."""
        row = (
            person.email,
            person.name,
            format_phone(self.rng, person.phone) if person.phone else "",
            recipient,
            ship_to.address_1,
            ship_to.address_2,
            ship_to.address_3,
            ship_to.city,
            ship_to.state,
            ship_to.postal_code,
            format_phone(self.rng, ship_phone) if ship_phone else "",
        )
        for name, value in zip(_IDENTITY_FIELDS, row, strict=True):
            self.identities[name].append(value)
        return self._identities_before + len(self.identities["buyer_email"]) - 1

    def _flush_identities(self) -> None:
        chunk = pd.DataFrame(self.identities, columns=list(_IDENTITY_FIELDS), dtype="str")
        self._identity_chunks.append(chunk)
        self._identities_before += len(chunk)
        self.identities = {name: [] for name in _IDENTITY_FIELDS}

    def add_order(
        self,
        identity: int,
        purchase_ts: float,
        sku_index: int,
        quantity: int,
        payment: str,
        fate: str,
        *,
        label: int = 0,
        pattern: str = "legit",
        campaign: int = 0,
        is_business: bool = False,
    ) -> None:
        """Record one order specification."""
        values = (
            identity,
            purchase_ts,
            sku_index,
            quantity,
            payment,
            fate,
            is_business,
            label,
            pattern,
            campaign,
        )
        for name, value in zip(_ORDER_FIELDS, values, strict=True):
            self.orders[name].append(value)

    @property
    def order_count(self) -> int:
        """Orders recorded so far (bulk and individual)."""
        return len(self.orders["identity"]) + sum(len(frame) for frame in self._bulk_frames)

    def simple_identity(
        self,
        person: Person | None = None,
        address: Address | None = None,
        *,
        recipient: str | None = None,
        ship_phone: str | None = None,
    ) -> int:
        """Record a buyer shipping to themselves (the usual case) and return the identity."""
        address = address or self.address()
        if person is None:
            family, given = pick_family(self.rng), pick_given(self.rng)
            person = Person(
                account_email(self.rng),
                format_name(self.rng, family, given),
                self.phone(address.prefecture),
            )
        ship_to = render_address(self.rng, address)
        return self.add_identity(
            person,
            recipient if recipient is not None else person.name,
            ship_to,
            ship_phone if ship_phone is not None else person.phone,
        )

    def legit_orders(
        self,
        identity: int,
        count: int,
        pattern: str,
        *,
        start: float | None = None,
        end: float | None = None,
        quantity: Callable[[], int] | None = None,
        is_business: bool = False,
        fates: Sequence[str] | None = None,
        office_hours: bool = False,
    ) -> None:
        """Add ``count`` ordinary orders by one identity."""
        for position in range(count):
            payment = self.legit_payment()
            fate = fates[position] if fates is not None else self.legit_fate(payment)
            if fate in (NEVER_PAID, CANCEL_PENDING):
                payment = "cvs"
            self.add_order(
                identity,
                self.office_time() if office_hours else self.time(start, end),
                self.sku(),
                quantity() if quantity else self.legit_quantity(),
                payment,
                fate,
                pattern=pattern,
                is_business=is_business,
            )

    # ------------------------------------------------------------------ plain customers
    def add_plain_customers(self, orders: int) -> None:
        """Add about ``orders`` orders from ordinary one-address customers, in bulk."""
        rng = self.rng
        per_customer: list[int] = []
        total = 0
        while total < orders:
            count = 1 if rng.random() < 0.72 else min(1 + int(rng.paretovariate(1.3)), 30)
            count = min(count, orders - total)
            per_customer.append(count)
            total += count
        np_rng = np.random.default_rng(rng.getrandbits(64))
        self._flush_identities()
        first = self._identities_before
        for start in range(0, len(per_customer), 100_000):
            chunk = min(100_000, len(per_customer) - start)
            self._identity_chunks.append(bulk.identities(np_rng, self.places, chunk))
        self._identities_before += len(per_customer)
        identity_column = np.repeat(np.arange(first, first + len(per_customer)), per_customer)
        size = len(identity_column)
        payments = self._bulk_payments(np_rng, size)
        fates = self._bulk_fates(np_rng, payments)
        popularity = self.catalogue["popularity"].to_numpy(dtype=float)
        quantities = np_rng.choice(
            np.array([1, 2, 3, 4, 5, 6]),
            size=size,
            p=np.array([80, 11, 5, 2, 1.2, 0.8]) / 100.0,
        )
        frame = pd.DataFrame(
            {
                "identity": identity_column,
                "purchase_ts": self._bulk_times(np_rng, size),
                "sku_index": np_rng.choice(
                    len(popularity), size=size, p=popularity / popularity.sum()
                ),
                "quantity": quantities,
                "payment": payments,
                "fate": fates,
                "is_business": np_rng.random(size) < 0.012,
                "label": np.zeros(size, dtype=np.int64),
                "pattern": "legit",
                "campaign": np.zeros(size, dtype=np.int64),
            }
        )
        self._bulk_frames.append(frame)

    def _bulk_times(self, np_rng: np.random.Generator, size: int) -> np.ndarray:
        first_day = self.start - (self.start + 9 * HOUR) % DAY
        days = int((self.end - first_day) // DAY) + 1
        day_weights = (
            1.0 + 0.25 * np.sin(np.arange(days) / 58.0) + 0.15 * (np.arange(days) % 7 >= 5)
        )
        day = np_rng.choice(days, size=size, p=day_weights / day_weights.sum())
        hour = np_rng.choice(24, size=size, p=_HOUR_WEIGHTS)
        moments = first_day + day * DAY + hour * HOUR + np_rng.uniform(0, HOUR, size)
        outside = (moments < self.start) | (moments > self.end)
        moments[outside] = np_rng.uniform(self.start, self.end, int(outside.sum()))
        return moments

    def _bulk_payments(self, np_rng: np.random.Generator, size: int) -> np.ndarray:
        if self.cod:
            return np_rng.choice(np.array(["card", "cvs", "cod"]), size=size, p=[0.77, 0.11, 0.12])
        return np_rng.choice(np.array(["card", "cvs"]), size=size, p=[0.87, 0.13])

    def _bulk_fates(self, np_rng: np.random.Generator, payments: np.ndarray) -> np.ndarray:
        roll = np_rng.random(len(payments))
        fates = np.full(len(payments), SHIP, dtype=object)
        fates[roll < 0.012] = RETURNED
        fates[(roll >= 0.012) & (roll < 0.03)] = CANCEL_ACTIONABLE
        cvs = payments == "cvs"
        cvs_roll = np_rng.random(len(payments))
        fates[cvs & (cvs_roll < 0.07)] = NEVER_PAID
        fates[cvs & (cvs_roll >= 0.07) & (cvs_roll < 0.09)] = CANCEL_PENDING
        shipped = fates == SHIP
        mishap = np_rng.random(len(payments))
        fates[shipped & (mishap < 0.0015)] = UNDELIVERABLE
        fates[shipped & (payments == "cod") & (mishap > 0.99)] = REFUSED
        return fates.astype(str)

    def add_sale_spike(self) -> int:
        """Add a legitimate rush on one SKU (a sale or a mention): many new buyers in hours.

        Paid and shipped, one or two units each — what a burst of harassment is not.
        Returns the orders added.
        """
        rng = self.rng
        sku = self.sku()
        centre = self.time()
        width = rng.uniform(1, 6) * HOUR
        count = rng.randint(5, 30)
        for _ in range(count):
            identity = self.simple_identity()
            payment = self.legit_payment()
            fate = SHIP if payment != "cvs" or rng.random() < 0.9 else NEVER_PAID
            moment = self.inside(centre + rng.uniform(0, width))
            self.add_order(identity, moment, sku, rng.choice((1, 1, 1, 2)), payment, fate)
        return count

    # ------------------------------------------------------------------ results
    def to_frames(self) -> tuple[pd.DataFrame, pd.DataFrame]:
        """Return (identities, orders) as DataFrames, orders sorted by purchase time."""
        self._flush_identities()
        identities = pd.concat(self._identity_chunks, ignore_index=True)
        single = pd.DataFrame(self.orders)
        frames = [frame for frame in [*self._bulk_frames, single] if len(frame)]
        orders = pd.concat(frames, ignore_index=True) if frames else single
        orders = orders.astype(
            {
                "identity": "int64",
                "purchase_ts": "float64",
                "sku_index": "int64",
                "quantity": "int64",
                "payment": "str",
                "fate": "str",
                "is_business": "bool",
                "label": "int64",
                "pattern": "str",
                "campaign": "int64",
            }
        )
        orders = orders.sort_values("purchase_ts", kind="stable", ignore_index=True)
        return identities, orders

    # ------------------------------------------------------------------ look-alikes
    def add_lookalike_group(self, pattern: str) -> None:
        """Add one group of legitimate orders that resembles harassment."""
        getattr(self, f"_{pattern}")()

    def _legit_family(self) -> None:
        rng = self.rng
        home = self.address(flat_share=0.35)
        family = pick_family(rng)
        house_phone = landline_digits(rng, home.prefecture) if rng.random() < 0.5 else ""
        for _ in range(rng.randint(2, 5)):
            phone = house_phone if house_phone and rng.random() < 0.6 else mobile_digits(rng)
            person = Person(account_email(rng), format_name(rng, family, pick_given(rng)), phone)
            identity = self.simple_identity(person, home)
            self.legit_orders(identity, rng.randint(1, 6), "legit_family")

    def _legit_sharehouse(self) -> None:
        rng = self.rng
        place = self.place()
        base = residential_address(rng, place, flat_share=0.0)
        house = replace(
            base, building=rng.choice(SHAREHOUSE_NAMES) + rng.choice(("", "", "A", "東", "1"))
        )
        rooms = rng.random() < 0.6
        for _ in range(rng.randint(3, 9)):
            member = replace(
                house, room=f"{rng.randint(1, 3)}{rng.randint(1, 9):02d}" if rooms else ""
            )
            identity = self.simple_identity(address=member)
            self.legit_orders(identity, rng.randint(1, 4), "legit_sharehouse")

    def _legit_apartment(self) -> None:
        rng = self.rng
        base = residential_address(rng, self.place(), flat_share=1.0)
        floors = rng.choice((3, 5, 8, 12, 20))
        for _ in range(rng.randint(4, 14)):
            resident = replace(base, room=room_number(rng, floors))
            identity = self.simple_identity(address=resident)
            self.legit_orders(identity, rng.randint(1, 3), "legit_apartment")

    def _legit_office(self) -> None:
        rng = self.rng
        code, prefecture, city, town, banchi, name = rng.choice(self._offices)
        if rng.random() < 0.75:
            name = company_name(rng)
        office = Address(
            code, prefecture, city, town, None, None, None, building=name, banchi_text=banchi
        )
        company_phone = landline_digits(rng, prefecture)
        shared_account = rng.random() < 0.3
        account = account_email(rng)
        for _ in range(rng.randint(3, 15)):
            staff = format_name(rng, pick_family(rng), pick_given(rng))
            person = Person(
                account if shared_account else account_email(rng),
                name if shared_account else staff,
                company_phone if rng.random() < 0.6 else mobile_digits(rng),
            )
            identity = self.simple_identity(
                person, office, recipient=staff, ship_phone=company_phone
            )
            self.legit_orders(
                identity,
                rng.randint(1, 5),
                "legit_office",
                office_hours=True,
                quantity=lambda: rng.choice((1, 1, 2, 3, 5, 10, 12, 20)),
                is_business=rng.random() < 0.75,
            )

    def _legit_relatives(self) -> None:
        rng = self.rng
        parent_home = self.address(flat_share=0.1)
        parent_phone = self.phone(parent_home.prefecture, mobile_share=0.4)
        family = pick_family(rng)
        for _ in range(rng.randint(2, 4)):
            surname = family if rng.random() < 0.6 else pick_family(rng)
            person = Person(
                account_email(rng), format_name(rng, surname, pick_given(rng)), parent_phone
            )
            identity = self.simple_identity(person, ship_phone=parent_phone)
            self.legit_orders(identity, rng.randint(1, 4), "legit_relatives")

    def _gift_window(self) -> tuple[float, float]:
        rng = self.rng
        span = self.end - self.start
        if span < 40 * DAY:
            return self.start, self.end
        seasons = [
            moment
            for moment in _gift_seasons(self.start, self.end)
            if self.start <= moment <= self.end
        ]
        centre = rng.choice(seasons) if seasons and rng.random() < 0.8 else self.time()
        return centre - rng.uniform(2, 20) * DAY, centre + rng.uniform(1, 10) * DAY

    def _legit_gift(self) -> None:
        rng = self.rng
        home = self.address()
        family, given = pick_family(rng), pick_given(rng)
        buyer = Person(
            account_email(rng), format_name(rng, family, given), self.phone(home.prefecture)
        )
        start, end = self._gift_window()
        for _ in range(rng.randint(3, 12)):
            recipient_home = self.address()
            recipient = random_name(rng)
            ship_phone = (
                buyer.phone if rng.random() < 0.5 else self.phone(recipient_home.prefecture)
            )
            identity = self.add_identity(
                buyer, recipient, render_address(rng, recipient_home), ship_phone
            )
            self.add_order(
                identity, self.time(start, end), self.sku(), 1, "card", SHIP, pattern="legit_gift"
            )
        own = self.simple_identity(buyer, home)
        self.legit_orders(own, rng.randint(0, 3), "legit_gift")

    def _legit_bulk(self) -> None:
        rng = self.rng
        identity = self.simple_identity()
        business = rng.random() < 0.4
        favourite = self.sku()
        for _ in range(rng.randint(2, 8)):
            sku = favourite if rng.random() < 0.6 else self.sku()
            payment = "card" if not self.cod or rng.random() < 0.8 else "cod"
            self.add_order(
                identity,
                self.time(),
                sku,
                rng.choice((8, 10, 12, 15, 20, 24, 30, 50)),
                payment,
                SHIP,
                pattern="legit_bulk",
                is_business=business,
            )

    def _legit_canceller(self) -> None:
        rng = self.rng
        identity = self.simple_identity()
        count = rng.randint(4, 12)
        fates = [SHIP] * count
        for position in rng.sample(range(count), k=rng.randint(1, 2)):
            fates[position] = CANCEL_ACTIONABLE if rng.random() < 0.7 else CANCEL_PENDING
        self.legit_orders(identity, count, "legit_canceller", fates=fates)

    # ------------------------------------------------------------------ harassment
    def new_harasser(self) -> Harasser:
        """Return a new harasser kit with its own time span, accounts, names and phones."""
        rng = self.rng
        self._campaigns += 1
        span_kind = rng.random()
        if span_kind < 0.25:
            spread = rng.uniform(2, 24) * HOUR
        elif span_kind < 0.65:
            spread = rng.uniform(2, 14) * DAY
        else:
            spread = rng.uniform(14, 70) * DAY
        spread = min(spread, max(self.end - self.start - HOUR, HOUR))
        start = rng.uniform(self.start, self.end - spread)
        home = self.address()
        return Harasser(
            campaign=self._campaigns,
            start=start,
            spread=spread,
            emails=[account_email(rng) for _ in range(rng.randint(1, 4))],
            names=[random_name(rng) for _ in range(rng.randint(1, 3))],
            phones=[self.phone(home.prefecture) for _ in range(rng.randint(1, 2))],
            home=home,
            skus=[self.sku() for _ in range(rng.randint(1, 4))],
        )

    def campaign_times(self, harasser: Harasser, count: int) -> list[float]:
        """Return ``count`` sorted purchase moments inside the harasser's span."""
        rng = self.rng
        low, high = harasser.start, harasser.start + harasser.spread
        if rng.random() < 0.3 and count >= 4:
            bursts = rng.randint(2, 4)
            centres = [rng.uniform(low, high) for _ in range(bursts)]
            times = [rng.choice(centres) + rng.uniform(0, 2 * HOUR) for _ in range(count)]
        else:
            times = [
                self.time(low, high) if high - low > DAY else rng.uniform(low, high)
                for _ in range(count)
            ]
        return sorted(self.inside(moment) for moment in times)

    def add_campaign(self, size: int, patterns: Sequence[str]) -> int:
        """Add one campaign of about ``size`` orders mixing ``patterns``; return orders added."""
        harasser = self.new_harasser()
        before = self.order_count
        shares = [size] if len(patterns) == 1 else _split(self.rng, size, len(patterns), minimum=3)
        for pattern, share in zip(patterns, shares, strict=True):
            if share > 0:
                getattr(self, f"_{pattern}")(harasser, share)
        return self.order_count - before

    def _harassment(
        self,
        harasser: Harasser,
        identity: int,
        moment: float,
        sku: int,
        quantity: int,
        payment: str,
        fate: str,
        pattern: str,
    ) -> None:
        self.add_order(
            identity,
            moment,
            sku,
            quantity,
            payment,
            fate,
            label=1,
            pattern=pattern,
            campaign=harasser.campaign,
        )

    def _disruptive_payment_and_fate(self) -> tuple[str, str]:
        """Payment and fate of an order whose identity gives the harasser away.

        The order always becomes actionable, so that its buyer, address and phone reach the
        order report: refused cash on delivery, or cancelled after payment.
        """
        rng = self.rng
        if self.cod and rng.random() < 0.65:
            return "cod", REFUSED if rng.random() < 0.7 else CANCEL_ACTIONABLE
        roll = rng.random()
        if roll < 0.7:
            return "card", CANCEL_ACTIONABLE
        if roll < 0.85:
            return "cvs", CANCEL_ACTIONABLE
        return "card", REFUSED

    def _harvested_cod(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        buyer_is_recipient = rng.random() < 0.4
        phone_reuse = rng.uniform(0.2, 0.95)
        accounts = [
            Person(email, rng.choice(harasser.names), rng.choice(harasser.phones))
            for email in harasser.emails
        ]
        for moment in self.campaign_times(harasser, count):
            account = rng.choice(accounts)
            victim_home = self.address()
            victim = random_name(rng)
            ship_phone = (
                rng.choice(harasser.phones)
                if rng.random() < phone_reuse
                else self.phone(victim_home.prefecture)
            )
            person = Person(account.email, victim, ship_phone) if buyer_is_recipient else account
            identity = self.add_identity(
                person, victim, render_address(rng, victim_home), ship_phone
            )
            roll = rng.random()
            fate = REFUSED if roll < 0.72 else (CANCEL_ACTIONABLE if roll < 0.92 else SHIP)
            quantity = 1 if rng.random() < 0.8 else rng.randint(2, 3)
            self._harassment(
                harasser,
                identity,
                moment,
                rng.choice(harasser.skus),
                quantity,
                "cod",
                fate,
                "harvested_cod",
            )

    def _fictitious_ship_to(self, kind: str) -> ShipTo:
        rng = self.rng
        real = self.address()
        if kind == "block_missing":
            target = without_block(real)
            if rng.random() < 0.5:
                target = replace(target, building="", room="")
            return render_address(rng, target)
        if kind == "nonsense":
            line = rng.choice(NONSENSE_ADDRESS_LINES)
            city = real.city if rng.random() < 0.5 else ""
            code = real.postal_code if rng.random() < 0.6 else f"{rng.randrange(10**7):07d}"
            return ShipTo(line, "", "", city, real.prefecture, format_postal_code(rng, code))
        shown = render_address(rng, real)
        if kind == "postcode_unknown":
            while True:
                code = f"{rng.randrange(10**7):07d}"
                if code not in self.places.known_codes:
                    break
        elif kind == "postcode_other_prefecture":
            while True:
                other = self.place()
                if other[1] != real.prefecture:
                    break
            code = other[0]
        elif kind == "postcode_other_city":
            code = real.postal_code
            for _ in range(30):
                other = self.place()
                if other[1] == real.prefecture and other[2] != real.city:
                    code = other[0]
                    break
            else:
                code = self.place()[0]
        else:  # postcode_other_town
            siblings = [
                self._places[position]
                for position in self._places_by_city[(real.prefecture, real.city)]
                if self._places[position][3] != real.town
            ]
            code = rng.choice(siblings)[0] if siblings else self.place()[0]
        return replace(shown, postal_code=format_postal_code(rng, code))

    def _fictitious_address(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        kinds = rng.sample(
            [
                "postcode_unknown",
                "postcode_other_prefecture",
                "postcode_other_city",
                "postcode_other_town",
                "block_missing",
                "nonsense",
            ],
            k=rng.randint(1, 4),
        )
        new_account_share = rng.uniform(0.2, 1.0)
        placeholder = rng.random() < 0.15
        for moment in self.campaign_times(harasser, count):
            email = (
                account_email(rng)
                if rng.random() < new_account_share
                else rng.choice(harasser.emails)
            )
            name = rng.choice(NONSENSE_NAMES) if rng.random() < 0.12 else random_name(rng)
            if placeholder:
                phone = rng.choice(("09011111111", "00000000000", "0312345678", "08000000000"))
            elif rng.random() < 0.5:
                phone = rng.choice(harasser.phones)
            else:
                phone = mobile_digits(rng)
            ship_to = self._fictitious_ship_to(rng.choice(kinds))
            identity = self.add_identity(Person(email, name, phone), name, ship_to, phone)
            payment, fate = self._disruptive_payment_and_fate()
            if fate == REFUSED or rng.random() < 0.4:
                fate = UNDELIVERABLE
            self._harassment(
                harasser,
                identity,
                moment,
                rng.choice(harasser.skus),
                rng.randint(1, 2),
                payment,
                fate,
                "fictitious_address",
            )

    def _pending_lock(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        target = harasser.skus[0]
        stock = self._stock[target]
        quantity_rule = rng.random()
        ongoing = self._ongoing_locks == 0 or rng.random() < 0.3
        self._ongoing_locks += 1
        cadence = rng.random() * (0.8 if ongoing else 1.0) if count >= 4 else 0.0
        moments: list[float] = []
        max_rounds = max(2, int((self.end - self.start - DAY) // (7.2 * DAY)) + 1)
        if cadence < 0.55:
            count = min(count, max_rounds)
            gaps = [6 * DAY + rng.uniform(0.05, 1.2) * DAY for _ in range(count - 1)]
            moment = self._lock_start(sum(gaps), ongoing)
            for gap in [*gaps, 0.0]:
                moments.append(moment)
                moment += gap
        elif cadence < 0.8:
            parallel = rng.randint(2, max(2, min(4, count // 2)))
            rounds = min(-(-count // parallel), max_rounds)
            gaps = [6 * DAY + rng.uniform(0.05, 1.2) * DAY for _ in range(rounds - 1)]
            moment = self._lock_start(sum(gaps), ongoing)
            for gap in [*gaps, 0.0]:
                moments.extend(moment + rng.uniform(0, 40 * 60) for _ in range(parallel))
                moment += gap
            moments = moments[:count]
        else:
            moments = self.campaign_times(harasser, count)
        reuse_home = rng.random() < 0.35
        ordered = sorted(self.inside(m) for m in moments)
        for position, moment in enumerate(ordered):
            if quantity_rule < 0.55:
                quantity = max(stock, 1)
            elif quantity_rule < 0.8:
                quantity = rng.choice((5, 8, 10, 10, 20, 30))
            else:
                quantity = max(stock, 1) if rng.random() < 0.5 else rng.randint(3, 12)
            sku = target if rng.random() < 0.85 else rng.choice(harasser.skus)
            home = harasser.home if reuse_home else self.address()
            identity = self.simple_identity(address=home)
            last = position == len(ordered) - 1
            fate = NEVER_PAID if last or rng.random() < 0.92 else CANCEL_PENDING
            self._harassment(harasser, identity, moment, sku, quantity, "cvs", fate, "pending_lock")

    def _lock_start(self, duration: float, ongoing: bool) -> float:
        """Start of a lock series lasting ``duration``; ongoing ones end in the last 5 days."""
        rng = self.rng
        if ongoing:
            return max(self.start, self.end - duration - rng.uniform(0.1, 5) * DAY)
        return rng.uniform(self.start, max(self.start, self.end - duration - 7 * DAY))

    def _repeat_cancel(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        family, given = pick_family(rng), pick_given(rng)
        phone = harasser.phones[0]
        rendered = render_address(rng, harasser.home)
        for moment in self.campaign_times(harasser, count):
            email = rng.choice(harasser.emails)
            name = format_name(rng, family, given)
            ship_to = rendered if rng.random() < 0.7 else render_address(rng, harasser.home)
            identity = self.add_identity(Person(email, name, phone), name, ship_to, phone)
            if rng.random() < 0.06:
                payment, fate = "card", SHIP
            else:
                payment = "cod" if self.cod and rng.random() < 0.5 else "card"
                fate = CANCEL_ACTIONABLE
            self._harassment(
                harasser,
                identity,
                moment,
                self.sku(),
                self.legit_quantity(),
                payment,
                fate,
                "repeat_cancel",
            )

    def _variant_address(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        reuse_phone = rng.random() < 0.4
        drops_room = rng.random() < 0.3
        for moment in self.campaign_times(harasser, count):
            email = account_email(rng) if rng.random() < 0.7 else rng.choice(harasser.emails)
            name = random_name(rng)
            phone = rng.choice(harasser.phones) if reuse_phone else mobile_digits(rng)
            home = harasser.home
            if drops_room and rng.random() < 0.3:
                home = replace(home, room="")
            identity = self.add_identity(
                Person(email, name, phone), name, render_address(rng, home), phone
            )
            payment, fate = self._disruptive_payment_and_fate()
            self._harassment(
                harasser,
                identity,
                moment,
                rng.choice(harasser.skus),
                rng.randint(1, 3),
                payment,
                fate,
                "variant_address",
            )

    def _shared_phone(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        third_party = (
            landline_digits(rng, harasser.home.prefecture)
            if rng.random() < 0.7
            else mobile_digits(rng)
        )
        for moment in self.campaign_times(harasser, count):
            email = account_email(rng) if rng.random() < 0.75 else rng.choice(harasser.emails)
            name = random_name(rng)
            identity = self.simple_identity(Person(email, name, third_party))
            payment, fate = self._disruptive_payment_and_fate()
            self._harassment(
                harasser,
                identity,
                moment,
                rng.choice(harasser.skus),
                rng.randint(1, 2),
                payment,
                fate,
                "shared_phone",
            )

    def _burst_quantity(self, harasser: Harasser, count: int) -> None:
        rng = self.rng
        target = harasser.skus[0]
        stock = self._stock[target]
        centre = rng.uniform(self.start, self.end - 3 * HOUR)
        width = rng.uniform(10 * 60, 4 * HOUR)
        paying = rng.randrange(count) if rng.random() < 0.3 else -1
        for position in range(count):
            moment = self.inside(centre + rng.uniform(0, width))
            identity = self.simple_identity()
            quantity = rng.choice((max(stock, 5), 5, 6, 8, 10, 10, 15, 20, 30))
            if position == paying:
                payment, fate = "card", SHIP
            elif rng.random() < 0.6:
                payment, fate = "cvs", NEVER_PAID
            else:
                payment = "cod" if self.cod and rng.random() < 0.5 else "card"
                fate = CANCEL_ACTIONABLE
            self._harassment(
                harasser, identity, moment, target, quantity, payment, fate, "burst_quantity"
            )


def _gift_seasons(start: float, end: float) -> list[float]:
    """Middle of お中元 (early July) and お歳暮 (mid December) in the years of the window."""
    first_year = datetime.fromtimestamp(start, UTC).year
    last_year = datetime.fromtimestamp(end, UTC).year
    moments = []
    for year in range(first_year, last_year + 1):
        for month, day in ((7, 5), (12, 12)):
            moments.append(calendar.timegm((year, month, day, 3, 0, 0)) * 1.0)
    return moments


def company_name(rng: random.Random) -> str:
    """Return a fictional company or practice name (``株式会社東和精工``, ``さくら歯科医院``)."""
    stem = rng.choice(COMPANY_STEMS)
    if rng.random() < 0.2:
        return stem + rng.choice(OFFICE_NAMES)
    form = rng.choice(COMPANY_FORMS)
    industry = rng.choice(COMPANY_INDUSTRIES)
    return form + stem + industry if rng.random() < 0.7 else stem + industry + form.strip()


def _split(rng: random.Random, total: int, parts: int, *, minimum: int = 1) -> list[int]:
    """Split ``total`` into ``parts`` shares of at least ``minimum``, the first the largest."""
    weights = sorted((rng.uniform(0.2, 1.0) for _ in range(parts)), reverse=True)
    scale = total / sum(weights)
    shares = [max(minimum, round(weight * scale)) for weight in weights]
    shares[0] = max(minimum, total - sum(shares[1:]))
    return shares
