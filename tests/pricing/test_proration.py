"""Proration of recurring charges: start, end, upgrade and downgrade."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.calendar import BillingCycle, Cycle, Period
from o2c.errors import ValidationError
from o2c.money import Money
from o2c.pricing import Tier, Volume, prorate_change, prorate_rated, prorate_span, rate

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
