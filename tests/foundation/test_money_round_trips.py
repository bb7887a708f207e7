"""Money survives its text forms: locale formatting and JSON give back the same amount."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from o2c.io import from_json, to_json
from o2c.money import Money
from tests.strategies import exact_money

LOCALES = ("en_US", "es_MX", "de_DE", "fr_FR", "de_CH", "sv_SE")


@given(exact_money(), st.sampled_from(LOCALES))
def test_parse_reads_back_what_format_writes(amount: Money, locale: str) -> None:
    text = amount.format(locale)
    assert Money.parse(text, amount.currency, locale=locale) == amount


@given(exact_money())
def test_unrounded_amounts_round_trip_through_json_with_every_digit(amount: Money) -> None:
    back = from_json(to_json(amount), Money)
    assert back == amount
    assert str(back) == str(amount)
    assert back.currency is amount.currency
