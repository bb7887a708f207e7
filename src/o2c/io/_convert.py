"""The one cattrs converter factory and the JSON helpers built on it.

Amounts are written as strings so no JSON reader turns them into binary floats. A
:class:`~o2c.money.Money` is written as an object with two stable keys,
``{"amount": "12.50", "currency": "USD"}``: a reader (jq, a spreadsheet import, pandas)
gets the number and the currency apart without parsing text. Reading accepts that object
and also the text form ``"12.50 USD"`` that ``str(money)`` writes.
"""

from __future__ import annotations

import datetime as dt
import enum
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

import cattrs

from o2c.calendar import PaymentTerms, Period
from o2c.errors import O2CError, ValidationError
from o2c.money import Currency, Money, parse_decimal

__all__ = ["from_json", "make_converter", "money_to_plain", "structure", "to_json", "to_plain"]

T = TypeVar("T")

#: Scalars that JSON writes as they are.
_PLAIN = (str, int, bool, type(None))


def money_to_plain(money: Money) -> dict[str, str]:
    """Return ``money`` as ``{"amount": "12.50", "currency": "USD"}``.

    The amount is written with the currency's minor unit, or with all its digits when it
    carries more (a unit price of ``0.00042``), exactly as ``str(money)`` shows it.

    Example:
        >>> money_to_plain(Money.of("12.5", "USD"))
        {'amount': '12.50', 'currency': 'USD'}
    """
    amount, code = str(money).split()
    return {"amount": amount, "currency": code}


def _structure_money(value: object, _type: object) -> Money:
    if isinstance(value, Money):
        return value
    if isinstance(value, str):
        return Money.parse(value)
    if isinstance(value, Mapping):
        extra = set(value) - {"amount", "currency"}
        if extra or "amount" not in value or "currency" not in value:
            raise ValidationError(
                "money", dict(value), "an object with exactly 'amount' and 'currency'"
            )
        return Money.of(value["amount"], str(value["currency"]))
    raise ValidationError("money", value, "'12.50 USD' or {'amount': '12.50', 'currency': 'USD'}")


