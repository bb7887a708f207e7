"""Rates, quotes and the one rounding point of a conversion."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import ValidationError
from o2c.fx import Quote, Rate, RateMissing, RateTable, convert, parse_ecb_xml
from o2c.money import Money, Rounding

OCT1, OCT2 = dt.date(2026, 10, 1), dt.date(2026, 10, 2)


def test_a_missing_rate_names_pair_type_and_date_and_is_never_one() -> None:
    table = RateTable([Rate.of("EUR", "USD", "1.10", OCT2, "ECB")])
    with pytest.raises(RateMissing) as missing:
        table.quote("EUR", "USD", OCT1, "ECB")
    assert str(missing.value).startswith("no ECB rate for EUR/USD on or before 2026-10-01")
    assert (missing.value.base.code, missing.value.quote.code) == ("EUR", "USD")
    with pytest.raises(RateMissing, match="no BOOK rate for EUR/USD"):
        table.quote("EUR", "USD", OCT2)  # another rate type is not used either


def test_the_latest_rate_on_or_before_the_day_applies() -> None:
    table = RateTable([Rate.of("USD", "MXN", "17", OCT1), Rate.of("USD", "MXN", "18", OCT2)])
    assert table.quote("USD", "MXN", OCT1).rate == Decimal(17)
    assert table.quote("USD", "MXN", dt.date(2026, 12, 1)).rate == Decimal(18)
    assert len(table) == 2


def test_an_inverse_rate_divides_exactly_and_rounds_once() -> None:
    table = RateTable([Rate.of("EUR", "USD", "1.10", OCT1)])
    quote = table.quote("USD", "EUR", OCT1)
    assert quote.how == "inverse"
    # 100 / 1.10 = 90.909090...: one rounding, half-up by default, or as the book says.
    assert convert(Money.of("100.00", "USD"), quote) == Money.of("90.91", "EUR")
    assert convert(Money.of("100.00", "USD"), quote, Rounding.DOWN) == Money.of("90.90", "EUR")


def test_conversion_rounds_to_the_target_currencys_minor_units() -> None:
    to_jpy = Quote.stated("USD", "JPY", "151.237")
    assert convert(Money.of("10.00", "USD"), to_jpy) == Money.of("1512", "JPY")
    to_kwd = Quote.stated("USD", "KWD", "0.30712")
    assert convert(Money.of("10.00", "USD"), to_kwd) == Money.of("3.071", "KWD")
    with pytest.raises(ValidationError, match="an amount in USD"):
        convert(Money.of("1", "EUR"), to_kwd)


def test_a_rate_must_be_above_zero_between_two_currencies() -> None:
    with pytest.raises(ValidationError, match="rate"):
        Rate.of("EUR", "USD", "0", OCT1)
    with pytest.raises(ValidationError, match="other than EUR"):
        Rate.of("EUR", "EUR", "1", OCT1)
    with pytest.raises(ValidationError, match="float"):
        Rate.of("EUR", "USD", 1.1, OCT1)


@given(
    st.decimals(min_value=Decimal("0.0001"), max_value=Decimal("1000"), places=4),
    st.integers(min_value=0, max_value=10**11),
)
def test_an_inverse_quote_converts_back_within_half_a_unit_of_each_rounding(
    rate: Decimal, cents: int
) -> None:
    quote = Quote.stated("EUR", "USD", rate)
    there = convert(Money.from_minor(cents, "EUR"), quote)
    back = convert(there, quote.inverse())
    # Exact arithmetic: the round trip errs only by the two roundings.
    error = abs(back.amount - Money.from_minor(cents, "EUR").amount)
    assert error <= Decimal("0.005") + Decimal("0.005") / rate


def test_an_ecb_file_without_cubes_is_one_problem() -> None:
    rates, problems = parse_ecb_xml(b"<x/>", "x.xml")
    assert rates == ()
    assert [p.field for p in problems] == ["Cube"]
