"""Every rule: a case it must flag, and the legitimate look-alike it must leave low."""

from __future__ import annotations

from pathlib import Path

import pytest
from order_factory import (
    Order,
    background,
    codes_of,
    exports,
    level_of,
    person,
    phone,
    repeat_canceller,
    run,
)

from sellerguard.rules import RULES, ScanContext
from sellerguard.settings import from_mapping

FLAGGED = ("medium", "high")


# --- undeliverable addresses -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("changes", "code"),
    [
        ({"postal": "999-9999"}, "postcode_unknown"),
        ({"postal": "100-0001", "state": "富山県", "city": "黒部市"}, "postcode_other_prefecture"),
        ({"place": 0, "address": "西俣"}, "block_missing"),
        ({"place": 0, "address": "朱雀25-29"}, "postcode_other_town"),
        ({"place": 2, "city": "富山市"}, "postcode_other_city"),
        ({"postal": ""}, "postcode_missing"),
        ({"postal": "12-345"}, "postcode_malformed"),
        ({"address": "あああああ", "address_2": "？？？"}, "address_nonsense"),
    ],
)
def test_undeliverable_address_is_at_least_medium(changes: dict[str, str], code: str) -> None:
    bad = Order(**{"place": 2, "name": "小川 亮", "phone": phone(1), **changes})  # type: ignore[arg-type]
    result = run([*background(), bad])
    assert code in codes_of(result, bad)
    assert level_of(result, bad) in FLAGGED
    assert (
        "[" + code + "]"
        in result.orders.loc[result.orders.order_id == bad.order_id, "reasons_ja"].iloc[0]
    )


def test_deliverable_addresses_stay_low() -> None:
    orders = background(20)
    result = run(orders)
    assert set(result.orders["risk_level"]) == {"low"}
    assert (result.orders["reason_codes"] == "").all()


def test_postal_code_only_export_still_checks_the_postcode() -> None:
    bad = Order(postal="999-9999", paid=False, status="Shipped")
    result = run([*background(10), bad])
    assert "postcode_unknown" in codes_of(result, bad)
    assert "block_missing" not in codes_of(result, bad)


# --- phones and names ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("number", "code"),
    [
        ("000-0000-0000", "phone_placeholder"),
        ("0120-123-456", "phone_service"),
        ("12345", "phone_invalid"),
    ],
)
def test_phone_problems(number: str, code: str) -> None:
    bad = Order(place=3, name="中島 恵", phone=number)
    result = run([*background(10), bad])
    assert code in codes_of(result, bad)


def test_nonsense_name_adds_weight_but_alone_is_low() -> None:
    odd = Order(place=4, name="AAA", phone=phone(3))
    result = run([*background(10), odd])
    assert "name_nonsense" in codes_of(result, odd)
    assert level_of(result, odd) == "low"


# --- one identity, many addresses (harvested COD) --------------------------------------------


def test_one_name_sending_cod_to_many_addresses_is_flagged() -> None:
    harasser = [
        Order(
            place=p,
            name="三浦 和也",
            phone=phone(50 + p),
            payment="COD",
            hours=p * 0.5,
            sku="SG-0092",
        )
        for p in range(6)
    ]
    result = run([*background(), *harasser])
    for order in harasser:
        assert "identity_many_places" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED


def test_a_bad_share_exactly_at_the_threshold_still_flags_the_name() -> None:
    """Three bad orders of five, with ``bad_share`` 0.6 and ``min_places`` 5: exactly the
    threshold. Only names with enough bad orders over the whole export are looked at in
    windows; this one must be."""
    settings = from_mapping(
        {"rules": {"identity_many_places": {"min_places": 5, "bad_share": 0.6}}}
    )
    harasser = [
        Order(
            place=p,
            name="三浦 和也",
            phone=phone(50 + p),
            payment="COD" if p < 3 else "Other",
            hours=p * 0.5,
        )
        for p in range(5)
    ]
    result = run([*background(), *harasser], settings=settings)
    for order in harasser:
        assert "identity_many_places" in codes_of(result, order)
    one_fewer = [
        order.but(payment="Other") if i == 0 else order for i, order in enumerate(harasser)
    ]
    result = run([*background(), *one_fewer], settings=settings)
    assert all("identity_many_places" not in codes_of(result, order) for order in one_fewer)


def test_gift_sender_paying_for_many_recipients_stays_low() -> None:
    gifts = [
        Order(
            place=p,
            name="藤井 明美",
            recipient=person(p),
            phone=phone(60),
            hours=p * 2.0,
            email="gift@marketplace.amazon.co.jp",
        )
        for p in range(6)
    ]
    result = run([*background(), *gifts])
    assert all(level_of(result, order) == "low" for order in gifts)


