"""Charges per event ("pay in advance"): each usage event priced as it arrives.

A rate-card item billed per event (``Item.per_event``) is not rated once per period in
arrears: each usage event is charged given the earlier events of its period. The rule:

    The period's events, in the order they occurred (then by id), are rated together
    under the item's model as the period would be; an event is charged what the rounded
    period-to-date amount grows by when it is added:
    ``charge = round(R(earlier + event)) - round(R(earlier))``, with ``R(nothing) = 0``.

So running totals, free units and free amounts are consumed in order, a tier's flat fee
is charged on the event that first enters the tier (the first tier's base fee, and a
period minimum, on the period's first event), a per-transaction minimum or maximum
applies to each event, and once a period maximum is reached events cost nothing. The
cents each rounding leaves are caught up by the next event, so **the charges of a
period always add up exactly to the period rating of its events, rounded**: 4 events of
one unit at 0.125 are charged 0.13, 0.12, 0.13, 0.12 (0.50 in all, as 4 x 0.125).

A model whose period amount can fall when usage grows (volume tiers: more units may
reach a cheaper tier for all of them), a flat price and time and materials are not
charged per event.
"""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding
from o2c.pricing._models import (
    Graduated,
    GraduatedPercentage,
    Package,
    Percentage,
    PerUnit,
    PriceModel,
)
from o2c.pricing._rate import percentage_running, rate
from o2c.pricing._usage import UsageRecord

__all__ = ["EventCharge", "charge_events", "per_event_reason"]

_ZERO: Final = Decimal(0)

#: The models whose period amount never falls as events are added.
_PER_EVENT: Final = (PerUnit, Graduated, Package, Percentage, GraduatedPercentage)


def per_event_reason(model: PriceModel) -> str | None:
    """Why ``model`` cannot be charged per event, or ``None`` when it can.

    Example:
        >>> from o2c.pricing import Tier, Volume
        >>> per_event_reason(PerUnit(unit_price="0.01")) is None
        True
        >>> per_event_reason(Volume(tiers=[Tier(10, "2"), Tier(None, "1")]))
        'volume pricing is not charged per event: a larger quantity can cost less'
    """
    if isinstance(model, _PER_EVENT):
        if isinstance(model, PerUnit) and model.allow_credits:
            return "a per-unit price that allows credits is not charged per event"
        return None
    if model.name == "volume":
        return "volume pricing is not charged per event: a larger quantity can cost less"
    return f"a {model.name.replace('_', ' ')} price is not charged per event"


@attrs.frozen(slots=True)
class EventCharge:
    """What one usage event is charged.

    Attributes:
        event: The usage record's id.
        quantity: Its quantity (the transaction amount for percentage models).
        amount: The charge, rounded: how much the rounded period-to-date amount grew.
        before: The rounded period-to-date amount of the earlier events.
        after: The rounded period-to-date amount with this event.
        explain: The rule and the period-to-date rating's steps.
    """

    event: str
    quantity: Decimal
    amount: Money
    before: Money
    after: Money
    explain: tuple[str, ...]


def _order(record: UsageRecord) -> tuple[object, str]:
    return (record.timestamp, record.id)


