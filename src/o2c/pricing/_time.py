"""Time and materials: time entries billed at role rates."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import ROUND_CEILING, Decimal
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.money import Amount, parse_decimal
from o2c.pricing._models import TimeAndMaterials
from o2c.pricing._rated import Step, StepKind

__all__ = ["TimeEntry", "billable_hours", "time_steps"]

_ZERO: Final = Decimal(0)


def _hours(value: Amount) -> Decimal:
    return parse_decimal(value, "hours")


def _check_hours(_instance: object, _attribute: object, value: Decimal) -> None:
    if value < 0:
        raise ValidationError("hours", str(value), "hours >= 0")


@attrs.frozen(slots=True, kw_only=True)
class TimeEntry:
    """Hours one person worked in one role on one day.

    Attributes:
        id: Source id of the entry.
        person: Who worked.
        role: The role whose rate applies.
        date: The day worked.
        hours: Hours worked (before rounding to the billing increment).
        billable: Whether the customer pays for it.
        approved: Whether it was approved; only approved billable entries are billed.
    """

    id: str
    person: str
    role: str
    date: dt.date
    hours: Decimal = attrs.field(converter=_hours, validator=_check_hours)
    billable: bool = True
    approved: bool = False


def billable_hours(model: TimeAndMaterials, hours: Decimal) -> Decimal:
    """Hours of one entry as billed: rounded up to the increment, at least the minimum.

    An entry of zero hours bills nothing: the minimum applies to work that was done,
    not to an empty (or cancelled) entry.

    Example:
        >>> from o2c.pricing import RoleRate, TimeAndMaterials
        >>> model = TimeAndMaterials(rates=[RoleRate("dev", 100)], increment="0.25",
        ...                          minimum_hours="0.5")
        >>> billable_hours(model, Decimal("1.1")), billable_hours(model, Decimal("0.1"))
        (Decimal('1.25'), Decimal('0.5'))
        >>> billable_hours(model, Decimal(0))
        Decimal('0')
    """
    if not hours:
        return hours
    if model.increment:
        blocks = (hours / model.increment).to_integral_value(ROUND_CEILING)
        # Exact re-check: a quotient rounded to 28 digits could hide a remainder.
        if blocks * model.increment < hours:
            blocks += 1
        hours = blocks * model.increment
    if hours < model.minimum_hours:
        hours = model.minimum_hours
    return hours


def time_steps(model: TimeAndMaterials, entries: Sequence[TimeEntry], steps: list[Step]) -> Decimal:
    """Append the steps for approved billable ``entries``; return their total.

    Entries are taken in date order (stable for one date), so overtime falls on the
    later entries of a day or week.
    """
    overtime = model.overtime
    daily_limit = overtime.daily_hours if overtime else None
    weekly_limit = overtime.weekly_hours if overtime else None
    day_hours: dict[tuple[str, dt.date], Decimal] = {}
    week_hours: dict[tuple[str, int, int], Decimal] = {}
    total = _ZERO
    billed = [e for e in entries if e.billable and e.approved]
    billed.sort(key=lambda e: e.date)
    for entry in billed:
        rate = model.rate_of(entry.role)
        hours = billable_hours(model, entry.hours)
        if not hours:
            continue
        extra = _ZERO
        if overtime is not None:
            day_key = (entry.person, entry.date)
            before = day_hours.get(day_key, _ZERO)
            regular = hours
            if daily_limit is not None:
                room = max(daily_limit - before, _ZERO)
                regular = min(hours, room)
            day_hours[day_key] = before + hours
            if weekly_limit is not None:
                iso = entry.date.isocalendar()
                week_key = (entry.person, iso.year, iso.week)
                week_before = week_hours.get(week_key, _ZERO)
                room = max(weekly_limit - week_before, _ZERO)
                regular = min(regular, room)
                week_hours[week_key] = week_before + regular
            extra = hours - regular
            hours = regular
        note = f"{entry.date.isoformat()} {entry.person}, {entry.role}"
        if entry.hours != hours + extra:
            note += f", {entry.hours} h worked"
        amount = hours * rate
        steps.append(Step(StepKind.HOURS, hours, rate, amount, note=note))
        total += amount
        if extra:
            assert overtime is not None
            ot_rate = rate * overtime.multiplier
            ot_amount = extra * ot_rate
            steps.append(Step(StepKind.OVERTIME, extra, ot_rate, ot_amount, note=note))
            total += ot_amount
    return total