def _structure_date(value: object, _type: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError("date", value, "a date as YYYY-MM-DD")


def _structure_datetime(value: object, _type: object) -> dt.datetime:
    if isinstance(value, dt.datetime):
        return value
    if isinstance(value, str):
        try:
            return dt.datetime.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError("timestamp", value, "an ISO 8601 timestamp such as 2026-10-31T23:30Z")


def _sort_key(value: object) -> str:
    return json.dumps(value, sort_keys=True, default=str)


def make_converter() -> cattrs.Converter:
    """Return a new converter with o2c's hooks; nothing is registered globally.

    Unstructuring writes: Money as ``{"amount": "12.50", "currency": "USD"}``, Currency as
    its code, Decimal as a string (never a float), dates and timestamps in ISO 8601, a
    Period as its label (``"2026-10"`` or ``"2026-10-01..2026-10-15"``), payment terms as
    their text (``"net 30"``), enums as their value, sets and frozensets as sorted lists.
    Structuring reads the same back and refuses floats where a Decimal is expected.
    Extra keys are refused, so a misspelt field is an error instead of silently ignored.

    Example:
        >>> import datetime as dt
        >>> converter = make_converter()
        >>> converter.unstructure({"due": dt.date(2026, 11, 30), "total": Money.of("9.5", "EUR")})
        {'due': '2026-11-30', 'total': {'amount': '9.50', 'currency': 'EUR'}}
        >>> converter.structure("0.00042", Decimal)
        Decimal('0.00042')
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    converter.register_unstructure_hook(Money, money_to_plain)
    converter.register_structure_hook(Money, _structure_money)
    converter.register_unstructure_hook(Currency, lambda currency: currency.code)
    converter.register_structure_hook(Currency, lambda value, _t: Currency.of(str(value)))
    converter.register_unstructure_hook(Decimal, lambda value: f"{value:f}")
    converter.register_structure_hook(Decimal, lambda value, _t: parse_decimal(value, "decimal"))
    converter.register_unstructure_hook(dt.datetime, lambda value: value.isoformat())
    converter.register_structure_hook(dt.datetime, _structure_datetime)
    converter.register_unstructure_hook(dt.date, lambda value: value.isoformat())
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(Period, lambda period: period.label)
    converter.register_structure_hook(Period, lambda value, _t: Period.parse(str(value)))
    converter.register_unstructure_hook(PaymentTerms, str)
    converter.register_structure_hook(
        PaymentTerms, lambda value, _t: PaymentTerms.parse(str(value))
    )
    converter.register_unstructure_hook(enum.Enum, lambda value: converter.unstructure(value.value))

    def _unstructure_set(values: frozenset[object] | set[object]) -> list[Any]:
        return sorted((converter.unstructure(v) for v in values), key=_sort_key)

    converter.register_unstructure_hook(frozenset, _unstructure_set)
    converter.register_unstructure_hook(set, _unstructure_set)
    return converter


def to_plain(value: object, converter: cattrs.Converter | None = None) -> Any:
    """Return ``value`` as plain JSON data (dicts, lists, str, int, bool, None).

    Args:
        value: attrs values, mappings, sequences and scalars, nested.
        converter: The converter to use; a new :func:`make_converter` by default.
    """
    converter = converter or make_converter()
    plain = converter.unstructure(value)
    return _plain(plain, converter)


def _plain(value: object, converter: cattrs.Converter) -> Any:
    # Mappings and tuples that cattrs passes through as they are still need their keys and
    # items made JSON-safe (a dict with date keys, a tuple of Decimals).
    if isinstance(value, _PLAIN):
        return value
    if isinstance(value, Mapping):
        return {
            str(_plain(converter.unstructure(k), converter)): _plain(v, converter)
            for k, v in value.items()
        }
    if isinstance(value, list | tuple):
        return [_plain(converter.unstructure(v), converter) for v in value]
    if isinstance(value, set | frozenset):
        return _plain(converter.unstructure(value), converter)
    unstructured = converter.unstructure(value)
    if unstructured is value:
        raise ValidationError("value", type(value).__name__, "a value o2c can write as JSON")
    return _plain(unstructured, converter)


def to_json(
    value: object, *, indent: int | None = 2, converter: cattrs.Converter | None = None
) -> str:
    """Return ``value`` as JSON text with sorted (stable) keys and amounts as strings.

    Example:
        >>> print(to_json({"total": Money.of("12.5", "USD"), "lines": 2}, indent=None))
        {"lines": 2, "total": {"amount": "12.50", "currency": "USD"}}
    """
    return json.dumps(to_plain(value, converter), indent=indent, sort_keys=True, ensure_ascii=False)


def from_json(text: str | bytes, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Read JSON ``text`` as a ``cls`` value.

    JSON numbers are read as exact decimals (``1.10`` stays ``Decimal('1.10')``), never as
    binary floats.

    Raises:
        ValidationError: The text is not JSON, or does not fit ``cls``; the message lists
            every problem with its path, e.g. ``$.lines[2].quantity``.

    Example:
        >>> from_json('{"amount": "1.10", "currency": "EUR"}', Money)
        Money('1.10', 'EUR')
        >>> from_json('{"amount": "ten", "currency": "EUR"}', Money)  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        o2c.errors.ValidationError: invalid Money: amount: expected a decimal number ...
    """
    try:
        data = json.loads(text, parse_float=Decimal)
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise ValidationError(
            "json", _excerpt(text), "valid JSON", message=f"not valid JSON: {exc}"
        ) from None
    return structure(data, cls, converter=converter)


def structure(data: object, cls: type[T], *, converter: cattrs.Converter | None = None) -> T:
    """Structure plain ``data`` into ``cls``, collecting every problem into one error.

    Raises:
        ValidationError: What does not fit, each problem with its path (``$.lines[2]``).
    """
    converter = converter or make_converter()
    try:
        return converter.structure(data, cls)
    except cattrs.BaseValidationError as exc:
        problems = cattrs.transform_error(exc, path="$", format_exception=_format_exception)
        name = getattr(cls, "__name__", str(cls))
        raise ValidationError(
            "json", name, name, message=f"invalid {name}: " + "; ".join(problems)
        ) from None
    except (O2CError, ValueError, TypeError, KeyError) as exc:
        name = getattr(cls, "__name__", str(cls))
        raise ValidationError("json", name, name, message=f"invalid {name}: {exc}") from None


def _format_exception(exc: BaseException, type_: type | None) -> str:
    if isinstance(exc, O2CError):
        return str(exc)
    return cattrs.v.format_exception(exc, type_)


def _excerpt(text: str | bytes, limit: int = 40) -> str:
    value = text.decode("utf-8", "replace") if isinstance(text, bytes) else text
    return value if len(value) <= limit else value[:limit] + "..."
