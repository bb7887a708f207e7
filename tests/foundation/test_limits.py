"""Limits on every number o2c reads: finite, under 10^15, at most 12 decimals.

Every stored amount is an integer of minor units; under 10^15 in a currency of up to three
decimals it fits a signed 64-bit integer (SQLite INTEGER, PostgreSQL BIGINT) with room for
sums, so no input can overflow the book or reach the user as a traceback.
"""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import ValidationError
from o2c.money import MAX_DECIMALS, MAX_INTEGER_DIGITS, Money, parse_decimal


@pytest.mark.parametrize(
    "text",
    ["1e400", "1e999", "-1e400", "9" * 60, "93000000000000000", "1000000000000000", "1e15"],
)
def test_numbers_of_15_digits_or_more_are_refused_naming_the_field(text: str) -> None:
    with pytest.raises(ValidationError, match=r"unit_price: expected a number under 10\^15"):
        parse_decimal(text, "unit_price")


def test_the_largest_accepted_number_has_15_digits() -> None:
    assert parse_decimal("999999999999999.99") == Decimal("999999999999999.99")
    assert Money.of("999999999999999.99", "MXN").minor_units == 99999999999999999


def test_more_than_12_decimals_are_refused_but_trailing_zeros_are_no_decimals() -> None:
    assert parse_decimal("0.000000000001") == Decimal("1E-12")
    assert parse_decimal("1.50000000000000000") == Decimal("1.50000000000000000")
    with pytest.raises(ValidationError, match="at most 12 decimals"):
        parse_decimal("0.0000000000001", "quantity")
    with pytest.raises(ValidationError, match="at most 12 decimals"):
        parse_decimal("1e-400", "quantity")


def test_int_and_decimal_inputs_are_held_to_the_same_limits() -> None:
    with pytest.raises(ValidationError):
        parse_decimal(10**20)
    with pytest.raises(ValidationError):
        parse_decimal(Decimal("1E+400"))


def test_a_localized_amount_is_held_to_the_limits() -> None:
    with pytest.raises(ValidationError, match="under 10"):
        Money.parse("1.000.000.000.000.000,00 €", "EUR", locale="de_DE")


def test_a_product_beyond_the_limits_is_a_validation_error_not_a_decimal_crash() -> None:
    price = Money.of("99999999999999", "MXN")
    with pytest.raises(ValidationError, match="under 10"):
        (price * Decimal("100000000000000")).round()


def test_an_amount_that_would_not_fit_the_book_is_refused_when_stored() -> None:
    huge = Money(Decimal("20000000000000000"), Money.zero("MXN").currency)
    with pytest.raises(ValidationError, match="would not fit"):
        _ = huge.minor_units


@given(
    st.decimals(
        min_value=-(Decimal(10) ** MAX_INTEGER_DIGITS) + 1,
        max_value=Decimal(10) ** MAX_INTEGER_DIGITS - 1,
        places=2,
        allow_nan=False,
        allow_infinity=False,
    )
)
def test_every_accepted_amount_fits_64_bit_minor_units(value: Decimal) -> None:
    for code in ("JPY", "MXN", "KWD"):
        money = Money.of(str(parse_decimal(str(value))), code).round()
        assert -(2**63) < money.minor_units < 2**63
    assert MAX_DECIMALS == 12
