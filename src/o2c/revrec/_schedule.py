"""Recognition schedules: the planned amounts of a deferred line, and how runs, credit
notes and releases move them out of deferred revenue.

A schedule is planned once, when its line is issued (:func:`ratable_schedule`), and never
changed; what happens to it afterwards are :class:`Movement` values (recognized by a run
or a release, reversed by a credit note, revenue reversed by the part of a credit above
what was still deferred). Every balance is derived from the plan and the movements, so
``recognized + deferred == billed - credited`` holds by construction (see
:func:`line_balances`).

**The one rounding point** of a ratable schedule is the amount earned through the end
of each month: ``billed × days elapsed / days of the service period``, rounded to the
currency's minor unit with the book's rounding mode. A month's amount is the difference
of two such amounts, so the schedule sums exactly to the line, no month is negative and
the last month takes the remainder. A pro-rata credit computed the same way (the unused
days of a cancelled plan) is exactly what is still deferred after the cancellation date.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal

import attrs

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding

__all__ = [
    "LineBalances",
    "Movement",
    "MovementKind",
    "ScheduledAmount",
    "apply_credit",
    "due_recognitions",
    "earned_through",
    "line_balances",
    "month_of",
    "ratable_schedule",
    "release",
    "remaining_by_month",
    "usage_release",
]


def month_of(day: dt.date) -> Period:
    """The calendar month ``day`` falls in."""
    return Period.month(day.year, day.month)


@attrs.frozen(slots=True, order=True)
class ScheduledAmount:
    """What a schedule plans to recognize in one accounting month.

    Attributes:
        month: The calendar month.
        due_on: The last day of the service period in that month: recognition is due
            once a run reaches it.
        amount: The amount, rounded.
    """

    month: Period
    due_on: dt.date
    amount: Money


class MovementKind(enum.Enum):
    """What moved a deferred line's amounts; the value is what the store keeps."""

    RECOGNIZED = "recognized"
    REVERSED = "reversed"
    REVENUE_REVERSED = "revenue_reversed"


@attrs.frozen(slots=True)
class Movement:
    """One movement of a schedule.

    Attributes:
        kind: Recognized (deferred -> revenue), reversed (a credit note took it out of
            deferred revenue) or revenue reversed (a credit note took back revenue that
            was already recognized).
        month: The plan month it concerns (a run's or a credit's month); for a release
            or a revenue reversal, the month it posts in.
        amount: The amount, positive and rounded.
        quantity: For a usage release: the quantity consumed.
    """

    kind: MovementKind
    month: Period
    amount: Money
    quantity: Decimal | None = None


def earned_through(
    billed: Money, service: Period, day: dt.date, rounding: Rounding = DEFAULT_ROUNDING
) -> Money:
    """What a ratable line has earned by the end of ``day``: the one rounding point.

    Example:
        >>> annual = Period(dt.date(2026, 3, 15), dt.date(2027, 3, 15))
        >>> str(earned_through(Money.of("1200.00", "USD"), annual, dt.date(2026, 9, 30)))
        '657.53 USD'
    """
    if day < service.start:
        return Money.zero(billed.currency)
    if day >= service.end:
        return billed
    elapsed = (day - service.start).days + 1
    return _share(billed, Decimal(elapsed), Decimal(service.days), rounding)


def _share(billed: Money, part: Decimal, whole: Decimal, rounding: Rounding) -> Money:
    # billed × part / whole, rounded: the one rounding point of schedules and usage.
    return Money(billed.amount * part / whole, billed.currency).round(rounding)