# --- one address, many names -----------------------------------------------------------------


VARIANTS = [
    "新町5丁目25番13号",
    "新町5丁目25番地13",
    "新町五丁目25-13",
    "新町5-25-13",
    "新町５－２５－１３",
]


def test_one_address_typed_many_ways_under_many_names_is_flagged() -> None:
    dodging = [
        Order(place=20, address=VARIANTS[i], name=person(i), phone=phone(70 + i), hours=i * 30.0)
        for i in range(5)
    ]
    result = run([*background(), *dodging])
    for order in dodging:
        assert "address_many_names" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED


def test_family_at_one_address_stays_low() -> None:
    family = [
        Order(
            place=20,
            name=f"山下 {given}",
            phone=phone(80 + i),
            hours=i * 40.0,
            address=VARIANTS[i % 2],
        )
        for i, given in enumerate(["愛", "誠", "結衣", "大翔", "陽葵"])
    ]
    result = run([*background(), *family])
    assert all(level_of(result, order) == "low" for order in family)


def test_apartment_block_with_different_rooms_stays_low() -> None:
    block = [
        Order(
            place=7,
            name=person(i),
            phone=phone(90 + i),
            hours=i * 20.0,
            address="緑町15-25",
            address_2=f"メゾン青葉 {101 + i}号室",
        )
        for i in range(6)
    ]
    result = run([*background(), *block])
    assert all(level_of(result, order) == "low" for order in block)


# --- one phone, many names -------------------------------------------------------------------


def test_one_phone_behind_many_names_and_addresses_is_flagged() -> None:
    shared = [
        Order(place=p, name=person(p), phone="092-746-2472", hours=p * 50.0) for p in range(8, 13)
    ]
    result = run([*background(), *shared])
    for order in shared:
        assert "phone_many_names" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED


def test_relatives_sharing_a_parents_phone_stay_low() -> None:
    relatives = [
        Order(place=p, name=f"金子 {given}", phone="0297-95-7451", hours=p * 50.0)
        for p, given in zip(range(8, 11), ["和也", "香織", "翔"], strict=True)
    ]
    result = run([*background(), *relatives])
    assert all(level_of(result, order) == "low" for order in relatives)


def test_office_with_many_staff_one_phone_one_address_stays_low() -> None:
    office = [
        Order(
            place=11,
            name=person(i),
            phone="03-3961-7442",
            business=True,
            quantity=5,
            hours=i * 30.0,
            address_2="株式会社井上企画",
        )
        for i in range(8)
    ]
    result = run([*background(), *office])
    assert all(level_of(result, order) == "low" for order in office)


# --- repeated cancellations ------------------------------------------------------------------


def test_repeated_cancellations_by_one_identity_are_flagged() -> None:
    canceller = repeat_canceller()
    result = run([*background(), *canceller])
    for order in canceller:
        assert "repeat_cancel" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED


def test_a_paid_decoy_order_of_a_repeat_canceller_is_linked() -> None:
    canceller = [
        Order(
            place=12,
            name="山本 賢治",
            phone="070-4644-0342",
            status="Cancelled",
            sku=f"SG-00{10 + i}",
            hours=i * 3.0,
            email="c3@marketplace.amazon.co.jp",
        )
        for i in range(5)
    ]
    decoy = canceller[0].but(status="Shipped", hours=7.0)
    result = run([*background(), *canceller, decoy])
    assert "linked_to_flagged" in codes_of(result, decoy)
    assert level_of(result, decoy) in FLAGGED


def test_customer_cancelling_now_and_then_stays_low() -> None:
    customer = Order(
        place=13, name="阿部 陽葵", phone="090-8067-7582", email="c2@marketplace.amazon.co.jp"
    )
    history = [
        customer.but(hours=i * 200.0, status="Cancelled" if i in (2, 7) else "Shipped")
        for i in range(10)
    ]
    result = run([*background(), *history])
    assert all(level_of(result, order) == "low" for order in history)


# --- convenience-store stock lock ------------------------------------------------------------


def _lock(hours: float, sku: str = "SG-0150", quantity: int = 5, place: int = 14) -> Order:
    return Order(
        place=place,
        status="Cancelled",
        paid=False,
        sku=sku,
        quantity=quantity,
        hours=hours,
        cancel_after_hours=6 * 24 + 2,
    )


