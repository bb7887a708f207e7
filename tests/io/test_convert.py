"""The cattrs converter: Money, Decimal, dates, enums and sets round-trip as plain JSON."""

from __future__ import annotations

import datetime as dt
import enum
import json
from decimal import Decimal

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.errors import ValidationError
from o2c.io import from_json, make_converter, structure, to_json, to_plain
from o2c.money import Currency, Money


class Kind(enum.Enum):
    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"


@attrs.frozen
class Line:
    item: str
    quantity: Decimal
    unit_price: Money


@attrs.frozen
class Doc:
    kind: Kind
    issued: dt.date
    at: dt.datetime
    lines: tuple[Line, ...]
    tags: frozenset[str]
    currency: Currency


def _doc() -> Doc:
    return Doc(
        kind=Kind.CREDIT_NOTE,
        issued=dt.date(2026, 10, 31),
        at=dt.datetime(2026, 10, 31, 23, 30, tzinfo=dt.UTC),
        lines=(Line("api-calls", Decimal("12500"), Money.of("0.00042", "USD")),),
        tags=frozenset({"b", "a"}),
        currency=Currency.of("USD"),
    )


def test_money_is_written_as_amount_string_and_currency_code() -> None:
    assert to_plain(Money.of("12.5", "USD")) == {"amount": "12.50", "currency": "USD"}
    assert to_plain(Money.of("1000", "JPY")) == {"amount": "1000", "currency": "JPY"}


def test_unit_price_below_the_minor_unit_keeps_every_digit() -> None:
    assert to_plain(Money.of("0.00042", "USD"))["amount"] == "0.00042"


def test_json_keys_are_sorted_and_amounts_are_strings() -> None:
    text = to_json(_doc())
    data = json.loads(text)
    assert list(data) == sorted(data)
    assert data["lines"][0]["quantity"] == "12500"
    assert data["lines"][0]["unit_price"] == {"amount": "0.00042", "currency": "USD"}
    assert data["kind"] == "credit_note"
    assert data["issued"] == "2026-10-31"
    assert data["at"] == "2026-10-31T23:30:00+00:00"
    assert data["tags"] == ["a", "b"]
    assert data["currency"] == "USD"


def test_a_document_round_trips_through_json() -> None:
    doc = _doc()
    assert from_json(to_json(doc), Doc) == doc


def test_money_is_also_read_from_its_text_form() -> None:
    assert structure("12.50 USD", Money) == Money.of("12.50", "USD")


def test_json_numbers_are_read_as_exact_decimals_not_floats() -> None:
    money = from_json('{"amount": 0.1, "currency": "USD"}', Money)
    assert money.amount == Decimal("0.1")


def test_a_float_is_refused_where_a_decimal_is_expected() -> None:
    with pytest.raises(ValidationError, match="not a float"):
        make_converter().structure(0.1, Decimal)


def test_every_problem_is_reported_with_its_path() -> None:
    bad = json.loads(to_json(_doc()))
    bad["lines"][0]["quantity"] = "many"
    bad["issued"] = "2026-13-01"
    with pytest.raises(ValidationError) as info:
        structure(bad, Doc)
    message = str(info.value)
    assert "$.lines[0].quantity" in message
    assert "'many'" in message
    assert "$.issued" in message


def test_a_misspelt_key_is_an_error_not_ignored() -> None:
    with pytest.raises(ValidationError, match="quantty"):
        from_json('{"item": "x", "quantty": "1", "unit_price": "1 USD"}', Line)


def test_malformed_json_is_one_clear_error() -> None:
    with pytest.raises(ValidationError, match="not valid JSON"):
        from_json("{oops", Money)


def test_converters_are_independent() -> None:
    first, second = make_converter(), make_converter()
    second.register_unstructure_hook(Money, str)
    assert first.unstructure(Money.of("1", "USD")) == {"amount": "1.00", "currency": "USD"}


@given(
    units=st.integers(min_value=-(10**12), max_value=10**12),
    code=st.sampled_from(["USD", "EUR", "MXN", "JPY", "KWD"]),
)
def test_money_round_trips_exactly(units: int, code: str) -> None:
    money = Money.from_minor(units, code)
    assert from_json(to_json(money), Money) == money


def test_periods_and_payment_terms_are_written_as_their_text() -> None:
    from o2c.calendar import PaymentTerms, Period

    converter = make_converter()
    assert to_plain(Period.month(2026, 10)) == "2026-10"
    assert to_plain(PaymentTerms.parse("net 30")) == "net 30"
    assert converter.structure("2026-Q4", Period) == Period.parse("2026-Q4")
    assert converter.structure("eom+15", PaymentTerms) == PaymentTerms.parse("eom+15")
