"""Contract adjustments: price overrides, discounts and minimum commitments."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import Final

import attrs

from o2c.calendar import Period
from o2c.errors import ValidationError
from o2c.money import Amount, Currency, Money, parse_decimal
from o2c.pricing._models import PriceModel
from o2c.pricing._ratecard import Item, RateCard
from o2c.pricing._rated import Rated, Step, StepKind, _plain

__all__ = [
    "Commitment",
    "Discount",
    "DiscountKind",
    "PriceOverride",
    "apply_discounts",
    "document_discount",
    "resolve_item",
    "true_up",
]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)


def _value(value: Amount) -> Decimal:
    return parse_decimal(value, "value")


def _amount(value: Amount) -> Decimal:
    return parse_decimal(value, "amount")


def _codes(value: Iterable[str]) -> frozenset[str]:
    return frozenset(value)


def _check_range(effective_from: dt.date | None, effective_to: dt.date | None) -> None:
    if effective_from is not None and effective_to is not None and effective_to <= effective_from:
        raise ValidationError(
            "effective_to", effective_to.isoformat(), f"a date after {effective_from.isoformat()}"
        )


def _in_effect(effective_from: dt.date | None, effective_to: dt.date | None, at: dt.date) -> bool:
    return (effective_from is None or effective_from <= at) and (
        effective_to is None or at < effective_to
    )


@attrs.frozen(slots=True, kw_only=True)
class PriceOverride:
    """A negotiated price model for one item of one contract, effective-dated.

    Attributes:
        item: Item code it replaces the rate card's model for.
        model: The negotiated model (prices in the rate card's currency).
        effective_from: First day it applies.
        effective_to: First day it no longer applies, or ``None`` (open).
    """

    item: str
    model: PriceModel
    effective_from: dt.date
    effective_to: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        _check_range(self.effective_from, self.effective_to)

    def in_effect(self, at: dt.date) -> bool:
        """Whether the override applies on ``at``."""
        return _in_effect(self.effective_from, self.effective_to, at)


def resolve_item(
    ratecard: RateCard, item: str, at: dt.date, overrides: Iterable[PriceOverride] = ()
) -> Item:
    """The item as priced for a contract on ``at``: its override if one is in effect.

    When several overrides of the item are in effect, the one that started last wins.

    Raises:
        NotFound: The item is not on the rate card on ``at``.
    """
    base = ratecard.price_for(item, at)
    chosen: PriceOverride | None = None
    for override in overrides:
        if (
            override.item == item
            and override.in_effect(at)
            and (chosen is None or override.effective_from >= chosen.effective_from)
        ):
            chosen = override
    return base if chosen is None else attrs.evolve(base, model=chosen.model)


class DiscountKind(enum.Enum):
    """How a discount's value is read."""

    PERCENT = "percent"
    FIXED = "fixed"


@attrs.frozen(slots=True, kw_only=True)
class Discount:
    """A discount on one item's lines or on a whole document, optionally time-limited.

    Attributes:
        name: Shown on the explanation (``"launch promo"``).
        kind: Percent of the amount, or a fixed amount in the document's currency.
        value: Percent (``10`` is 10 %) or amount.
        item: Item code for a line discount; ``None`` for a document discount.
        effective_from: First day it applies, or ``None``.
        effective_to: First day it no longer applies, or ``None``.
    """

    name: str
    kind: DiscountKind
    value: Decimal = attrs.field(converter=_value)
    item: str | None = None
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.value < 0:
            raise ValidationError("value", str(self.value), "a discount >= 0")
        if self.kind is DiscountKind.PERCENT and self.value > _HUNDRED:
            raise ValidationError("value", str(self.value), "a percentage <= 100")
        _check_range(self.effective_from, self.effective_to)

    def in_effect(self, at: dt.date) -> bool:
        """Whether the discount applies on ``at``."""
        return _in_effect(self.effective_from, self.effective_to, at)


def _discount_steps(
    amount: Decimal, discounts: Iterable[Discount], at: dt.date, item: str | None
) -> tuple[Decimal, list[Step]]:
    """Apply matching discounts in order; each is capped so the amount stays >= 0."""
    steps: list[Step] = []
    for discount in discounts:
        if discount.item != item or not discount.in_effect(at):
            continue
        if amount <= 0:
            break
        if discount.kind is DiscountKind.PERCENT:
            factor = discount.value / _HUNDRED
            off = amount * factor
            step = Step(StepKind.DISCOUNT, amount, -factor, -off, note=discount.name)
        else:
            off = discount.value if discount.value < amount else amount
            step = Step(StepKind.DISCOUNT, _ONE, -off, -off, note=discount.name)
        steps.append(step)
        amount -= off
    return amount, steps


def apply_discounts(
    rated: Rated, *, item: str, at: dt.date, discounts: Sequence[Discount]
) -> Rated:
    """Apply the line discounts of ``item`` in effect on ``at`` to ``rated``.

    Discounts apply in the order given, each on what the previous ones left, and never
    take a line below zero (a fixed discount larger than the line is capped). Percent
    discounts are exact; round the line afterwards (rounding point 1 comes after line
    discounts). Credit lines (negative amounts) are not discounted.

    Example:
        >>> import datetime as dt
        >>> from o2c.pricing import PerUnit, rate
        >>> rated = rate(PerUnit(unit_price="10"), 3, currency="USD")
        >>> promo = Discount(name="promo", kind=DiscountKind.PERCENT, value=10, item="seat")
        >>> str(apply_discounts(rated, item="seat", at=dt.date(2026, 1, 1),
        ...                     discounts=[promo]).net())
        '27.00 USD'
    """
    total, steps = _discount_steps(rated.amount.amount, discounts, at, item)
    if not steps:
        return rated
    return attrs.evolve(
        rated, amount=Money(total, rated.amount.currency), steps=rated.steps + tuple(steps)
    )


def document_discount(
    net_total: Money, *, at: dt.date, discounts: Sequence[Discount]
) -> Rated | None:
    """The document-level discount line for a document whose lines sum to ``net_total``.

    Only discounts without an item apply. The result is a negative, exact amount that
    never exceeds ``net_total``; ``None`` when no discount applies.

    Example:
        >>> import datetime as dt
        >>> off = Discount(name="goodwill", kind=DiscountKind.FIXED, value="50")
        >>> line = document_discount(Money.of("30.00", "USD"), at=dt.date(2026, 1, 1),
        ...                          discounts=[off])
        >>> str(line.amount)
        '-30.00 USD'
    """
    left, steps = _discount_steps(net_total.amount, discounts, at, None)
    if not steps:
        return None
    amount = left - net_total.amount
    return Rated(Money(amount, net_total.currency), tuple(steps), _ONE, "document discount")


@attrs.frozen(slots=True, kw_only=True)
class Commitment:
    """A minimum spend per billing period on some items, with a true-up line.

    Attributes:
        name: Shown on the true-up line.
        amount: Committed net spend per period (in the contract's currency).
        items: Item codes that count towards it; empty means every item.
        effective_from: First day it applies.
        effective_to: First day it no longer applies, or ``None``.
    """

    name: str
    amount: Decimal = attrs.field(converter=_amount)
    items: frozenset[str] = attrs.field(default=frozenset(), converter=_codes)
    effective_from: dt.date | None = None
    effective_to: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        if self.amount < 0:
            raise ValidationError("amount", str(self.amount), "a commitment >= 0")
        _check_range(self.effective_from, self.effective_to)


def true_up(
    commitment: Commitment,
    *,
    period: Period,
    lines: Iterable[tuple[str, Money]],
    currency: str | Currency,
) -> Rated | None:
    """The true-up for ``period`` when committed items fell short of the commitment.

    A commitment applies to a period when it is in effect on the period's first day.
    ``lines`` are ``(item code, net amount)`` pairs of the period (after discounts);
    only committed items count.

    Returns:
        A positive amount for the shortfall, or ``None`` when the commitment was met or
        does not apply.

    Example:
        >>> from o2c.calendar import Period
        >>> deal = Commitment(name="annual deal", amount=1000, items={"api_calls"})
        >>> line = true_up(deal, period=Period.month(2026, 10), currency="USD",
        ...                lines=[("api_calls", Money.of(700, "USD")),
        ...                       ("support", Money.of(250, "USD"))])
        >>> str(line.amount)
        '300.00 USD'
    """
    cur = Currency.of(currency)
    if not _in_effect(commitment.effective_from, commitment.effective_to, period.start):
        return None
    used = _ZERO
    for code, net in lines:
        if not commitment.items or code in commitment.items:
            if net.currency != cur:
                raise ValidationError("lines", str(net), f"an amount in {cur.code}")
            used += net.amount
    shortfall = commitment.amount - used
    if shortfall <= 0:
        return None
    places = cur.minor_units
    note = (
        f"{commitment.name}: committed {_plain(commitment.amount, places)},"
        f" used {_plain(used, places)}"
    )
    step = Step(StepKind.TRUE_UP, _ONE, shortfall, shortfall, note=note)
    return Rated(Money(shortfall, cur), (step,), _ONE, "commitment true-up")