def test_repeated_unpaid_auto_cancelled_large_orders_are_high() -> None:
    locks = [_lock(i * 150.0) for i in range(4)]
    result = run([*background(sku="SG-0150"), *locks])
    for order in locks:
        assert {"cvs_lock", "cvs_lock_quantity", "cvs_lock_repeat"} <= codes_of(result, order)
        assert level_of(result, order) == "high"


def test_one_forgotten_convenience_store_payment_stays_low() -> None:
    forgot = _lock(100.0, quantity=1)
    result = run([*background(sku="SG-0150"), forgot])
    assert "cvs_lock" in codes_of(result, forgot)
    assert level_of(result, forgot) == "low"


def test_customer_cancelling_within_hours_is_not_a_lock() -> None:
    quick = Order(
        place=15, status="Cancelled", paid=False, sku="SG-0150", hours=10.0, cancel_after_hours=3
    )
    result = run([*background(sku="SG-0150"), quick])
    assert "cvs_lock" not in codes_of(result, quick)


# --- abnormal quantity and bursts ------------------------------------------------------------


def test_abnormal_quantity_cancelled_is_flagged_but_paid_bulk_is_not() -> None:
    prank = Order(
        place=16, name=person(3), phone=phone(3), quantity=12, status="Cancelled", hours=5.0
    )
    bulk = Order(place=17, name=person(4), phone=phone(4), quantity=15, hours=9.0)
    result = run([*background(), prank, bulk])
    assert "quantity_abnormal" in codes_of(result, prank)
    assert "quantity_abnormal" not in codes_of(result, bulk)
    assert level_of(result, bulk) == "low"


def test_burst_of_large_cancelled_orders_on_one_sku_is_flagged() -> None:
    burst = [
        Order(
            place=p,
            name=person(p),
            phone=phone(p + 200),
            sku="SG-0075",
            quantity=6 + p % 4,
            status="Cancelled",
            hours=300 + p * 0.3,
        )
        for p in range(5)
    ]
    result = run([*background(sku="SG-0075"), *burst])
    for order in burst:
        assert "sku_burst" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED
    reasons = result.orders.loc[result.orders.order_id == burst[0].order_id, "reasons_en"].iloc[0]
    assert "(5 from accounts new to the shop or unknown)" in reasons


def test_a_popular_sku_selling_fast_and_shipping_is_not_a_burst() -> None:
    rush = [
        Order(
            place=p,
            name=person(p),
            phone=phone(p + 300),
            sku="SG-0075",
            quantity=2,
            hours=300 + p * 0.2,
        )
        for p in range(8)
    ]
    result = run([*background(sku="SG-0075"), *rush])
    assert all(level_of(result, order) == "low" for order in rush)


# --- cash on delivery ------------------------------------------------------------------------


def test_cod_order_cancelled_is_flagged_as_cod_pattern() -> None:
    refused = Order(
        place=18, name=person(6), phone=phone(6), payment="COD", status="Cancelled", hours=40.0
    )
    paid_cod = Order(place=19, name=person(7), phone=phone(7), payment="COD", hours=41.0)
    result = run([*background(), refused, paid_cod])
    assert "cod_refused" in codes_of(result, refused)
    assert level_of(result, paid_cod) == "low"


def test_bulk_cod_to_other_peoples_names_is_flagged() -> None:
    harvester = [
        Order(
            place=p,
            name="三浦 和也",
            recipient=person(p + 40),
            phone=phone(400 + p),
            payment="COD",
            sku="SG-0092",
            hours=100 + p * 0.7,
            email="h1@marketplace.amazon.co.jp",
        )
        for p in range(7)
    ]
    result = run([*background(), *harvester])
    for order in harvester:
        assert "cod_to_strangers" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED


def test_a_few_cod_gifts_from_one_buyer_stay_low() -> None:
    gifts = [
        Order(
            place=p,
            name="橋本 拓也",
            recipient=person(p + 50),
            phone=phone(500 + p),
            payment="COD",
            sku="SG-0067",
            hours=100 + p,
            email="g1@marketplace.amazon.co.jp",
        )
        for p in range(4)
    ]
    result = run([*background(), *gifts])
    assert all(level_of(result, order) == "low" for order in gifts)


def test_unpaid_orders_repeated_to_one_postal_code_are_flagged() -> None:
    locks = [_lock(i * 200.0, sku=f"SG-02{i}", quantity=1, place=20) for i in range(2)]
    elsewhere = [_lock(i * 200.0 + 50, sku=f"SG-03{i}", quantity=1, place=i + 3) for i in range(2)]
    result = run([*background(), *locks, *elsewhere])
    for order in locks:
        assert "lock_same_place" in codes_of(result, order)
        assert level_of(result, order) in FLAGGED
    assert all(level_of(result, order) == "low" for order in elsewhere)