def charge_events(
    model: PriceModel,
    events: Sequence[UsageRecord],
    *,
    currency: str | Currency,
    earlier: Sequence[UsageRecord] = (),
    rounding: Rounding = DEFAULT_ROUNDING,
) -> tuple[EventCharge, ...]:
    """Charge ``events`` of one period and item, given the ``earlier`` events of the
    period charged before (see the module's rule).

    The events are charged in the order they occurred (then by id); each one is added
    to the period's events in that order, so a late event is priced where it belongs.

    Args:
        model: The item's price model for the period.
        events: The events to charge now (each id once, none among ``earlier``).
        currency: Currency of the prices in ``model``.
        earlier: The period's events charged before.
        rounding: The book's rounding mode (each charge is a line net).

    Returns:
        One charge per event, in the order charged.

    Raises:
        ValidationError: The model cannot be charged per event, or an event id is
            repeated or among ``earlier``.

    Example:
        >>> import datetime as dt
        >>> utc = dt.timezone.utc
        >>> def event(n, qty):
        ...     return UsageRecord(id=f"e{n}", customer="C1", item="API", quantity=qty,
        ...                        timestamp=dt.datetime(2026, 10, n, tzinfo=utc))
        >>> model = PerUnit(unit_price="0.125")
        >>> [str(c.amount.amount) for c in charge_events(
        ...     model, [event(n, 1) for n in range(1, 5)], currency="USD")]
        ['0.13', '0.12', '0.13', '0.12']
    """
    reason = per_event_reason(model)
    if reason is not None:
        raise ValidationError("model", model.name, "a model charged per event", message=reason)
    cur = currency if type(currency) is Currency else Currency.of(currency)
    seen = {r.id for r in earlier}
    for index, record in enumerate(events):
        if record.id in seen:
            raise ValidationError(f"events[{index}].id", record.id, "an event not charged yet")
        seen.add(record.id)
    by_quantity = not isinstance(model, Percentage)
    ordered = sorted(events, key=_order)
    if isinstance(model, Percentage) and (
        not earlier or not ordered or _order(ordered[0]) > max(map(_order, earlier))
    ):
        return _charge_in_order(model, sorted(earlier, key=_order), ordered, cur, rounding)
    so_far = sorted(earlier, key=_order)
    total = sum((r.quantity for r in so_far), _ZERO)
    before = _rounded(model, so_far, total, cur, rounding, by_quantity)[0]
    out = []
    for record in ordered:
        if not by_quantity and so_far and _order(so_far[-1]) > _order(record):
            so_far.append(record)
            so_far.sort(key=_order)  # a late event: priced where it occurred
        else:
            so_far.append(record)
        total += record.quantity
        after, steps = _rounded(model, so_far, total, cur, rounding, by_quantity)
        charge = after - before
        out.append(
            EventCharge(
                record.id,
                record.quantity,
                charge,
                before,
                after,
                (
                    f"charged per event: period to date {after.amount} less {before.amount}"
                    f" before this event = {charge.amount}",
                    *steps,
                ),
            )
        )
        before = after
    return tuple(out)


def _clamped(model: Percentage, amount: Decimal) -> Decimal:
    """``amount`` with the period minimum and maximum applied, as :func:`rate` does."""
    if model.minimum is not None and amount < model.minimum:
        amount = model.minimum
    if model.maximum is not None and amount > model.maximum:
        amount = model.maximum
    return amount


def _charge_in_order(
    model: Percentage,
    earlier: list[UsageRecord],
    events: list[UsageRecord],
    currency: Currency,
    rounding: Rounding,
) -> tuple[EventCharge, ...]:
    """The charges of ``events`` that all occurred after the ``earlier`` ones: the
    period-to-date amounts after each transaction come from one pass of the rating
    (what rating each prefix again would give, without its quadratic cost)."""
    running = percentage_running(model, [r.quantity for r in (*earlier, *events)])
    exp, mode = currency.exponent, rounding.value

    def rounded(count: int) -> Money:
        if not count:
            return Money(_ZERO, currency)
        return Money(_clamped(model, running[count - 1]).quantize(exp, rounding=mode), currency)

    before = rounded(len(earlier))
    out = []
    for n, record in enumerate(events, start=len(earlier) + 1):
        after = rounded(n)
        charge = after - before
        out.append(
            EventCharge(
                record.id,
                record.quantity,
                charge,
                before,
                after,
                (
                    f"charged per event: period to date {after.amount} less {before.amount}"
                    f" before this event = {charge.amount}",
                    f"transaction {n} of the period: {record.quantity}",
                ),
            )
        )
        before = after
    return tuple(out)


def _rounded(
    model: PriceModel,
    records: Sequence[UsageRecord],
    total: Decimal,
    currency: Currency,
    rounding: Rounding,
    by_quantity: bool,
) -> tuple[Money, tuple[str, ...]]:
    """``round(R(records))`` and its steps; ``R`` of no events is 0."""
    if not records:
        return Money(_ZERO, currency), ()
    if by_quantity:
        rated = rate(model, total, currency=currency)
    else:
        rated = rate(model, total, currency=currency, transactions=[r.quantity for r in records])
    return rated.net(rounding), tuple(s.describe(currency) for s in rated.steps)
