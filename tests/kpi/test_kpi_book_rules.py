"""KPI rules the Book used to hold: the range, the currency, current AR, refund and note dates."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.calendar import Period
from o2c.errors import CurrencyMismatch, ValidationError
from o2c.kpi import (
    AgingItem,
    contacts_window,
    current_receivables,
    kpi_currency,
    kpi_period,
    refund_timing,
)
from o2c.money import Currency, Money

USD = Currency.of("USD")
END = dt.date(2026, 10, 31)


def test_the_range_must_end_after_it_starts() -> None:
    assert kpi_period(dt.date(2026, 10, 1), dt.date(2026, 11, 1)).days == 31
    with pytest.raises(ValidationError, match="a date after 2026-10-01"):
        kpi_period(dt.date(2026, 10, 1), dt.date(2026, 10, 1))


def test_the_kpi_currency_is_the_given_one_or_the_books_only_one() -> None:
    assert kpi_currency("EUR", ["MXN", "USD"]).code == "EUR"
    assert kpi_currency(USD, []) is USD
    assert kpi_currency(None, ["MXN"]).code == "MXN"
    for codes in ([], ["MXN", "USD"]):
        with pytest.raises(ValidationError, match="the currency of the KPIs"):
            kpi_currency(None, codes)


def test_current_ar_adds_the_disputed_parts_of_items_not_yet_due() -> None:
    items = [
        AgingItem(Money.of("50.00", USD), END, Money.of("20.00", USD)),  # due today: current
        AgingItem(Money.of("30.00", USD), END + dt.timedelta(days=9), Money.of("90.00", USD)),
        AgingItem(Money.of("70.00", USD), END - dt.timedelta(days=1), Money.of("70.00", USD)),
        AgingItem(Money.of("10.00", USD), END, None),
    ]
    assert current_receivables(Money.of("100.00", USD), items, END) == Money.of("150.00", USD)


def test_current_ar_keeps_to_one_currency() -> None:
    other = [AgingItem(Money.of("5", "EUR"), END, Money.of("5", "EUR"))]
    with pytest.raises(CurrencyMismatch):
        current_receivables(Money.of("1.00", USD), other, END)


cents = st.integers(0, 10**7).map(lambda n: Money.from_minor(n, USD))
days = st.integers(-60, 60).map(lambda n: END + dt.timedelta(days=n))


@given(cents, st.lists(st.tuples(cents, days, st.one_of(st.none(), cents)), max_size=12))
def test_current_ar_is_between_the_bucket_and_the_bucket_plus_all_disputes(
    current: Money, rows: list[tuple[Money, dt.date, Money | None]]
) -> None:
    items = [AgingItem(amount, due, disputed) for amount, due, disputed in rows]
    result = current_receivables(current, items, END)
    ceiling = current
    for item in items:
        if item.disputed is not None:
            ceiling += item.disputed.min(item.amount)
    assert current <= result <= ceiling


def test_a_refund_without_an_approval_was_asked_for_the_day_it_was_paid() -> None:
    paid = dt.date(2026, 10, 9)
    assert refund_timing("R1", paid).requested_on == paid
    asked = refund_timing("R2", paid, dt.date(2026, 10, 2))
    assert (asked.requested_on, asked.paid_on) == (dt.date(2026, 10, 2), paid)


def test_notes_load_one_day_either_side_of_the_range() -> None:
    since, until = contacts_window(Period(dt.date(2026, 10, 1), dt.date(2026, 11, 1)))
    assert since == dt.datetime(2026, 9, 30, tzinfo=dt.UTC)
    assert until == dt.datetime(2026, 11, 2, tzinfo=dt.UTC)
