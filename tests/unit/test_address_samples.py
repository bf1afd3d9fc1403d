"""Address and phone facts over the shared labelled sample exports."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from sellerguard.address import assess_addresses, assess_phones

SAMPLES = Path(__file__).resolve().parents[2].parent / "shared" / "samples"
RENAME = {
    "order-id": "order_id",
    "ship-postal-code": "ship_postal_code",
    "ship-state": "ship_state",
    "ship-city": "ship_city",
    "ship-address-1": "ship_address_1",
    "ship-address-2": "ship_address_2",
    "ship-address-3": "ship_address_3",
    "ship-phone-number": "ship_phone",
    "buyer-phone-number": "buyer_phone",
}
DATASETS = {"current": "utf-8", "historic": "cp932"}


def _orders(name: str) -> pd.DataFrame:
    folder = SAMPLES / name
    if not (folder / "orders.txt").is_file():
        pytest.skip(f"sample exports not found in {folder}")
    orders = pd.read_csv(
        folder / "orders.txt", sep="\t", dtype=str, encoding=DATASETS[name]
    ).rename(columns=RENAME)
    labels = pd.read_csv(folder / "labels.csv", dtype=str)
    return orders.drop_duplicates("order_id").merge(labels, on="order_id", how="inner")


@pytest.mark.parametrize("name", list(DATASETS))
def test_legitimate_orders_pass_and_fictitious_addresses_are_caught(name: str) -> None:
    orders = _orders(name)
    facts = pd.concat([orders, assess_addresses(orders)], axis=1)
    legit = facts[facts["label"] == "0"]
    fictitious = facts[facts["pattern"] == "fictitious_address"]
    assert len(legit) > 500 and len(fictitious) > 0
    legit_flagged = legit["address_problem"].notna()
    assert legit_flagged.sum() == 0, legit.loc[legit_flagged, "address_problem"].value_counts()
    caught = fictitious["address_problem"].notna()
    assert caught.all(), fictitious.loc[~caught, "address_problem"]


@pytest.mark.parametrize("name", list(DATASETS))
def test_variants_of_one_address_link(name: str) -> None:
    orders = _orders(name)
    facts = pd.concat([orders, assess_addresses(orders)], axis=1)
    variants = facts[facts["pattern"] == "variant_address"]
    assert len(variants) > 0
    for _, campaign in variants.groupby("campaign"):
        assert campaign["building_key"].nunique() == 1, campaign["ship_address_1"].tolist()


@pytest.mark.parametrize("name", list(DATASETS))
def test_sample_phones_are_ordinary_numbers(name: str) -> None:
    orders = _orders(name)
    facts = assess_phones(orders)
    legit = orders["label"] == "0"
    assert facts.loc[legit, "phone_key"].notna().all()
    assert facts.loc[legit, "phone_problem"].isna().mean() >= 0.99
