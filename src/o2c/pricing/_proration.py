"""Proration of recurring charges: mid-period start, end, upgrade and downgrade.

There is one rule (DESIGN.md, lesson 4), the one :mod:`o2c.calendar` implements: a piece
of a billing period costs the period's price × days(piece) / days(whole period), rounded
to the minor unit once per piece.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from fractions import Fraction
from typing import Final

import attrs

from o2c.calendar import BillingCycle, Period, prorate, proration_factor
from o2c.errors import ValidationError
from o2c.money import DEFAULT_ROUNDING, Money, Rounding
from o2c.pricing._rated import Rated, Step, StepKind

__all__ = [
    "ProratedCharge",
    "prorate_change",
    "prorate_rated",
    "prorate_span",
    "prorated_amount",
]

_ONE: Final = Decimal(1)


@attrs.frozen(slots=True)
class ProratedCharge:
    """A recurring charge (or credit) for a piece of one billing period.

    Attributes:
        piece: The days charged.
        whole: The billing period the piece belongs to (the denominator).
        factor: days(piece) / days(whole), exact.
        full: Price of the whole period (negative for a credit).
        rated: The rounded amount with its explanation.
    """

    piece: Period
    whole: Period
    factor: Fraction
    full: Money
    rated: Rated

    @property
    def amount(self) -> Money:
        """The rounded amount."""
        return self.rated.amount


def _charge(
    full: Money, piece: Period, whole: Period, rounding: Rounding, what: str
) -> ProratedCharge:
    factor = proration_factor(piece, whole)
    amount = prorate(full, piece, whole, rounding)
    note = f"{what} {piece}: {piece.days}/{whole.days} days of {whole} at {full}"
    step = Step(StepKind.PRORATION, Decimal(piece.days), None, amount.amount, note=note)
    return ProratedCharge(
        piece, whole, factor, full, Rated(amount, (step,), Decimal(piece.days), "proration")
    )


def prorate_span(
    price: Money,
    span: Period,
    cycle: BillingCycle,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> tuple[ProratedCharge, ...]:
    """Charge a recurring ``price`` per period for the days of ``span``.

    ``span`` is cut at the cycle's period boundaries; whole periods cost ``price`` and
    stubs (a mid-period start or end) are prorated by days of their own period.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BillingCycle, Cycle, Period
        >>> cycle = BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 1))
        >>> parts = prorate_span(Money.of("31.00", "USD"),
        ...                      Period(dt.date(2026, 10, 17), dt.date(2026, 12, 1)), cycle)
        >>> [str(p.amount) for p in parts]
        ['15.00 USD', '31.00 USD']
    """
    return tuple(
        _charge(price, piece, whole, rounding, "charge") for piece, whole in cycle.pieces(span)
    )


def prorate_change(
    old_price: Money,
    new_price: Money,
    change_date: dt.date,
    period: Period,
    rounding: Rounding = DEFAULT_ROUNDING,
) -> tuple[ProratedCharge, ProratedCharge]:
    """Upgrade or downgrade on ``change_date`` inside a period billed at ``old_price``.

    Returns a credit for the unused days of the old plan (negative) and a charge for the
    same days of the new plan. Both are rounded separately, so the customer sees both
    lines and each matches a stand-alone proration.

    Raises:
        ValidationError: ``change_date`` is not inside ``period``.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import Period
        >>> credit, charge = prorate_change(Money.of(30, "USD"), Money.of(60, "USD"),
        ...                                 dt.date(2026, 11, 21), Period.month(2026, 11))
        >>> str(credit.amount), str(charge.amount)
        ('-10.00 USD', '20.00 USD')
    """
    if change_date not in period:
        raise ValidationError("change_date", change_date.isoformat(), f"a day inside {period}")
    rest = Period(change_date, period.end)
    credit = _charge(-old_price, rest, period, rounding, "credit for unused")
    charge = _charge(new_price, rest, period, rounding, "charge for new plan")
    return credit, charge


def _scaled(step: Step) -> bool:
    """Whether ``step`` is scaled by the proration factor.

    A tier's flat fee is charged once usage enters the tier (DESIGN.md), a fee per
    period rather than per unit, so it is added unprorated; every other step (units,
    packages, the flat price of the period, minimum and maximum charges) is scaled.
    """
    return step.kind is not StepKind.FLAT_FEE


def prorated_amount(rated: Rated, numerator: int, denominator: int) -> Decimal:
    """The exact amount of ``rated`` prorated by ``numerator / denominator`` days.

    The rule for prorated recurring usage (DESIGN.md, the pricing guide): the tier is
    chosen on the **full** quantity (``rated`` was rated on it), its prices apply to the
    prorated part, and the flat fees of the tiers reached are added unprorated. Exact up
    to 28 significant digits; the caller rounds at the line's rounding point.

    Example:
        >>> from o2c.pricing import Tier, Volume, rate
        >>> model = Volume(tiers=[Tier(100, "2.00", flat_fee="10"), Tier(200, "1.00"),
        ...                       Tier(None, "0.50", flat_fee="50")])
        >>> prorated_amount(rate(model, 300, currency="USD"), 662, 1000)  # 198.6 of 300
        Decimal('149.30')
    """
    if numerator == denominator:
        return rated.amount.amount
    fees = sum((s.amount for s in rated.steps if not _scaled(s)), Decimal(0))
    return fees + (rated.amount.amount - fees) * numerator / denominator


def prorate_rated(rated: Rated, piece: Period, whole: Period) -> Rated:
    """Scale a charge rated on the whole period's quantity to the days of ``piece``.

    This is the rule for prorated recurring usage (DESIGN.md): the tier is chosen on the
    **full** quantity, the resulting prices apply to the prorated part, and the flat fee
    of a tier reached is added unprorated (it is charged once usage enters the tier, not
    per day). Each other step is scaled by days(piece) / days(whole) and the amount is the
    sum of the steps, so the explanation still adds up. The same holds for every model:
    graduated tiers scale their units and keep their flat fees; a package count is taken
    on the full quantity and the packages' price scaled. The result is exact up to 28
    significant digits; round it with :meth:`Rated.net`.

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import Period
        >>> from o2c.pricing import Tier, Volume, rate
        >>> seats = Volume(tiers=[Tier(10, "20"), Tier(None, "15")])
        >>> full = rate(seats, 30, currency="USD")   # 30 seats reach the 15.00 tier
        >>> october = Period.month(2026, 10)
        >>> str(prorate_rated(full, Period(dt.date(2026, 10, 22), october.end), october).net())
        '145.16 USD'
    """
    factor = proration_factor(piece, whole)
    if factor == 1:
        return rated
    numerator, denominator = factor.numerator, factor.denominator
    note = f"{piece.days}/{whole.days} days of {whole}"
    kept = f"not prorated, charged once per period ({note})"
    steps = tuple(
        step._replace(
            amount=step.amount * numerator / denominator,
            note=f"{step.note}, {note}" if step.note else note,
        )
        if _scaled(step)
        else step._replace(note=f"{step.note}, {kept}" if step.note else kept)
        for step in rated.steps
    )
    total = sum((step.amount for step in steps), Decimal(0))
    return Rated(Money(total, rated.amount.currency), steps, rated.quantity, rated.model)
