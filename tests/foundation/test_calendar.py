"""Worked examples for o2c.calendar: periods, anchors, proration, terms, business days."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import pytest

from o2c.calendar import (
    BillingCycle,
    BusinessCalendar,
    Cycle,
    PaymentTerms,
    Period,
    TermsKind,
    local_date,
    parse_date,
    prorate,
    proration_factor,
)
from o2c.errors import ValidationError
from o2c.money import Money, Rounding

D = dt.date


def test_monthly_cycle_anchored_on_the_31st_clamps_to_february_then_comes_back() -> None:
    cycle = BillingCycle(Cycle.MONTHLY, D(2026, 1, 31))
    starts = [p.start for p in cycle.periods(D(2026, 1, 31), 4)]
    assert starts == [D(2026, 1, 31), D(2026, 2, 28), D(2026, 3, 31), D(2026, 4, 30)]


def test_monthly_cycle_anchored_on_the_31st_in_a_leap_year_uses_february_29() -> None:
    cycle = BillingCycle(Cycle.MONTHLY, D(2028, 1, 31))
    assert cycle.period_containing(D(2028, 3, 1)) == Period(D(2028, 2, 29), D(2028, 3, 31))


def test_period_containing_a_date_before_the_anchor() -> None:
    cycle = BillingCycle(Cycle.MONTHLY, D(2026, 3, 15))
    assert cycle.period_containing(D(2026, 1, 20)) == Period(D(2026, 1, 15), D(2026, 2, 15))


def test_next_and_previous_periods() -> None:
    cycle = BillingCycle(Cycle.QUARTERLY, D(2026, 1, 1))
    q2 = cycle.period_containing(D(2026, 5, 5))
    assert q2 == Period(D(2026, 4, 1), D(2026, 7, 1))
    assert cycle.next_period(q2) == Period(D(2026, 7, 1), D(2026, 10, 1))
    assert cycle.previous_period(q2) == Period(D(2026, 1, 1), D(2026, 4, 1))


def test_weekly_and_yearly_cycles() -> None:
    weekly = BillingCycle(Cycle.WEEKLY, D(2026, 11, 2))  # a Monday
    assert weekly.period_containing(D(2026, 11, 22)) == Period(D(2026, 11, 16), D(2026, 11, 23))
    yearly = BillingCycle(Cycle.YEARLY, D(2024, 2, 29))
    assert yearly.period_containing(D(2025, 6, 1)) == Period(D(2025, 2, 28), D(2026, 2, 28))


def test_period_parse_forms() -> None:
    assert Period.parse("2026-10") == Period(D(2026, 10, 1), D(2026, 11, 1))
    assert Period.parse("2026-Q4") == Period(D(2026, 10, 1), D(2027, 1, 1))
    assert Period.parse("2026") == Period(D(2026, 1, 1), D(2027, 1, 1))
    assert Period.parse("2026-10-15..2026-11-15").days == 31
    assert Period.parse("2026-10").label == "2026-10"


@pytest.mark.parametrize("text", ["2026-13", "Oct 2026", "", "2026-11-01..2026-10-01"])
def test_bad_period_is_a_validation_error_naming_the_value(text: str) -> None:
    with pytest.raises(ValidationError) as info:
        Period.parse(text)
    assert info.value.field == "period"


def test_proration_denominator_is_the_whole_billing_period() -> None:
    # A start on Oct 17 uses 15 of October's 31 days.
    october = Period.month(2026, 10)
    stub = Period(D(2026, 10, 17), D(2026, 11, 1))
    assert proration_factor(stub, october) == Fraction(15, 31)
    assert prorate(Money.of("31.00", "USD"), stub, october) == Money.of("15.00", "USD")
    assert prorate(Money.of("100.00", "USD"), stub, october) == Money.of("48.39", "USD")


def test_stub_before_first_anchor_belongs_to_the_anchor_aligned_period() -> None:
    cycle = BillingCycle(Cycle.MONTHLY, D(2026, 11, 1))
    pieces = list(cycle.pieces(Period(D(2026, 10, 20), D(2026, 11, 1))))
    assert pieces == [(Period(D(2026, 10, 20), D(2026, 11, 1)), Period.month(2026, 10))]


def test_february_proration_uses_28_days() -> None:
    feb = Period.month(2026, 2)
    assert proration_factor(Period(D(2026, 2, 15), D(2026, 3, 1)), feb) == Fraction(1, 2)


def test_proration_refuses_a_piece_outside_its_period() -> None:
    with pytest.raises(ValidationError):
        proration_factor(Period.month(2026, 10), Period(D(2026, 10, 1), D(2026, 10, 15)))


def test_prorate_uses_the_named_rounding_mode() -> None:
    whole = Period(D(2026, 1, 1), D(2026, 1, 9))  # 8 days
    piece = Period(D(2026, 1, 1), D(2026, 1, 2))  # 1/8 of 0.20 = 0.025
    assert prorate(Money.of("0.20", "USD"), piece, whole) == Money.of("0.03", "USD")
    assert prorate(Money.of("0.20", "USD"), piece, whole, Rounding.HALF_EVEN) == Money.of(
        "0.02", "USD"
    )


@pytest.mark.parametrize(
    ("terms", "issued", "due"),
    [
        ("net 30", D(2026, 10, 31), D(2026, 11, 30)),
        ("Net30", D(2026, 1, 31), D(2026, 3, 2)),
        ("due on receipt", D(2026, 10, 5), D(2026, 10, 5)),
        ("eom+15", D(2026, 2, 3), D(2026, 3, 15)),
        ("end of month", D(2026, 2, 3), D(2026, 2, 28)),
        ("day 10 of next month", D(2026, 12, 28), D(2027, 1, 10)),
        ("day 31 of next month", D(2026, 1, 15), D(2026, 2, 28)),
    ],
)
def test_payment_terms_due_dates(terms: str, issued: dt.date, due: dt.date) -> None:
    assert PaymentTerms.parse(terms).due_date(issued) == due


def test_payment_terms_print_as_they_parse() -> None:
    for text in ("net 30", "due on receipt", "eom+15", "day 10 of next month"):
        assert str(PaymentTerms.parse(text)) == text


def test_bad_payment_terms_name_the_value() -> None:
    with pytest.raises(ValidationError, match="payment_terms"):
        PaymentTerms.parse("whenever")
    with pytest.raises(ValidationError, match=r"payment_terms\.days"):
        PaymentTerms(TermsKind.DAY_OF_NEXT_MONTH, 32)


def test_mexican_business_days_skip_weekends_and_public_holidays() -> None:
    mx = BusinessCalendar("MX")
    assert not mx.is_business_day(D(2026, 9, 16))  # Independence Day, a Wednesday
    assert not mx.is_business_day(D(2026, 11, 16))  # Revolution Day (third Monday)
    assert mx.add_business_days(D(2026, 9, 14), 3) == D(2026, 9, 18)
    assert mx.add_business_days(D(2026, 12, 24), 1) == D(2026, 12, 28)
    assert mx.business_days_between(D(2026, 9, 14), D(2026, 9, 18)) == 3
    assert mx.roll_forward(D(2026, 11, 14)) == D(2026, 11, 17)


def test_company_closures_can_be_added() -> None:
    cal = BusinessCalendar(None, extra_holidays=frozenset({D(2026, 12, 31)}))
    assert cal.add_business_days(D(2026, 12, 30), 1) == D(2027, 1, 1)


def test_usage_is_dated_in_the_customers_time_zone() -> None:
    late = dt.datetime(2026, 11, 1, 5, 30, tzinfo=dt.UTC)  # 23:30 on Oct 31 in Mexico City
    assert local_date(late, "America/Mexico_City") == D(2026, 10, 31)
    assert local_date(late, "Europe/Berlin") == D(2026, 11, 1)
    with pytest.raises(ValidationError, match="time-zone aware"):
        local_date(dt.datetime(2026, 11, 1, 5, 30), "UTC")
    with pytest.raises(ValidationError, match="time_zone"):
        local_date(late, "Mars/Olympus")


def test_parse_date() -> None:
    assert parse_date("2026-10-31") == D(2026, 10, 31)
    with pytest.raises(ValidationError, match="due_date"):
        parse_date("31/10/2026", "due_date")


def test_quarterly_cycle_anchored_on_the_31st_clamps_and_comes_back() -> None:
    cycle = BillingCycle(Cycle.QUARTERLY, D(2026, 1, 31))
    starts = [p.start for p in cycle.periods(D(2026, 1, 31), 5)]
    assert starts == [
        D(2026, 1, 31),
        D(2026, 4, 30),
        D(2026, 7, 31),
        D(2026, 10, 31),
        D(2027, 1, 31),
    ]


def test_monthly_cycle_anchored_on_the_29th_uses_february_28_outside_leap_years() -> None:
    cycle = BillingCycle(Cycle.MONTHLY, D(2026, 1, 29))
    assert cycle.period_containing(D(2026, 3, 1)) == Period(D(2026, 2, 28), D(2026, 3, 29))


def test_other_countries_holiday_calendars_can_be_used() -> None:
    us = BusinessCalendar("US")
    assert not us.is_business_day(D(2026, 11, 26))  # Thanksgiving
    assert us.add_business_days(D(2026, 11, 25), 1) == D(2026, 11, 27)
    # Epiphany is a public holiday in Bavaria, not in Berlin.
    assert not BusinessCalendar("DE", "BY").is_business_day(D(2026, 1, 6))
    assert BusinessCalendar("DE", "BE").is_business_day(D(2026, 1, 6))


def test_unknown_country_or_subdivision_is_refused_when_the_calendar_is_made() -> None:
    with pytest.raises(ValidationError) as country:
        BusinessCalendar("XX")
    assert (country.value.field, country.value.value) == ("country", "XX")
    with pytest.raises(ValidationError) as region:
        BusinessCalendar("DE", "ZZ")
    assert (region.value.field, region.value.value) == ("subdivision", "ZZ")
    assert "subdivision of DE" in str(region.value)
    with pytest.raises(ValidationError, match="subdivision"):
        BusinessCalendar(None, "BY")


def test_a_different_weekend_can_be_set() -> None:
    # A Sunday-Thursday working week: Friday and Saturday are the weekend.
    cal = BusinessCalendar(None, weekend=frozenset({4, 5}))
    assert cal.add_business_days(D(2026, 11, 5), 1) == D(2026, 11, 8)
