"""Explanations as text: amounts in the currency's minor-unit digits, prices kept exact."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.calendar import Period
from o2c.money import Currency, Money
from o2c.pricing import (
    Commitment,
    Discount,
    DiscountKind,
    Graduated,
    PerUnit,
    Step,
    StepKind,
    Tier,
    apply_discounts,
    explain,
    rate,
    true_up,
)

D = Decimal
SEATS = Graduated(tiers=[Tier(100, "12", flat_fee="500"), Tier(None, "0.125")])


def test_yen_explanation_shows_whole_yen_and_keeps_the_exact_total() -> None:
    rated = rate(SEATS, 150, currency="JPY")
    assert explain(rated).splitlines() == [
        "graduated, quantity 150",
        "  tier 1 flat fee: 1 × 500 = 500",
        "  tier 1 units: 100 × 12 = 1200",
        # A step amount is exact: 50 × 0.125 is 6.25 even in yen; the line rounds once.
        "  tier 2 units: 50 × 0.125 = 6.25",
        "  total: 1706 JPY (exact 1706.25, rounded half_up)",
    ]
    assert str(rated) == explain(rated)


def test_peso_explanation_shows_two_decimals_and_a_three_decimal_unit_price() -> None:
    rated = rate(SEATS, 150, currency="MXN")
    assert explain(rated).splitlines() == [
        "graduated, quantity 150",
        "  tier 1 flat fee: 1 × 500.00 = 500.00",
        "  tier 1 units: 100 × 12.00 = 1200.00",
        "  tier 2 units: 50 × 0.125 = 6.25",
        "  total: 1706.25 MXN",
    ]


def test_dinar_explanation_shows_three_decimals() -> None:
    rated = rate(PerUnit(unit_price="1.25"), 3, currency="KWD")
    assert explain(rated).splitlines()[1:] == ["  units: 3 × 1.250 = 3.750", "  total: 3.750 KWD"]


@pytest.mark.parametrize(
    ("currency", "text"),
    [
        ("JPY", "tier 2 units: 1.5 × 0.125 = 0.1875"),
        ("MXN", "tier 2 units: 1.5 × 0.125 = 0.1875"),
        ("USD", "tier 2 units: 1.5 × 0.125 = 0.1875"),
    ],
)
def test_step_never_drops_decimals_it_has(currency: str, text: str) -> None:
    step = Step(StepKind.UNITS, D("1.5"), D("0.125"), D("0.1875"), tier=2)
    assert step.describe(Currency.of(currency)) == text


@pytest.mark.parametrize(
    ("currency", "text"),
    [
        ("JPY", "units: 4 × 30 = 120"),
        ("MXN", "units: 4 × 30.00 = 120.00"),
        ("KWD", "units: 4 × 30.000 = 120.000"),
    ],
)
def test_step_pads_amounts_and_prices_to_the_currency_digits(currency: str, text: str) -> None:
    step = Step(StepKind.UNITS, D(4), D(30), D(120))
    assert step.describe(Currency.of(currency)) == text


def test_discount_steps_are_rendered_in_the_line_currency() -> None:
    rated = rate(PerUnit(unit_price="10"), 3, currency="MXN")
    promo = Discount(name="promo", kind=DiscountKind.FIXED, value=5, item="seat")
    text = explain(apply_discounts(rated, item="seat", at=dt.date(2026, 1, 1), discounts=[promo]))
    assert "  discount (promo): 1 × -5.00 = -5.00" in text.splitlines()
    assert text.endswith("total: 25.00 MXN")


@pytest.mark.parametrize(
    ("currency", "note", "line"),
    [
        ("MXN", "deal: committed 1000.00, used 700.50", "1 × 299.50 = 299.50"),
        ("JPY", "deal: committed 1000, used 700", "1 × 300 = 300"),
    ],
)
def test_true_up_note_shows_amounts_in_the_currency_digits(
    currency: str, note: str, line: str
) -> None:
    used = "700.50" if currency == "MXN" else "700"
    deal = Commitment(name="deal", amount=1000)
    shortfall = true_up(
        deal,
        period=Period.month(2026, 10),
        lines=[("api", Money.of(used, currency))],
        currency=currency,
    )
    assert shortfall is not None
    assert explain(shortfall).splitlines()[1] == f"  true-up ({note}): {line}"
