"""Time and materials: increments, minimum hours, overtime, approval."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.errors import ValidationError
from o2c.money import Money
from o2c.pricing import (
    Overtime,
    RoleRate,
    StepKind,
    TimeAndMaterials,
    TimeEntry,
    billable_hours,
    rate,
)

MON = dt.date(2026, 10, 5)


def entry(
    n: int,
    hours: str,
    *,
    role: str = "senior",
    day: dt.date = MON,
    person: str = "ana",
    approved: bool = True,
    billable: bool = True,
) -> TimeEntry:
    return TimeEntry(
        id=f"t{n}",
        person=person,
        role=role,
        date=day,
        hours=hours,
        billable=billable,
        approved=approved,
    )


MODEL = TimeAndMaterials(
    rates=[RoleRate("senior", 100), RoleRate("junior", 50)],
    increment="0.25",
    minimum_hours=1,
    overtime=Overtime(multiplier="1.5", daily_hours=8),
)


def test_each_entry_is_rounded_up_to_the_increment_and_raised_to_the_minimum() -> None:
    assert billable_hours(MODEL, Decimal("5.1")) == Decimal("5.25")
    assert billable_hours(MODEL, Decimal("5.25")) == Decimal("5.25")
    assert billable_hours(MODEL, Decimal("0.2")) == Decimal(1)


def test_only_approved_billable_entries_are_billed_with_daily_overtime() -> None:
    entries = [
        entry(1, "5.1"),  # 5.25 h regular
        entry(2, "4"),  # 2.75 h regular (day reaches 8 h), 1.25 h overtime at 150
        entry(3, "0.2", role="junior", person="ben"),  # minimum 1 h at 50
        entry(4, "3", approved=False),
        entry(5, "3", billable=False),
    ]
    rated = rate(MODEL, 0, currency="USD", entries=entries)
    assert rated.amount == Money.of("1037.50", "USD")
    overtime = [s for s in rated.steps if s.kind is StepKind.OVERTIME]
    assert [(s.quantity, s.unit_price) for s in overtime] == [(Decimal("1.25"), Decimal("150.0"))]


def test_weekly_overtime_counts_hours_above_the_week_threshold() -> None:
    model = TimeAndMaterials(
        rates=[RoleRate("dev", 100)], overtime=Overtime(multiplier="1.5", weekly_hours=40)
    )
    week = [entry(i, "9", role="dev", day=MON + dt.timedelta(days=i)) for i in range(5)]
    rated = rate(model, 0, currency="USD", entries=week)
    assert rated.amount == Money.of("4750", "USD")  # 40 h × 100 + 5 h × 150


def test_unknown_role_is_a_validation_error() -> None:
    with pytest.raises(ValidationError, match="role"):
        rate(MODEL, 0, currency="USD", entries=[entry(1, "1", role="intern")])


def test_quantity_without_entries_needs_a_single_role() -> None:
    single = TimeAndMaterials(rates=[RoleRate("dev", "120")])
    assert rate(single, "2.5", currency="USD").amount == Money.of("300", "USD")
    with pytest.raises(ValidationError, match="entries"):
        rate(MODEL, 2, currency="USD")


def test_duplicate_role_rates_are_rejected() -> None:
    with pytest.raises(ValidationError, match="role"):
        TimeAndMaterials(rates=[RoleRate("dev", 1), RoleRate("dev", 2)])


def test_rated_quantity_of_time_entries_is_the_billed_hours() -> None:
    rated = rate(MODEL, 0, currency="USD", entries=[entry(1, "5.1"), entry(2, "4")])
    assert rated.quantity == Decimal("9.25")


@pytest.mark.parametrize(
    ("hours", "overtime"), [("8", Decimal(0)), ("8.1", Decimal("0.25")), ("7.9", Decimal(0))]
)
def test_daily_overtime_starts_strictly_above_the_daily_hours(
    hours: str, overtime: Decimal
) -> None:
    rated = rate(MODEL, 0, currency="USD", entries=[entry(1, hours)])
    extra = sum((s.quantity for s in rated.steps if s.kind is StepKind.OVERTIME), Decimal(0))
    assert extra == overtime
    assert sum(s.amount for s in rated.steps) == rated.amount.amount


def test_an_entry_of_zero_hours_bills_nothing_despite_the_minimum() -> None:
    assert billable_hours(MODEL, Decimal(0)) == 0
    rated = rate(MODEL, 0, currency="USD", entries=[entry(1, "0"), entry(2, "0.1")])
    # Only the 0.1 h entry is billed: raised to the 1 h minimum at 100.
    assert rated.amount == Money.of("100", "USD")
    assert [s.quantity for s in rated.steps] == [Decimal(1)]
