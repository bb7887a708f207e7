"""The deferred revenue reports: the roll-forward of a date range and the waterfall of
what is still to recognize, both per currency."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.money import Currency, Money

__all__ = ["DeferredFlow", "FlowKind", "RollForwardRow", "WaterfallRow", "rollforward", "waterfall"]


class FlowKind(enum.Enum):
    """A movement of the deferred revenue balance."""

    BILLED = "billed"
    RECOGNIZED = "recognized"
    REVERSED = "reversed"


@attrs.frozen(slots=True)
class DeferredFlow:
    """One movement of deferred revenue: billed (in), recognized or reversed (out).

    Attributes:
        day: Its posting date.
        kind: Billed, recognized or reversed.
        amount: The amount, positive.
    """

    day: dt.date
    kind: FlowKind
    amount: Money


@attrs.frozen(slots=True)
class RollForwardRow:
    """Deferred revenue of one currency over a date range:
    ``opening + billed - recognized - reversed == closing``."""

    currency: Currency
    opening: Money
    billed: Money
    recognized: Money
    reversed: Money
    closing: Money


def rollforward(
    flows: Iterable[DeferredFlow], start: dt.date, end: dt.date
) -> tuple[RollForwardRow, ...]:
    """The roll-forward from ``start`` to ``end`` (both included), per currency.

    Raises:
        ValidationError: ``end`` is before ``start``.

    Example:
        >>> usd = lambda s: Money.of(s, "USD")
        >>> flows = [DeferredFlow(dt.date(2026, 3, 15), FlowKind.BILLED, usd("1200.00")),
        ...     DeferredFlow(dt.date(2026, 3, 31), FlowKind.RECOGNIZED, usd("55.89")),
        ...     DeferredFlow(dt.date(2026, 4, 30), FlowKind.RECOGNIZED, usd("98.63"))]
        >>> [row] = rollforward(flows, dt.date(2026, 4, 1), dt.date(2026, 4, 30))
        >>> str(row.opening), str(row.recognized), str(row.closing)
        ('1144.11 USD', '98.63 USD', '1045.48 USD')
    """
    if end < start:
        raise ValidationError("end", end.isoformat(), f"a date on or after {start}")
    sums: dict[Currency, dict[str, Money]] = {}
    for f in flows:
        if f.day > end:
            continue
        cur = f.amount.currency
        row = sums.setdefault(
            cur, {k: Money.zero(cur) for k in ("opening", "billed", "recognized", "reversed")}
        )
        if f.day < start:
            sign = f.amount if f.kind is FlowKind.BILLED else -f.amount
            row["opening"] = row["opening"] + sign
        else:
            row[f.kind.value] = row[f.kind.value] + f.amount
    return tuple(
        RollForwardRow(
            cur,
            r["opening"],
            r["billed"],
            r["recognized"],
            r["reversed"],
            r["opening"] + r["billed"] - r["recognized"] - r["reversed"],
        )
        for cur, r in sorted(sums.items(), key=lambda kv: kv[0].code)
    )


@attrs.frozen(slots=True)
class WaterfallRow:
    """What is still to recognize in one month (``None``: not scheduled, waiting for
    usage or a milestone release), in one currency."""

    currency: Currency
    month: Period | None
    amount: Money


def waterfall(
    scheduled: Iterable[tuple[Period, Money]], unscheduled: Iterable[Money]
) -> tuple[WaterfallRow, ...]:
    """Future recognition per currency and month; the rows of a currency add up to its
    deferred revenue balance.

    Args:
        scheduled: The plan months' remaining amounts (month, amount).
        unscheduled: Deferred amounts no plan month holds (usage and milestone lines).

    Example:
        >>> usd = lambda s: Money.of(s, "USD")
        >>> rows = waterfall([(Period.month(2026, 5), usd("10.00")),
        ...     (Period.month(2026, 5), usd("5.00"))], [usd("7.00")])
        >>> [(r.month and r.month.label, str(r.amount)) for r in rows]
        [('2026-05', '15.00 USD'), (None, '7.00 USD')]
    """
    months: dict[tuple[str, Period], Money] = {}
    rest: dict[str, Money] = {}
    for month, amount in scheduled:
        key = (amount.currency.code, month)
        months[key] = months.get(key, Money.zero(amount.currency)) + amount
    for amount in unscheduled:
        code = amount.currency.code
        rest[code] = rest.get(code, Money.zero(amount.currency)) + amount
    rows = [WaterfallRow(a.currency, m, a) for (_, m), a in months.items() if not a.is_zero]
    rows.extend(WaterfallRow(a.currency, None, a) for a in rest.values() if not a.is_zero)
    rows.sort(key=lambda r: (r.currency.code, r.month is None, r.month or Period.month(1, 1)))
    return tuple(rows)