def ratable_schedule(
    billed: Money, service: Period, rounding: Rounding = DEFAULT_ROUNDING
) -> tuple[ScheduledAmount, ...]:
    """The monthly amounts of a line recognized by day over ``service``.

    Args:
        billed: The line's net amount (rounded, not negative).
        service: The service period (half-open, ``[start, end)``).
        rounding: The book's rounding mode.

    Raises:
        ValidationError: ``billed`` is negative or not rounded.

    Example:
        An annual plan of 1,200.00 billed on 2026-03-15: 365 days, 17 of them in March.

        >>> plan = ratable_schedule(Money.of("1200.00", "USD"),
        ...     Period(dt.date(2026, 3, 15), dt.date(2027, 3, 15)))
        >>> [(s.month.label, str(s.amount.amount)) for s in plan][:3]
        [('2026-03', '55.89'), ('2026-04', '98.63'), ('2026-05', '101.92')]
        >>> plan[-1].month.label, str(plan[-1].amount), plan[-1].due_on.isoformat()
        ('2027-03', '46.03 USD', '2027-03-14')
    """
    if billed.is_negative or not billed.is_rounded:
        raise ValidationError("billed", str(billed), "a rounded amount >= 0")
    out: list[ScheduledAmount] = []
    before = Money.zero(billed.currency)
    month = month_of(service.start)
    while month.start < service.end:
        last = min(month.end, service.end) - dt.timedelta(days=1)
        through = earned_through(billed, service, last, rounding)
        out.append(ScheduledAmount(month, last, through - before))
        before = through
        month = month_of(month.end)
    return tuple(out)


def _sums(
    movements: Iterable[Movement], currency: Currency
) -> tuple[dict[MovementKind, Money], dict[tuple[MovementKind, Period], Money]]:
    totals = {kind: Money.zero(currency) for kind in MovementKind}
    by_month: dict[tuple[MovementKind, Period], Money] = {}
    for m in movements:
        totals[m.kind] = totals[m.kind] + m.amount
        key = (m.kind, m.month)
        by_month[key] = by_month.get(key, Money.zero(currency)) + m.amount
    return totals, by_month


@attrs.frozen(slots=True)
class LineBalances:
    """Where a deferred line's billed amount stands.

    Attributes:
        billed: The line's net amount, posted to deferred revenue at issue.
        recognized: Recognized revenue, net of revenue reversed by credit notes.
        deferred: Still in deferred revenue.
        credited: Credited by credit notes (reversed + revenue reversed).
    """

    billed: Money
    recognized: Money
    deferred: Money
    credited: Money


def line_balances(billed: Money, movements: Sequence[Movement]) -> LineBalances:
    """The balances of a line: ``recognized + deferred == billed - credited``.

    Example:
        >>> usd = lambda s: Money.of(s, "USD")
        >>> oct_ = Period.month(2026, 10)
        >>> moves = [Movement(MovementKind.RECOGNIZED, oct_, usd("40.00")),
        ...     Movement(MovementKind.REVERSED, oct_, usd("50.00")),
        ...     Movement(MovementKind.REVENUE_REVERSED, oct_, usd("5.00"))]
        >>> b = line_balances(usd("100.00"), moves)
        >>> str(b.recognized), str(b.deferred), str(b.credited)
        ('35.00 USD', '10.00 USD', '55.00 USD')
    """
    totals, _ = _sums(movements, billed.currency)
    recognized = totals[MovementKind.RECOGNIZED]
    reversed_ = totals[MovementKind.REVERSED]
    revenue_reversed = totals[MovementKind.REVENUE_REVERSED]
    return LineBalances(
        billed=billed,
        recognized=recognized - revenue_reversed,
        deferred=billed - recognized - reversed_,
        credited=reversed_ + revenue_reversed,
    )


def remaining_by_month(
    plan: Sequence[ScheduledAmount], movements: Sequence[Movement]
) -> tuple[ScheduledAmount, ...]:
    """The plan's months with what is still to recognize in each (zero ones left out)."""
    if not plan:
        return ()
    _, by_month = _sums(movements, plan[0].amount.currency)
    out = []
    for s in plan:
        left = s.amount
        for kind in (MovementKind.RECOGNIZED, MovementKind.REVERSED):
            taken = by_month.get((kind, s.month))
            if taken is not None:
                left = left - taken
        if left.is_positive:
            out.append(attrs.evolve(s, amount=left))
    return tuple(out)


def due_recognitions(
    plan: Sequence[ScheduledAmount], movements: Sequence[Movement], through: dt.date
) -> tuple[ScheduledAmount, ...]:
    """What a run through ``through`` recognizes: the months due by then, with what is
    left in each. Running again recognizes nothing twice (a recognized month has
    nothing left)."""
    return tuple(s for s in remaining_by_month(plan, movements) if s.due_on <= through)


