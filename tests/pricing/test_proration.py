"""Proration of recurring charges: start, end, upgrade and downgrade."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.calendar import BillingCycle, Cycle, Period
from o2c.errors import ValidationError
from o2c.money import Money
from o2c.pricing import (
    Graduated,
    Package,
    StepKind,
    Tier,
    Volume,
    prorate_change,
    prorate_rated,
    prorate_span,
    prorated_amount,
    rate,
)

MONTHLY = BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 1))


def usd(amount: str) -> Money:
    return Money.of(amount, "USD")


def test_mid_period_start_is_prorated_by_days_of_its_own_period() -> None:
    # Starts Feb 15 (14 of 28 days), then a full March.
    parts = prorate_span(usd("100"), Period(dt.date(2026, 2, 15), dt.date(2026, 4, 1)), MONTHLY)
    assert [p.amount for p in parts] == [usd("50.00"), usd("100.00")]
    assert parts[0].whole == Period.month(2026, 2)


def test_mid_period_end_is_prorated() -> None:
    parts = prorate_span(usd("31"), Period(dt.date(2026, 10, 1), dt.date(2026, 10, 11)), MONTHLY)
    assert [p.amount for p in parts] == [usd("10.00")]
    assert parts[0].rated.steps[0].amount == parts[0].amount.amount


def test_upgrade_credits_the_unused_old_plan_and_charges_the_new_one() -> None:
    credit, charge = prorate_change(
        usd("49"), usd("99"), dt.date(2026, 10, 21), Period.month(2026, 10)
    )
    # 11 of 31 days remain: -49 × 11/31 = -17.387... ; 99 × 11/31 = 35.129...
    assert credit.amount == usd("-17.39")
    assert charge.amount == usd("35.13")
    assert "credit for unused" in credit.rated.steps[0].note


def test_downgrade_is_a_larger_credit_than_charge() -> None:
    credit, charge = prorate_change(
        usd("99"), usd("49"), dt.date(2026, 11, 16), Period.month(2026, 11)
    )
    assert (credit.amount, charge.amount) == (usd("-49.50"), usd("24.50"))


def test_change_outside_the_period_is_rejected() -> None:
    with pytest.raises(ValidationError, match="change_date"):
        prorate_change(usd("1"), usd("2"), dt.date(2026, 12, 1), Period.month(2026, 11))


def test_prorated_volume_usage_takes_the_tier_of_the_full_quantity() -> None:
    seats = Volume(tiers=[Tier(10, "20"), Tier(None, "15")])
    october = Period.month(2026, 10)
    half = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 16))  # 15 of 31 days
    rated = prorate_rated(rate(seats, 30, currency="USD"), half, october)
    # 30 seats reach the 15.00 tier even though only 15/31 of the month is billed.
    assert rated.net() == usd("217.74")  # 450 × 15/31 = 217.741...
    assert sum(s.amount for s in rated.steps) == rated.amount.amount
    assert prorate_rated(rated, october, october) is rated


# Issue 18 item 1: the tier is chosen on the full quantity, its unit price applies to the
# prorated part, and the flat fee of a tier reached is added unprorated.
TIERED = [Tier(100, "2.00", flat_fee="10"), Tier(200, "1.00"), Tier(None, "0.50", flat_fee="50")]


def _factor_piece() -> tuple[Period, Period]:
    # 331 of 500 days is 0.662 = 198.6 / 300; a long "period" gives the factor.
    whole = Period(dt.date(2026, 1, 1), dt.date(2026, 1, 1) + dt.timedelta(days=500))
    return Period(whole.start, whole.start + dt.timedelta(days=331)), whole


def test_prorated_volume_adds_the_tier_flat_fee_unprorated() -> None:
    piece, whole = _factor_piece()
    rated = prorate_rated(rate(Volume(tiers=TIERED), 300, currency="USD"), piece, whole)
    # 300 reach tier 3: 198.6 x 0.50 + 50 = 149.30 (scaling the fee too gave 132.40).
    assert rated.net() == usd("149.30")
    assert sum(s.amount for s in rated.steps) == rated.amount.amount
    (fee,) = [s for s in rated.steps if s.kind is StepKind.FLAT_FEE]
    assert fee.amount == 50
    assert "not prorated" in fee.note
    assert prorated_amount(rate(Volume(tiers=TIERED), 300, currency="USD"), 331, 500) == Decimal(
        "149.3"
    )


def test_prorated_graduated_scales_each_tier_units_and_keeps_the_flat_fees() -> None:
    piece, whole = _factor_piece()
    rated = prorate_rated(rate(Graduated(tiers=TIERED), 300, currency="USD"), piece, whole)
    # Units (100 x 2 + 100 x 1 + 100 x 0.50 = 350) x 0.662 = 231.70, fees 10 + 50 unprorated.
    assert rated.net() == usd("291.70")


def test_prorated_package_counts_packages_on_the_full_quantity_and_scales_their_price() -> None:
    october = Period.month(2026, 10)
    half = Period(dt.date(2026, 10, 1), dt.date(2026, 10, 16))  # 15 of 31 days
    rated = prorate_rated(
        rate(Package(size=100, price="31.00"), 251, currency="USD"), half, october
    )
    # 251 units are 3 started packages = 93.00 for the month; 93 x 15/31 = 45.00.
    assert rated.net() == usd("45.00")
