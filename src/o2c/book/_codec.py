"""Decoding stored values: the two stores hand back dates and decimals differently."""

from __future__ import annotations

import datetime as dt
import json
import typing
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import cattrs

from o2c.errors import ValidationError
from o2c.io import make_converter
from o2c.money import Currency, Money
from o2c.pricing import PriceModel

__all__ = [
    "MoneyMaker",
    "as_date",
    "as_decimal",
    "as_json",
    "book_converter",
    "iso",
    "money",
    "opt_date",
]


def as_date(value: object) -> dt.date:
    """A stored date (``DATE`` on PostgreSQL, ISO text on SQLite) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


def as_timestamp(value: object) -> dt.datetime:
    """A stored time (``TIMESTAMPTZ`` on PostgreSQL, ISO text on SQLite) as an aware UTC
    datetime (a naive one is taken as UTC)."""
    stamp = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    if stamp.tzinfo is None:
        return stamp.replace(tzinfo=dt.UTC)
    return stamp.astimezone(dt.UTC)


def opt_date(value: object) -> dt.date | None:
    """:func:`as_date`, keeping ``NULL`` as ``None``."""
    return None if value is None else as_date(value)


def iso(value: dt.date | None) -> str | None:
    """A date as the ISO text both stores accept."""
    return None if value is None else value.isoformat()


def as_decimal(value: object) -> Decimal:
    """A stored exact decimal (``NUMERIC`` or text) as a Decimal."""
    if isinstance(value, Decimal):
        return value
    return Decimal(str(value))


def as_json(value: object) -> Any:
    """A stored JSON value (``JSONB`` arrives decoded, text does not)."""
    if isinstance(value, str | bytes):
        return json.loads(value, parse_float=Decimal)
    return value


def money(minor: object, currency: Currency) -> Money:
    """Integer minor units as Money in ``currency``."""
    return Money.from_minor(int(str(minor)), currency)


def book_converter() -> cattrs.Converter:
    """The converter the Book stores values with: o2c's, plus tagged price models.

    Price models are a union of attrs classes, so each is written with a ``"type"`` key
    (its class name) and read back by it.
    """
    converter = make_converter()
    models = typing.get_args(PriceModel)
    by_name = {cls.__name__: cls for cls in models}
    for cls in models:
        plain = converter.get_unstructure_hook(cls)

        def unstructure(value: object, _plain: Callable[[Any], Any] = plain) -> Any:
            data = dict(_plain(value))
            data["type"] = type(value).__name__
            return data

        converter.register_unstructure_hook(cls, unstructure)

    def structure_model(value: object, _type: object) -> Any:
        if not isinstance(value, dict) or value.get("type") not in by_name:
            raise ValidationError(
                "model", value, f"a price model with type one of {sorted(by_name)}"
            )
        data = {k: v for k, v in value.items() if k != "type"}
        return converter.structure(data, by_name[str(value["type"])])

    def structure_optional(value: object, _type: object) -> Any:
        return None if value is None else structure_model(value, _type)

    converter.register_structure_hook(PriceModel, structure_model)
    converter.register_structure_hook(
        PriceModel | None,
        structure_optional,
    )
    return converter


class MoneyMaker:
    """Money values for many integer minor-unit amounts (reports over many rows).

    Looks each currency up once and shares one zero per currency; the amounts are the
    exact ``minor * 10**-minor_units`` that :meth:`Money.from_minor` gives.
    """

    __slots__ = ("_currencies", "_zeros")

    def __init__(self) -> None:
        self._currencies: dict[str, Currency] = {}
        self._zeros: dict[str, Money] = {}

    def currency(self, code: str) -> Currency:
        """The currency of ``code`` (validated once)."""
        found = self._currencies.get(code)
        if found is None:
            found = self._currencies[code] = Currency.of(code)
        return found

    def money(self, minor: int, currency: Currency) -> Money:
        """``minor`` minor units of ``currency``."""
        if minor == 0:
            zero = self._zeros.get(currency.code)
            if zero is None:
                zero = self._zeros[currency.code] = Money.from_minor(0, currency)
            return zero
        return Money(Decimal(minor).scaleb(-currency.minor_units), currency)
