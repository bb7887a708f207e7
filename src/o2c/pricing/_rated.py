"""Rated amounts and their explanations."""

from __future__ import annotations

import enum
from decimal import Decimal
from typing import Final, NamedTuple

import attrs

from o2c.money import DEFAULT_ROUNDING, Currency, Money, Rounding

__all__ = ["Rated", "Step", "StepKind", "explain", "trusted_money"]


_new: Final = object.__new__
_set: Final = object.__setattr__
# Enum ``.value`` goes through a descriptor; a dict lookup is cheaper on the hot path.
_MODES: Final = {mode: mode.value for mode in Rounding}


def trusted_money(amount: Decimal, currency: Currency) -> Money:
    """Build a :class:`Money` from a finite Decimal and a Currency without validation.

    The rating hot path computes amounts only from validated Decimals, so re-checking
    each one would cost about a third of the time of a line (measured with cProfile).
    Only for values that are already known to be a finite ``Decimal`` and a ``Currency``.
    """
    money = _new(Money)
    _set(money, "amount", amount)
    _set(money, "currency", currency)
    return money


class StepKind(enum.Enum):
    """What one explanation step is."""

    FLAT = "flat"
    UNITS = "units"
    FLAT_FEE = "flat fee"
    FREE = "free"
    PACKAGES = "packages"
    PERCENT = "percent"
    TRANSACTION_FEE = "transaction fee"
    TRANSACTION_MINIMUM = "transaction minimum"
    TRANSACTION_MAXIMUM = "transaction maximum"
    HOURS = "hours"
    OVERTIME = "overtime"
    MINIMUM = "minimum charge"
    MAXIMUM = "maximum charge"
    DISCOUNT = "discount"
    PRORATION = "proration"
    TRUE_UP = "true-up"


class Step(NamedTuple):
    """One step of an explanation: ``quantity × unit_price = amount`` where that holds.

    For adjustment steps (minimum, maximum, transaction min/max) ``unit_price`` is
    ``None`` and ``quantity`` counts what was adjusted.

    A step is an immutable named tuple rather than an attrs class: a rated line builds
    one to four of them, and on the rating hot path (``benchmarks/pricing.py``) a tuple
    is built in well under half the time. Change one with ``step._replace(...)``.

    Its fields:

    - ``kind``: what the step is (:class:`StepKind`);
    - ``quantity``: units, hours, packages, transactions or base amount;
    - ``unit_price``: price per unit (a fraction for percentages), or ``None``;
    - ``amount``: exact, unrounded amount of the step;
    - ``tier``: 1-based tier number, or ``None``;
    - ``note``: free text (a role, a date, a discount name).
    """

    kind: StepKind
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    tier: int | None = None
    note: str = ""

    def describe(self, currency: Currency | None = None) -> str:
        """One line of text for people, e.g. ``tier 2 units: 150 × 0.08 = 12.00``.

        Args:
            currency: Show amounts and prices with at least its minor-unit digits.
        """
        label = self.kind.value
        if self.tier is not None:
            label = f"tier {self.tier} {label}"
        if self.note:
            label = f"{label} ({self.note})"
        places = currency.minor_units if currency is not None else 0
        amount = _plain(self.amount, places)
        quantity = _plain(self.quantity)
        if self.unit_price is None:
            return f"{label}: {quantity} adjusted by {amount}"
        if self.kind is StepKind.PERCENT or (
            # A percentage discount: base × -fraction (a fixed one is 1 × -amount).
            self.kind is StepKind.DISCOUNT
            and not (self.quantity == 1 and self.unit_price == self.amount)
        ):
            return f"{label}: {quantity} × {_plain(self.unit_price * 100)} % = {amount}"
        return f"{label}: {quantity} × {_plain(self.unit_price, places)} = {amount}"


@attrs.frozen(slots=True)
class Rated:
    """An exact (unrounded) amount and the steps that add up to it.

    Attributes:
        amount: Exact amount; round it with :meth:`net` at the line's rounding point.
        steps: The explanation; step amounts sum exactly to ``amount``.
        quantity: The quantity that was rated.
        model: Name of the price model (``"graduated"``...).
    """

    amount: Money
    steps: tuple[Step, ...]
    quantity: Decimal
    model: str

    def net(self, rounding: Rounding = DEFAULT_ROUNDING) -> Money:
        """The amount rounded to the currency's minor unit (rounding point 1)."""
        amount = self.amount
        currency = amount.currency
        money = _new(Money)
        _set(money, "amount", amount.amount.quantize(currency.exponent, _MODES[rounding]))
        _set(money, "currency", currency)
        return money

    def __str__(self) -> str:
        return explain(self)


def _plain(value: Decimal, places: int = 0) -> str:
    """A decimal without exponent, trailing zeros trimmed down to ``places`` decimals."""
    text = f"{value:f}"
    if "." in text:
        whole, fraction = text.split(".")
        fraction = fraction.rstrip("0")
        if len(fraction) < places:
            fraction = fraction.ljust(places, "0")
        text = f"{whole}.{fraction}" if fraction else whole
    elif places:
        text = f"{text}.{'0' * places}"
    return text


def explain(rated: Rated, rounding: Rounding = DEFAULT_ROUNDING) -> str:
    """Render the explanation of ``rated`` as text.

    Example:
        >>> from o2c.pricing import Graduated, Tier, rate
        >>> model = Graduated(tiers=[Tier(100, "0.10", flat_fee="5"), Tier(None, "0.08")])
        >>> print(explain(rate(model, 150, currency="USD")))
        graduated, quantity 150
          tier 1 flat fee: 1 × 5.00 = 5.00
          tier 1 units: 100 × 0.10 = 10.00
          tier 2 units: 50 × 0.08 = 4.00
          total: 19.00 USD
    """
    lines = [f"{rated.model}, quantity {_plain(rated.quantity)}"]
    currency = rated.amount.currency
    lines.extend(f"  {step.describe(currency)}" for step in rated.steps)
    net = rated.net(rounding)
    total = f"  total: {net}"
    if net.amount != rated.amount.amount:
        total += f" (exact {_plain(rated.amount.amount)}, rounded {rounding.name.lower()})"
    lines.append(total)
    return "\n".join(lines)
