"""Worked examples for o2c.money: exact amounts a billing person would check by hand."""

from __future__ import annotations

from decimal import Decimal

import pytest

from o2c.errors import CurrencyMismatch, ValidationError
from o2c.money import Currency, Money, Rounding, parse_decimal, sum_money


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def test_minor_units_come_from_iso_4217() -> None:
    assert Currency.of("JPY").minor_units == 0
    assert Currency.of("USD").minor_units == 2
    assert Currency.of("MXN").minor_units == 2
    assert Currency.of("EUR").minor_units == 2
    assert Currency.of("KWD").minor_units == 3
    assert Currency.of("BHD").minor_units == 3


def test_currency_code_is_case_insensitive_and_cached() -> None:
    assert Currency.of("usd") is Currency.of("USD")


@pytest.mark.parametrize("code", ["XYZ", "US", "", "usdollar", "12A"])
def test_unknown_currency_code_names_the_value(code: str) -> None:
    with pytest.raises(ValidationError) as info:
        Currency.of(code)
    assert info.value.field == "currency"
    assert repr(code) in str(info.value)


def test_hundred_dollars_allocated_three_ways_is_34_33_33() -> None:
    assert usd("100.00").allocate([1, 1, 1]) == (usd("33.34"), usd("33.33"), usd("33.33"))


def test_thousand_yen_split_three_ways_is_334_333_333() -> None:
    yen = Money.of(1000, "JPY")
    assert [p.amount for p in yen.split(3)] == [Decimal(334), Decimal(333), Decimal(333)]


def test_allocation_by_unequal_ratios_puts_the_leftover_cent_on_the_largest_remainder() -> None:
    # 10.00 by 70/20/10 is exact; 0.05 by 3/3/1 is 0.0214.. each: leftovers by remainder.
    assert usd("10.00").allocate([70, 20, 10]) == (usd("7.00"), usd("2.00"), usd("1.00"))
    assert usd("0.05").allocate([3, 3, 1]) == (usd("0.02"), usd("0.02"), usd("0.01"))


def test_negative_amount_allocates_symmetrically() -> None:
    assert usd("-100.00").allocate([1, 1, 1]) == (usd("-33.34"), usd("-33.33"), usd("-33.33"))


def test_allocation_with_zero_ratio_gives_that_part_nothing() -> None:
    assert usd("1.00").allocate([0, 1]) == (usd("0.00"), usd("1.00"))


@pytest.mark.parametrize("ratios", [[], [0, 0], [-1, 2]])
def test_allocation_refuses_ratios_that_cannot_split(ratios: list[int]) -> None:
    with pytest.raises(ValidationError, match="ratios"):
        usd("1.00").allocate(ratios)


def test_allocation_of_an_unrounded_amount_is_refused() -> None:
    with pytest.raises(ValidationError, match="rounded"):
        usd("1.005").allocate([1, 1])


def test_2_675_rounds_to_2_68_half_up_and_half_even() -> None:
    assert usd("2.675").round() == usd("2.68")
    assert usd("2.675").round(Rounding.HALF_EVEN) == usd("2.68")


def test_half_even_differs_from_half_up_on_an_even_neighbour() -> None:
    assert usd("2.665").round(Rounding.HALF_UP) == usd("2.67")
    assert usd("2.665").round(Rounding.HALF_EVEN) == usd("2.66")


def test_half_up_rounds_negative_halves_away_from_zero() -> None:
    assert usd("-2.675").round() == usd("-2.68")


def test_rounding_respects_each_currency_minor_unit() -> None:
    assert Money.of("1234.5", "JPY").round() == Money.of(1235, "JPY")
    assert Money.of("1.2345", "KWD").round() == Money.of("1.235", "KWD")


def test_rounding_mode_names_parse() -> None:
    assert Rounding.parse("half-even") is Rounding.HALF_EVEN
    with pytest.raises(ValidationError, match="rounding"):
        Rounding.parse("bankers")


def test_unit_prices_keep_their_decimals_until_rounded() -> None:
    per_call = usd("0.00042")
    assert (per_call * 123_457).amount == Decimal("51.85194")
    assert (per_call * 123_457).round() == usd("51.85")
    assert not per_call.is_rounded


def test_arithmetic_across_currencies_is_refused() -> None:
    with pytest.raises(CurrencyMismatch, match="USD and EUR"):
        _ = usd("1.00") + Money.of("1.00", "EUR")
    with pytest.raises(CurrencyMismatch):
        _ = usd("1.00") < Money.of("1.00", "EUR")


def test_equality_is_numeric_within_a_currency() -> None:
    assert usd("1.0") == usd("1.00")
    assert usd("1.00") != Money.of("1.00", "EUR")
    assert hash(usd("1.0")) == hash(usd("1.00"))


def test_multiplying_by_a_float_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = usd("1.00") * 1.5  # type: ignore[operator]


@pytest.mark.parametrize(
    "value", [0.1, float("nan"), "NaN", "Infinity", "-inf", "abc", "", "1,000.00", True, None]
)
def test_parse_refuses_floats_nan_infinity_and_garbage(value: object) -> None:
    with pytest.raises(ValidationError) as info:
        Money.of(value, "USD")
    assert info.value.field == "amount"
    assert repr(value) in str(info.value)


