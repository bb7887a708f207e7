"""Click parameter types: all argument parsing happens here, not in command bodies.

Each type turns text into an o2c value or fails with click's usage error (exit 2) naming
the parameter, the value and the expected form.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs
import click

from o2c.calendar import Period, parse_date
from o2c.errors import O2CError
from o2c.money import Money, parse_decimal

__all__ = [
    "AMOUNT",
    "DATE",
    "DECIMAL",
    "LINE",
    "MONEY",
    "PERIOD",
    "REF_LINE",
    "TIMESTAMP",
    "AmountType",
    "DateType",
    "DecimalType",
    "LineSpec",
    "LineType",
    "MoneyType",
    "PeriodType",
    "RefLine",
    "RefLineType",
    "TimestampType",
    "check_line_amount",
]


if TYPE_CHECKING:
    _ParamType = click.ParamType
else:

    class _ParamType(click.ParamType):
        # click >= 8.2 makes ParamType generic for type checkers; older clicks do not
        # accept a subscript at run time.
        def __class_getitem__(cls, _item: object) -> type:
            return cls


class DecimalType(_ParamType[Decimal, object]):
    """An exact decimal such as ``12.50`` or ``0.00042``; never a float."""

    name = "decimal"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Decimal:
        if isinstance(value, Decimal):
            return value
        try:
            return parse_decimal(str(value), param.name if param and param.name else "value")
        except O2CError as exc:
            self.fail(str(exc), param, ctx)


class MoneyType(_ParamType[Money, object]):
    """An amount with its currency, ``"12.50 USD"``.

    A bare amount (``12.50``) takes the currency from the command's ``--currency`` option
    when that was given before it on the command line.
    """

    name = "money"

    def __init__(self, currency_param: str = "currency") -> None:
        self.currency_param = currency_param

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Money:
        if isinstance(value, Money):
            return value
        text = str(value).strip()
        currency = ctx.params.get(self.currency_param) if ctx is not None else None
        try:
            if len(text.split()) == 1 and currency is None:
                self.fail(f"{text!r} has no currency; write it as '{text} USD'", param, ctx)
            return Money.parse(text, str(currency) if currency else None)
        except O2CError as exc:
            self.fail(str(exc), param, ctx)


class PeriodType(_ParamType[Period, object]):
    """A billing period: ``2026-10``, ``2026-Q4``, ``2026`` or ``2026-10-01..2026-11-01``."""

    name = "period"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Period:
        if isinstance(value, Period):
            return value
        try:
            return Period.parse(str(value))
        except O2CError as exc:
            self.fail(str(exc), param, ctx)


class DateType(_ParamType[dt.date, object]):
    """A calendar date, ``YYYY-MM-DD``."""

    name = "date"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.date:
        if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
            return value
        try:
            return parse_date(str(value), param.name if param and param.name else "date")
        except O2CError as exc:
            self.fail(str(exc), param, ctx)


class TimestampType(_ParamType[dt.datetime, object]):
    """A point in time: ``2026-11-01``, ``2026-11-01T06:00`` or with an offset.

    A timestamp without an offset is read as UTC, so the value is always time-zone aware.
    """

    name = "timestamp"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> dt.datetime:
        if isinstance(value, dt.datetime):
            result = value
        else:
            text = str(value).strip()
            try:
                result = dt.datetime.fromisoformat(text)
            except ValueError:
                self.fail(
                    f"{text!r} is not a timestamp; use YYYY-MM-DD or YYYY-MM-DDTHH:MM[+HH:MM]",
                    param,
                    ctx,
                )
        if result.tzinfo is None:
            result = result.replace(tzinfo=dt.UTC)
        return result


@attrs.frozen(slots=True)
class LineSpec:
    """One document line from the command line: ``ITEM:QTY[@PRICE]``.

    Attributes:
        item: The item code.
        quantity: The quantity, exact.
        unit_price: The unit price in the document's currency, or ``None`` to price the
            item from the customer's rate card.
    """

    item: str
    quantity: Decimal
    unit_price: Decimal | None = None


class LineType(_ParamType[LineSpec, object]):
    """A line ``ITEM:QTY`` or ``ITEM:QTY@PRICE``, e.g. ``consulting:7.5@150``."""

    name = "line"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> LineSpec:
        if isinstance(value, LineSpec):
            return value
        text = str(value).strip()
        item, sep, rest = text.rpartition(":")
        if not sep or not item or not rest:
            self.fail(f"{text!r} is not a line; use ITEM:QTY or ITEM:QTY@PRICE", param, ctx)
        quantity_text, at, price_text = rest.partition("@")
        try:
            quantity = parse_decimal(quantity_text, "quantity")
            price = parse_decimal(price_text, "unit price") if at else None
        except O2CError as exc:
            self.fail(f"line {text!r}: {exc}", param, ctx)
        return LineSpec(item, quantity, price)


class AmountType(_ParamType[Money | Decimal, object]):
    """``"12.50 USD"``, or a bare ``12.50`` in the currency of the document concerned."""

    name = "amount"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> Money | Decimal:
        if isinstance(value, Money | Decimal):
            return value
        text = str(value).strip()
        try:
            if len(text.split()) == 2:
                return Money.parse(text)
            return parse_decimal(text, param.name if param and param.name else "amount")
        except O2CError as exc:
            self.fail(str(exc), param, ctx)


@attrs.frozen(slots=True)
class RefLine:
    """A line of an existing document: ``N`` or ``N:QTY`` (``N:AMOUNT`` for debit notes).

    Attributes:
        number: The document's line number (1-based).
        quantity: The quantity (or amount); ``None`` for "what is left".
    """

    number: int
    quantity: Decimal | None = None


class RefLineType(_ParamType[RefLine, object]):
    """A document line reference ``N`` or ``N:QTY``, e.g. ``2:1.5``."""

    name = "line"

    def convert(
        self, value: object, param: click.Parameter | None, ctx: click.Context | None
    ) -> RefLine:
        if isinstance(value, RefLine):
            return value
        text = str(value).strip()
        number_text, sep, quantity_text = text.partition(":")
        if not number_text.isdigit() or int(number_text) < 1:
            self.fail(f"{text!r} is not a line; use N or N:QTY (N from 1)", param, ctx)
        try:
            quantity = parse_decimal(quantity_text, "quantity") if sep else None
        except O2CError as exc:
            self.fail(f"line {text!r}: {exc}", param, ctx)
        if quantity is not None and quantity <= 0:
            self.fail(f"line {text!r}: the quantity must be above 0", param, ctx)
        return RefLine(int(number_text), quantity)


def check_line_amount(lines: tuple[RefLine, ...], amount: object) -> None:
    """Refuse ``--line N:QTY`` together with ``--amount``: with an amount, ``--line N``
    names the lines the amount is credited on (all of it on one line, or spread over
    several by their net), so a quantity there would mean nothing."""
    if amount is None:
        return
    for line in lines:
        if line.quantity is not None:
            raise click.UsageError(
                f"--line {line.number}:{line.quantity} with --amount: give --line "
                f"{line.number} (the line to credit the amount on) or drop --amount"
            )


DECIMAL: Final = DecimalType()
AMOUNT: Final = AmountType()
REF_LINE: Final = RefLineType()
MONEY: Final = MoneyType()
PERIOD: Final = PeriodType()
DATE: Final = DateType()
TIMESTAMP: Final = TimestampType()
LINE: Final = LineType()