def apply_credit(
    billed: Money,
    plan: Sequence[ScheduledAmount],
    movements: Sequence[Movement],
    amount: Money,
    on: dt.date,
) -> tuple[Movement, ...]:
    """The movements a credit note of ``amount`` on a deferred line makes.

    **The rule:** a credit reverses the unrecognized part first, taking the plan's
    latest months first (what a cancellation gives back is the end of the service
    period, so a pro-rata cancellation credit leaves exactly the months up to the
    cancellation); only the part above what is still deferred reverses recognized
    revenue (posted in the credit note's month).

    Args:
        billed: The line's net amount.
        plan: The line's schedule (empty for usage and milestone lines).
        movements: Its movements so far.
        amount: The credit note line's net amount (positive).
        on: The credit note's posting date.

    Raises:
        ValidationError: ``amount`` is not positive, or more than the line has left
            (billed - credited).
    """
    balances = line_balances(billed, movements)
    if not amount.is_positive:
        raise ValidationError("amount", str(amount), "a credited amount > 0")
    left = balances.billed - balances.credited
    if amount > left:
        raise ValidationError("amount", str(amount), f"at most {left} (billed - credited)")
    from_deferred = amount.min(balances.deferred)
    out: list[Movement] = []
    rest = from_deferred
    for s in reversed(remaining_by_month(plan, movements)):
        if not rest.is_positive:
            break
        take = rest.min(s.amount)
        out.append(Movement(MovementKind.REVERSED, s.month, take))
        rest = rest - take
    month = month_of(on)
    if rest.is_positive:
        out.append(Movement(MovementKind.REVERSED, month, rest))
    if amount > from_deferred:
        out.append(Movement(MovementKind.REVENUE_REVERSED, month, amount - from_deferred))
    return tuple(out)


def release(billed: Money, movements: Sequence[Movement], amount: Money, on: dt.date) -> Movement:
    """Recognize ``amount`` of a usage or milestone line on ``on`` (a manual release).

    Raises:
        ValidationError: ``amount`` is not positive or is more than is still deferred.
    """
    deferred = line_balances(billed, movements).deferred
    if not amount.is_positive or not amount.is_rounded:
        raise ValidationError("amount", str(amount), "a rounded amount > 0")
    if amount > deferred:
        raise ValidationError("amount", str(amount), f"at most {deferred} (still deferred)")
    # Exact (it is rounded): ``300`` becomes ``300.00`` in a two-decimal currency.
    return Movement(MovementKind.RECOGNIZED, month_of(on), amount.round())


def usage_release(
    billed: Money,
    quantity: Decimal,
    movements: Sequence[Movement],
    consumed: Decimal,
    on: dt.date,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> Movement:
    """Recognize the part of a prepaid usage line that ``consumed`` units used.

    The amount is what the consumption brings the line's earned total to,
    ``billed × units consumed so far / quantity`` rounded (the same rounding point as a
    ratable schedule), less what was recognized by earlier consumption, so the release
    that uses the last unit takes the remainder. It never exceeds what is still
    deferred (a credit note may have reversed part of the line).

    Raises:
        ValidationError: ``consumed`` is not positive, or exceeds the quantity left.

    Example:
        >>> usd = lambda s: Money.of(s, "USD")
        >>> first = usage_release(usd("100.00"), Decimal(3), [], Decimal(1), dt.date(2026, 10, 5))
        >>> str(first.amount)
        '33.33 USD'
        >>> str(usage_release(usd("100.00"), Decimal(3), [first], Decimal(2),
        ...     dt.date(2026, 10, 9)).amount)
        '66.67 USD'
    """
    used = sum(
        (m.quantity or Decimal(0) for m in movements if m.kind is MovementKind.RECOGNIZED),
        Decimal(0),
    )
    if consumed <= 0:
        raise ValidationError("quantity", str(consumed), "a consumed quantity > 0")
    if used + consumed > quantity:
        raise ValidationError(
            "quantity", str(consumed), f"at most {quantity - used} (the prepaid quantity left)"
        )
    recognized = sum(
        (m.amount for m in movements if m.kind is MovementKind.RECOGNIZED),
        Money.zero(billed.currency),
    )
    earned = _share(billed, used + consumed, quantity, rounding)
    deferred = line_balances(billed, movements).deferred
    amount = (earned - recognized).min(deferred)
    return Movement(MovementKind.RECOGNIZED, month_of(on), amount, quantity=consumed)