# --- the seller's knowledge ------------------------------------------------------------------


def test_watchlist_raises_matches_and_cleared_evidence_is_dropped() -> None:
    target = Order(place=1, name="森 舞", phone="090-2133-7593")
    first = run([*background(), target])
    phone_key = first.orders.loc[first.orders.order_id == target.order_id, "phone_key"].iloc[0]
    watched = run(
        [*background(), target], context=ScanContext(watch={"phone": frozenset({phone_key})})
    )
    assert "watchlist_match" in codes_of(watched, target)
    assert level_of(watched, target) == "high"

    shared = [
        Order(place=p, name=person(p), phone="092-746-2472", hours=p * 50.0) for p in range(8, 13)
    ]
    flagged = run([*background(), *shared])
    evidence = {
        e
        for e in flagged.orders["evidence"]
        if e
        for e in e.split("|")
        if e.startswith("phone_many_names")
    }
    assert evidence
    cleared = run([*background(), *shared], context=ScanContext(cleared=frozenset(evidence)))
    assert all("phone_many_names" not in codes_of(cleared, order) for order in shared)


def test_disabled_rule_does_not_fire_and_weights_change_scores() -> None:
    bad = Order(place=2, postal="999-9999")
    off = from_mapping({"rules": {"postcode_unknown": {"enabled": False}}})
    assert "postcode_unknown" not in codes_of(run([*background(10), bad], settings=off), bad)
    heavy = from_mapping({"rules": {"postcode_unknown": {"weight": 90}}})
    result = run([*background(10), bad], settings=heavy)
    assert level_of(result, bad) == "high"


def test_reasons_exist_in_both_languages_for_every_flagged_order() -> None:
    orders = [
        *background(),
        Order(place=2, postal="999-9999"),
        *[_lock(i * 150.0) for i in range(3)],
    ]
    result = run(orders)
    flagged = result.orders[result.orders.risk_level != "low"]
    assert len(flagged) >= 4
    assert (flagged["reasons_ja"].str.len() > 0).all()
    assert (flagged["reasons_en"].str.len() > 0).all()
    assert not flagged["reasons_en"].str.contains("{", regex=False).any()


def test_linked_orders_share_a_group() -> None:
    shared = [
        Order(place=p, name=person(p), phone="092-746-2472", hours=p * 50.0) for p in range(8, 12)
    ]
    result = run([*background(), *shared])
    groups = result.orders.loc[
        result.orders.order_id.isin([o.order_id for o in shared]), "group_id"
    ]
    assert groups.notna().all() and groups.nunique() == 1


def test_large_order_pending_for_days_is_flagged_but_a_fresh_one_is_not() -> None:
    held = Order(place=3, status="Pending", paid=False, sku="SG-0150", quantity=9, hours=200.0)
    fresh = Order(place=4, status="Pending", paid=False, sku="SG-0150", quantity=9, hours=279.0)
    later = Order(place=5, name=person(9), phone=phone(9), sku="SG-0001", hours=280.0)
    result = run([*background(sku="SG-0150"), held, fresh, later])
    assert "pending_hold" in codes_of(result, held)
    assert level_of(result, held) in FLAGGED
    assert "pending_hold" not in codes_of(result, fresh)


def test_every_rule_is_exercised_by_this_module() -> None:
    source = Path(__file__).read_text(encoding="utf-8")
    assert [rule.code for rule in RULES if f'"{rule.code}"' not in source] == []


def test_all_orders_report_alone_scans_without_buyer_data() -> None:
    from sellerguard.exports import read_exports
    from sellerguard.rules import scan

    locks = [_lock(i * 150.0) for i in range(3)]
    all_orders_only = exports([*background(10, sku="SG-0150"), *locks])[:1]
    result = scan(read_exports(all_orders_only))
    assert len(result.orders) == 13
    flagged = result.orders[result.orders.risk_level == "high"]
    assert set(flagged["order_id"]) == {o.order_id for o in locks}


def test_a_header_only_export_scans_to_an_empty_result() -> None:
    from sellerguard.exports import read_exports
    from sellerguard.rules import scan

    header_only = [(name, data.split(b"\n")[0] + b"\n") for name, data in exports([Order()])]
    result = scan(read_exports(header_only))
    assert len(result.orders) == 0
    assert result.counts() == {"high": 0, "medium": 0, "low": 0}
