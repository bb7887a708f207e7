"""The rating verb: a price model and a quantity become an explained, exact amount."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, Final

from o2c.errors import ValidationError
from o2c.money import Currency, parse_decimal
from o2c.pricing._models import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Package,
    Percentage,
    PerUnit,
    PriceModel,
    TimeAndMaterials,
    Volume,
)
from o2c.pricing._rated import Rated, Step, StepKind, trusted_money
from o2c.pricing._time import TimeEntry, time_steps

__all__ = ["rate"]

_ZERO: Final = Decimal(0)
_ONE: Final = Decimal(1)
_HUNDRED: Final = Decimal(100)

_Steps = list[Step]


def rate(
    model: PriceModel,
    quantity: Decimal | int | str,
    *,
    currency: str | Currency,
    transactions: Sequence[Decimal] | None = None,
    entries: Sequence[TimeEntry] | None = None,
) -> Rated:
    """Rate ``quantity`` under ``model``: the exact amount and the steps behind it.

    The amount is not rounded; round it at the line's rounding point with
    :meth:`Rated.net`. The steps' amounts add up to the amount exactly. Arithmetic is
    exact within the 28 significant digits of Python's default decimal context, which
    covers any real quantity × price (e.g. 10^12 units at a 10-digit unit price).

    Args:
        model: The price model.
        quantity: Units for the period (for percentage models: the transaction total;
            for time and materials: hours at the only role, unless ``entries`` are given).
        currency: Currency of the prices in ``model``.
        transactions: Transaction amounts for :class:`Percentage` and
            :class:`GraduatedPercentage`; without them ``quantity`` is taken as one
            transaction.
        entries: Time entries for :class:`TimeAndMaterials`.

    Returns:
        The rated amount with its explanation.

    Raises:
        ValidationError: A negative quantity where the model does not allow credits, a
            negative transaction, or time and materials without entries and several roles.

    Example:
        >>> from o2c.pricing import Package
        >>> rated = rate(Package(size=100, price="5.00", free_units=50), 251, currency="USD")
        >>> str(rated.amount), [s.kind.value for s in rated.steps]
        ('15.00 USD', ['free', 'packages'])
    """
    if type(quantity) is not Decimal:
        quantity = parse_decimal(quantity, "quantity")
    elif not quantity.is_finite():
        raise ValidationError("quantity", str(quantity), "a finite number")
    cur = currency if type(currency) is Currency else Currency.of(currency)
    kind = type(model)
    steps: _Steps = []
    simple = _SIMPLE.get(kind)
    if simple is not None:
        total = simple(model, quantity, steps)
    elif kind is Percentage or kind is GraduatedPercentage:
        if transactions is None:
            if quantity < 0:
                _reject_negative(quantity, model.name)
            transactions = (quantity,)
        else:
            transactions = [parse_decimal(t, "transactions") for t in transactions]
            quantity = sum(transactions, _ZERO)
        if kind is Percentage:
            total = _percentage(model, quantity, steps, transactions)  # type: ignore[arg-type]
        else:
            total = _graduated_percentage(model, quantity, steps, transactions)  # type: ignore[arg-type]
    elif kind is TimeAndMaterials:
        total = _time_and_materials(model, quantity, steps, entries)  # type: ignore[arg-type]
        if entries is not None:
            quantity = sum((s.quantity for s in steps), _ZERO)
    else:
        raise ValidationError("model", kind.__name__, "a price model")
    if total < 0:
        # A credit (allowed negative quantity) is not a period's charge: no min or max.
        return Rated(trusted_money(total, cur), tuple(steps), quantity, model.name)
    minimum = model.minimum
    if minimum is not None and total < minimum:
        steps.append(Step(StepKind.MINIMUM, _ONE, None, minimum - total))
        total = minimum
    maximum = model.maximum
    if maximum is not None and total > maximum:
        steps.append(Step(StepKind.MAXIMUM, _ONE, None, maximum - total))
        total = maximum
    return Rated(trusted_money(total, cur), tuple(steps), quantity, model.name)


def _reject_negative(quantity: Decimal, model: str) -> None:
    if quantity < 0:
        raise ValidationError(
            "quantity", str(quantity), f"a quantity >= 0 ({model} does not allow credits)"
        )


def _free(quantity: Decimal, free_units: Decimal, steps: _Steps) -> Decimal:
    """Take the free units off ``quantity``; record a step if any were used."""
    if not free_units:
        return quantity
    used = quantity if quantity < free_units else free_units
    steps.append(Step(StepKind.FREE, used, _ZERO, _ZERO))
    return quantity - used


def _flat(model: Flat, quantity: Decimal, steps: _Steps) -> Decimal:
    if quantity < 0 and not model.allow_credits:
        _reject_negative(quantity, "flat")
    amount = quantity * model.price
    steps.append(Step(StepKind.FLAT, quantity, model.price, amount))
    return amount


def _per_unit(model: PerUnit, quantity: Decimal, steps: _Steps) -> Decimal:
    if quantity < 0:
        if not model.allow_credits:
            _reject_negative(quantity, "per_unit")
        amount = quantity * model.unit_price
        steps.append(Step(StepKind.UNITS, quantity, model.unit_price, amount))
        return amount
    billable = _free(quantity, model.free_units, steps) if model.free_units else quantity
    amount = billable * model.unit_price
    steps.append(Step(StepKind.UNITS, billable, model.unit_price, amount))
    return amount


def _graduated(model: Graduated, quantity: Decimal, steps: _Steps) -> Decimal:
    if quantity < 0:
        _reject_negative(quantity, "graduated")
    billable = _free(quantity, model.free_units, steps) if model.free_units else quantity
    total = _ZERO
    lower = _ZERO
    for tier_no, tier in enumerate(model.tiers, 1):
        if tier_no > 1 and billable <= lower:
            break
        if tier.flat_fee:
            steps.append(Step(StepKind.FLAT_FEE, _ONE, tier.flat_fee, tier.flat_fee, tier_no))
            total += tier.flat_fee
        up_to = tier.up_to
        top = billable if up_to is None or billable <= up_to else up_to
        units = top - lower
        amount = units * tier.unit_price
        steps.append(Step(StepKind.UNITS, units, tier.unit_price, amount, tier_no))
        total += amount
        if up_to is None or billable <= up_to:
            break
        lower = up_to
    return total


def _volume(model: Volume, quantity: Decimal, steps: _Steps) -> Decimal:
    if quantity < 0:
        _reject_negative(quantity, "volume")
    billable = _free(quantity, model.free_units, steps) if model.free_units else quantity
    tier_no = 1
    tier = model.tiers[0]
    while tier.up_to is not None and billable > tier.up_to:
        tier = model.tiers[tier_no]
        tier_no += 1
    total = _ZERO
    if tier.flat_fee:
        steps.append(Step(StepKind.FLAT_FEE, _ONE, tier.flat_fee, tier.flat_fee, tier_no))
        total = tier.flat_fee
    amount = billable * tier.unit_price
    steps.append(Step(StepKind.UNITS, billable, tier.unit_price, amount, tier_no))
    return total + amount


def _package(model: Package, quantity: Decimal, steps: _Steps) -> Decimal:
    if quantity < 0:
        _reject_negative(quantity, "package")
    billable = _free(quantity, model.free_units, steps) if model.free_units else quantity
    # divmod is exact on the integral part, so the ceiling never suffers from rounding.
    packages, rest = divmod(billable, model.size)
    if rest:
        packages += 1
    amount = packages * model.price
    steps.append(Step(StepKind.PACKAGES, packages, model.price, amount))
    return amount


def percentage_running(model: Percentage, transactions: Sequence[Decimal]) -> list[Decimal]:
    """The exact amount of ``transactions`` under ``model`` after each one, in one pass
    (free allowance, per-transaction fee, minimum and maximum applied; the period
    minimum and maximum not): what charges per event read for the percentage model."""
    running: list[Decimal] = []
    _percentage(model, _ZERO, [], transactions, running)
    return running


def _percentage(
    model: Percentage,
    quantity: Decimal,
    steps: _Steps,
    transactions: Sequence[Decimal],
    running: list[Decimal] | None = None,
) -> Decimal:
    factor = model.percent / _HUNDRED
    fee = model.fixed_fee
    low = model.transaction_minimum
    high = model.transaction_maximum
    free_count = model.free_transactions
    free_amount = model.free_amount
    free_open = bool(free_count or free_amount)
    used_count = 0
    used_amount = _ZERO
    free_n = 0
    free_total = _ZERO
    base = _ZERO
    charged = 0
    raised = 0
    raised_by = _ZERO
    capped = 0
    capped_by = _ZERO
    so_far = _ZERO
    for index, amount in enumerate(transactions):
        if amount < 0:
            raise ValidationError(f"transactions[{index}]", str(amount), "an amount >= 0")
        chargeable = amount
        if free_open:
            count_used_up = free_count and used_count >= free_count
            if count_used_up or (free_amount and used_amount >= free_amount):
                free_open = False
            else:
                used_count += 1
                if free_amount and used_amount + amount > free_amount:
                    chargeable = used_amount + amount - free_amount
                    free_open = False
                else:
                    chargeable = _ZERO
                used_amount += amount - chargeable
                free_total += amount - chargeable
                if not chargeable:
                    free_n += 1
                    if running is not None:
                        running.append(so_far)
                    continue
        charged += 1
        base += chargeable
        charge = chargeable * factor + fee
        if low is not None and charge < low:
            raised += 1
            raised_by += low - charge
            charge = low
        elif high is not None and charge > high:
            capped += 1
            capped_by += high - charge
            charge = high
        if running is not None:
            so_far += charge
            running.append(so_far)
    if free_total or free_n:
        steps.append(Step(StepKind.FREE, free_total, _ZERO, _ZERO, note=f"{free_n} transactions"))
    percent_amount = base * factor
    steps.append(Step(StepKind.PERCENT, base, factor, percent_amount))
    total = percent_amount
    if fee:
        fees = charged * fee
        steps.append(Step(StepKind.TRANSACTION_FEE, Decimal(charged), fee, fees))
        total += fees
    if raised:
        steps.append(Step(StepKind.TRANSACTION_MINIMUM, Decimal(raised), None, raised_by))
        total += raised_by
    if capped:
        steps.append(Step(StepKind.TRANSACTION_MAXIMUM, Decimal(capped), None, capped_by))
        total += capped_by
    return total


def _graduated_percentage(
    model: GraduatedPercentage, quantity: Decimal, steps: _Steps, transactions: Sequence[Decimal]
) -> Decimal:
    for index, amount in enumerate(transactions):
        if amount < 0:
            raise ValidationError(f"transactions[{index}]", str(amount), "an amount >= 0")
    total = _ZERO
    lower = _ZERO
    for tier_no, tier in enumerate(model.tiers, 1):
        if tier_no > 1 and quantity <= lower:
            break
        if tier.flat_fee:
            steps.append(Step(StepKind.FLAT_FEE, _ONE, tier.flat_fee, tier.flat_fee, tier_no))
            total += tier.flat_fee
        up_to = tier.up_to
        top = quantity if up_to is None or quantity <= up_to else up_to
        part = top - lower
        factor = tier.percent / _HUNDRED
        amount = part * factor
        steps.append(Step(StepKind.PERCENT, part, factor, amount, tier_no))
        total += amount
        if up_to is None or quantity <= up_to:
            break
        lower = up_to
    return total


def _time_and_materials(
    model: TimeAndMaterials,
    quantity: Decimal,
    steps: _Steps,
    entries: Sequence[TimeEntry] | None,
) -> Decimal:
    if entries is None:
        if len(model.rates) != 1:
            roles = ", ".join(r.role for r in model.rates)
            raise ValidationError(
                "entries", None, f"time entries: the hourly rate depends on the role ({roles})"
            )
        if quantity < 0:
            _reject_negative(quantity, "time_and_materials")
        role = model.rates[0]
        amount = quantity * role.rate
        steps.append(Step(StepKind.HOURS, quantity, role.rate, amount, note=role.role))
        return amount
    return time_steps(model, entries, steps)


_SIMPLE: Final[dict[type, Callable[[Any, Decimal, _Steps], Decimal]]] = {
    Flat: _flat,
    PerUnit: _per_unit,
    Graduated: _graduated,
    Volume: _volume,
    Package: _package,
}
