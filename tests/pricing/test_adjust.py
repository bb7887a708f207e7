"""Contract price overrides, discounts and minimum commitments."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.ids import ItemCode
from o2c.money import Money
from o2c.pricing import (
    Commitment,
    Discount,
    DiscountKind,
    Item,
    PerUnit,
    PriceOverride,
    RateCard,
    RateCardVersion,
    StepKind,
    apply_discounts,
    document_discount,
    quote,
    rate,
    resolve_item,
    true_up,
)

JAN = dt.date(2026, 1, 1)
CARD = RateCard(
    code="c",
    currency="USD",
    versions=[
        RateCardVersion(
            JAN,
            [
                Item(
                    code=ItemCode("seat"),
                    name="Seat",
                    unit="seat",
                    tax_category="S",
                    model=PerUnit(unit_price="20"),
                )
            ],
        )
    ],
)


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_contract_override_replaces_the_rate_card_price_while_in_effect() -> None:
    deal = PriceOverride(
        item="seat",
        model=PerUnit(unit_price="15"),
        effective_from=dt.date(2026, 3, 1),
        effective_to=dt.date(2026, 9, 1),
    )
    assert quote(CARD, "seat", 2, at=dt.date(2026, 2, 28), overrides=[deal]).net() == usd("40")
    assert quote(CARD, "seat", 2, at=dt.date(2026, 3, 1), overrides=[deal]).net() == usd("30")
    assert quote(CARD, "seat", 2, at=dt.date(2026, 9, 1), overrides=[deal]).net() == usd("40")


def test_latest_starting_override_wins() -> None:
    first = PriceOverride(item="seat", model=PerUnit(unit_price="15"), effective_from=JAN)
    second = PriceOverride(
        item="seat", model=PerUnit(unit_price="12"), effective_from=dt.date(2026, 6, 1)
    )
    item = resolve_item(CARD, "seat", dt.date(2026, 7, 1), [second, first])
    assert item.model == PerUnit(unit_price="12")
    assert item.name == "Seat"


def test_line_discounts_apply_in_order_and_never_go_below_zero() -> None:
    rated = rate(PerUnit(unit_price="10"), 3, currency="USD")
    discounts = [
        Discount(name="10 % off", kind=DiscountKind.PERCENT, value=10, item="seat"),
        Discount(name="5 off", kind=DiscountKind.FIXED, value=5, item="seat"),
        Discount(name="100 off", kind=DiscountKind.FIXED, value=100, item="seat"),
        Discount(name="other item", kind=DiscountKind.FIXED, value=1, item="sms"),
    ]
    result = apply_discounts(rated, item="seat", at=JAN, discounts=discounts)
    assert result.amount == usd("0")
    discount_steps = [s for s in result.steps if s.kind is StepKind.DISCOUNT]
    assert [s.amount for s in discount_steps] == [-3, -5, -22]
    assert sum(s.amount for s in result.steps) == result.amount.amount


def test_time_limited_discount_applies_only_inside_its_dates() -> None:
    promo = Discount(
        name="launch",
        kind=DiscountKind.PERCENT,
        value="12.5",
        item="seat",
        effective_from=JAN,
        effective_to=dt.date(2026, 4, 1),
    )
    rated = rate(PerUnit(unit_price="9.99"), 1, currency="USD")
    inside = apply_discounts(rated, item="seat", at=dt.date(2026, 3, 31), discounts=[promo])
    assert inside.amount == usd("8.74125")
    assert inside.net() == usd("8.74")
    after = apply_discounts(rated, item="seat", at=dt.date(2026, 4, 1), discounts=[promo])
    assert after is rated


def test_document_discount_is_capped_at_the_document_net() -> None:
    discounts = [
        Discount(name="5 %", kind=DiscountKind.PERCENT, value=5),
        Discount(name="line only", kind=DiscountKind.FIXED, value=1, item="seat"),
    ]
    line = document_discount(usd("200.00"), at=JAN, discounts=discounts)
    assert line is not None
    assert line.amount == usd("-10")
    assert document_discount(usd("200"), at=JAN, discounts=discounts[1:]) is None


def test_discount_values_are_validated() -> None:
    with pytest.raises(ValidationError, match="value"):
        Discount(name="x", kind=DiscountKind.PERCENT, value=120)
    with pytest.raises(ValidationError, match="value"):
        Discount(name="x", kind=DiscountKind.FIXED, value=-1)


def test_commitment_shortfall_produces_a_true_up_line() -> None:
    deal = Commitment(name="deal", amount="1000", items={"api", "sms"})
    october = Period.month(2026, 10)
    lines = [("api", usd("600")), ("sms", usd("150")), ("support", usd("500"))]
    line = true_up(deal, period=october, lines=lines, currency="USD")
    assert line is not None
    assert line.amount == usd("250")
    assert line.steps[0].kind is StepKind.TRUE_UP
    met = [("api", usd("1000"))]
    assert true_up(deal, period=october, lines=met, currency="USD") is None


def test_commitment_applies_only_to_periods_starting_while_in_effect() -> None:
    deal = Commitment(name="deal", amount="100", effective_from=dt.date(2026, 11, 1))
    assert true_up(deal, period=Period.month(2026, 10), lines=[], currency="USD") is None
    line = true_up(deal, period=Period.month(2026, 11), lines=[], currency="USD")
    assert line is not None
    assert line.amount == usd("100")
