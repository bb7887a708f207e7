"""Rated amounts and their explanations."""

from __future__ import annotations

import enum
from decimal import Decimal

import attrs

from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = ["Rated", "Step", "StepKind", "explain"]


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


@attrs.frozen(slots=True)
class Step:
    """One step of an explanation: ``quantity × unit_price = amount`` where that holds.

    For adjustment steps (minimum, maximum, transaction min/max) ``unit_price`` is
    ``None`` and ``quantity`` counts what was adjusted.

    Attributes:
        kind: What the step is.
        quantity: Units, hours, packages, transactions or base amount.
        unit_price: Price per unit (a fraction for percentages), or ``None``.
        amount: Exact, unrounded amount of the step.
        tier: 1-based tier number, or ``None``.
        note: Free text (a role, a date, a discount name).
    """

    kind: StepKind
    quantity: Decimal
    unit_price: Decimal | None
    amount: Decimal
    tier: int | None = None
    note: str = ""

    def describe(self) -> str:
        """One line of text for people, e.g. ``tier 2: 150 units × 0.08 = 12.00``."""
        label = self.kind.value
        if self.tier is not None:
            label = f"tier {self.tier} {label}"
        if self.note:
            label = f"{label} ({self.note})"
        amount = _plain(self.amount)
        if self.unit_price is None:
            return f"{label}: {_plain(self.quantity)} → {amount}"
        if self.kind is StepKind.PERCENT:
            percent = _plain(self.unit_price * 100)
            return f"{label}: {_plain(self.quantity)} × {percent} % = {amount}"
        return f"{label}: {_plain(self.quantity)} × {_plain(self.unit_price)} = {amount}"


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
        return self.amount.round(rounding)

    def __str__(self) -> str:
        return explain(self)


def _plain(value: Decimal) -> str:
    """A decimal without exponent and without trailing zeros beyond the integer."""
    text = f"{value:f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text or "0"


def explain(rated: Rated, rounding: Rounding = DEFAULT_ROUNDING) -> str:
    """Render the explanation of ``rated`` as text.

    Example:
        >>> from o2c.pricing import Graduated, Tier, rate
        >>> model = Graduated(tiers=[Tier(100, "0.10", flat_fee="5"), Tier(None, "0.08")])
        >>> print(explain(rate(model, 150, currency="USD")))
        graduated, quantity 150
          tier 1 flat fee: 1 × 5 = 5
          tier 1 units: 100 × 0.1 = 10
          tier 2 units: 50 × 0.08 = 4
          total: 19.00 USD (exact 19)
    """
    lines = [f"{rated.model}, quantity {_plain(rated.quantity)}"]
    lines.extend(f"  {step.describe()}" for step in rated.steps)
    lines.append(f"  total: {rated.net(rounding)} (exact {_plain(rated.amount.amount)})")
    return "\n".join(lines)
