"""Decoding stored values: the two stores hand back dates and decimals differently."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

from o2c.money import Currency, Money

__all__ = ["as_date", "as_decimal", "as_json", "iso", "money", "opt_date"]


def as_date(value: object) -> dt.date:
    """A stored date (``DATE`` on PostgreSQL, ISO text on SQLite) as a date."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value))


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