def test_money_cannot_be_built_from_a_float_directly() -> None:
    with pytest.raises(ValidationError):
        Money(0.1, Currency.of("USD"))  # type: ignore[arg-type]


def test_parse_reads_what_str_writes() -> None:
    assert str(usd("12.5")) == "12.50 USD"
    assert Money.parse("12.50 USD") == usd("12.50")
    assert Money.parse("USD 12.50") == usd("12.50")
    assert Money.parse("12.50", "USD") == usd("12.50")
    assert str(Money.of("0.00042", "USD")) == "0.00042 USD"
    with pytest.raises(CurrencyMismatch):
        Money.parse("12.50 EUR", "USD")
    with pytest.raises(ValidationError):
        Money.parse("twelve dollars")


@pytest.mark.parametrize(
    ("locale", "expected"),
    [("en_US", "$1,234.50"), ("es_MX", "USD1,234.50"), ("de_DE", "1.234,50\xa0$")],
)
def test_locale_formatting(locale: str, expected: str) -> None:
    assert usd("1234.5").format(locale) == expected


def test_formatting_mxn_in_mexico_and_eur_in_germany() -> None:
    assert Money.of("1600", "MXN").format("es_MX") == "$1,600.00"
    assert Money.of("1234.5", "EUR").format("de_DE") == "1.234,50\xa0€"


def test_minor_units_round_trip() -> None:
    assert usd("12.34").minor_units == 1234
    assert Money.from_minor(1234, "USD") == usd("12.34")
    assert Money.of("1.234", "KWD").minor_units == 1234


def test_sum_money_of_nothing_is_zero_and_refuses_mixed_currencies() -> None:
    assert sum_money([], "USD") == Money.zero("USD")
    assert sum_money([usd("1.10"), usd("2.20")], "USD") == usd("3.30")
    with pytest.raises(CurrencyMismatch):
        sum_money([usd("1.00"), Money.of("1", "EUR")], "USD")


def test_ratio_and_division() -> None:
    assert usd("25.00") / usd("100.00") == Decimal("0.25")
    assert usd("10.00") / 4 == usd("2.50")


def test_parse_decimal_names_the_field() -> None:
    with pytest.raises(ValidationError) as info:
        parse_decimal("12,5", "lines[2].quantity")
    assert str(info.value).startswith("lines[2].quantity:")


def test_multiplying_by_a_decimal_or_an_int_is_exact() -> None:
    assert usd("19.99") * Decimal("1.5") == usd("29.985")
    assert Decimal("0.16") * Money.of("10000.00", "MXN") == Money.of("1600.0000", "MXN")
    assert 3 * usd("19.99") == usd("59.97")
    assert (usd("19.99") * Decimal("1.5")).round() == usd("29.99")
    assert (usd("19.99") * Decimal("1.5")).round(Rounding.HALF_EVEN) == usd("29.98")


def test_multiplying_money_by_money_is_refused() -> None:
    with pytest.raises(TypeError):
        _ = usd("1.00") * usd("2.00")  # type: ignore[operator]


@pytest.mark.parametrize(
    ("text", "code", "locale", "expected"),
    [
        ("$1,234.50", "USD", "en_US", "1234.50"),
        ("-$1,234.50", "USD", "en_US", "-1234.50"),
        ("$1,600.00", "MXN", "es_MX", "1600.00"),
        ("USD1,234.50", "USD", "es_MX", "1234.50"),
        ("1.234,50\xa0€", "EUR", "de_DE", "1234.50"),
        ("1234,5 €", "EUR", "de_DE", "1234.50"),
        ("¥1,000", "JPY", "en_US", "1000"),
        ("$0.00042", "USD", "en_US", "0.00042"),
    ],
)
def test_locale_formatted_text_parses_back(
    text: str, code: str, locale: str, expected: str
) -> None:
    assert Money.parse(text, code, locale=locale) == Money.of(expected, code)


@pytest.mark.parametrize(
    ("text", "code", "locale"),
    [
        ("€1,234.50", "USD", "en_US"),  # another currency's sign
        ("MX$1.00", "USD", "en_US"),  # another dollar
        ("1,234.50\xa0€", "EUR", "de_DE"),  # US separators in a German text
        ("12,34.5", "USD", "en_US"),  # misplaced grouping
        ("NaN", "USD", "en_US"),
        ("", "USD", "en_US"),
    ],
)
def test_locale_parse_refuses_text_of_another_currency_or_locale(
    text: str, code: str, locale: str
) -> None:
    with pytest.raises(ValidationError) as info:
        Money.parse(text, code, locale=locale)
    assert info.value.field == "money"
    assert repr(text) in str(info.value)


def test_locale_parse_needs_the_currency_and_a_known_locale() -> None:
    with pytest.raises(ValidationError, match="currency"):
        Money.parse("$1.00", locale="en_US")
    with pytest.raises(ValidationError) as info:
        Money.parse("$1.00", "USD", locale="xx_YY")
    assert (info.value.field, info.value.value) == ("locale", "xx_YY")
    with pytest.raises(ValidationError, match="locale"):
        usd("1.00").format("not a locale")
    assert usd("1234.5").format("de-DE") == "1.234,50\xa0$"
