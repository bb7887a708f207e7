"""Prices and usage quantities are zero or more: a negative one is a typo, not a discount.

Discounts and corrections have their own means (discount adjustments, credit notes), so a
rate card with a negative flat price or usage with a negative quantity is refused with the
field and value named, at every entry point (TOML, CSV, the Python API).
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import ValidationError
from o2c.io import read_usage_csv
from o2c.pricing import Flat, Package, PerUnit, Tier, UsageRecord, parse_ratecard

CARD = """
[ratecard]
code = "neg"
currency = "MXN"
effective_from = "2026-01-01"

[items.base]
name = "Base"
model = "flat"
price = "{price}"
"""


def test_a_rate_card_with_a_negative_flat_price_is_refused_naming_item_and_field() -> None:
    with pytest.raises(ValidationError) as caught:
        parse_ratecard(CARD.format(price="-10.00"), "neg.toml")
    message = str(caught.value)
    assert "base" in message
    assert "price" in message
    assert "-10.00" in message


def test_a_zero_flat_price_is_accepted() -> None:
    card = parse_ratecard(CARD.format(price="0"), "zero.toml")
    assert card.code == "neg"


@pytest.mark.parametrize(
    "build",
    [
        lambda: Flat(price="-1"),
        lambda: PerUnit(unit_price="-0.01"),
        lambda: Package(size="10", price="-5"),
        lambda: Tier(up_to=None, unit_price="-1"),
        lambda: Tier(up_to=None, unit_price="1", flat_fee="-10"),
    ],
)
def test_negative_prices_are_refused_by_every_model(build: object) -> None:
    with pytest.raises(ValidationError, match="a number >= 0"):
        build()  # type: ignore[operator]


def test_negative_usage_is_refused() -> None:
    with pytest.raises(ValidationError, match="quantity: expected a quantity of zero or more"):
        UsageRecord(
            id="u1",
            customer="C1",
            item="api_calls",
            quantity="-5",
            timestamp=dt.datetime(2026, 11, 3, 10, tzinfo=dt.UTC),
        )


@pytest.mark.parametrize("stamp", ["9999-12-31T23:30:00-06:00", "0001-01-01T00:00:00+00:00"])
def test_usage_outside_1970_to_2199_is_refused_not_an_overflow(stamp: str) -> None:
    text = f"id,customer,item,quantity,timestamp\nu1,C1,api_calls,5,{stamp}\n"
    with pytest.raises(ValidationError, match="a time between 1970 and 2199"):
        read_usage_csv(text)
