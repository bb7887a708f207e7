"""Argument checks shared by the ledger's posting verbs."""

from __future__ import annotations

from o2c.errors import ValidationError
from o2c.money import Currency, Money


def positive(field: str, value: object) -> Money:
    """Return ``value`` if it is a rounded Money above zero."""
    if not isinstance(value, Money):
        raise ValidationError(field, value, "a Money amount")
    if not value.is_positive:
        raise ValidationError(field, str(value), "an amount above zero")
    rounded(field, value)
    return value


def non_negative(field: str, value: object) -> Money:
    """Return ``value`` if it is a rounded Money of zero or more."""
    if not isinstance(value, Money):
        raise ValidationError(field, value, "a Money amount")
    if value.is_negative:
        raise ValidationError(field, str(value), "an amount of zero or more")
    rounded(field, value)
    return value


def rounded(field: str, value: Money) -> Money:
    """Return ``value`` if it has no digits below its currency's minor unit."""
    if not value.is_rounded:
        raise ValidationError(
            field, str(value), f"an amount rounded to {value.currency.minor_units} decimals"
        )
    return value


def same_currency(field: str, value: Money, currency: Currency) -> Money:
    """Return ``value`` if it is in ``currency``."""
    if value.currency != currency:
        raise ValidationError(field, str(value), f"an amount in {currency.code}")
    return value


def text(field: str, value: object) -> str:
    """Return ``value`` stripped if it is non-empty text."""
    if not isinstance(value, str) or not value.strip():
        raise ValidationError(field, value, "non-empty text")
    return value.strip()
