"""Price models: frozen values that say how a quantity becomes an amount.

Models hold plain :class:`~decimal.Decimal` prices without a currency; the rate card (or
the caller of :func:`o2c.pricing.rate`) supplies the currency. Every model is validated
when it is built, so an invalid model cannot exist.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import ClassVar, TypeAlias

import attrs

from o2c.errors import ValidationError
from o2c.money import Amount, parse_decimal

__all__ = [
    "Flat",
    "Graduated",
    "GraduatedPercentage",
    "Overtime",
    "Package",
    "PerUnit",
    "Percentage",
    "PercentageTier",
    "PriceModel",
    "RoleRate",
    "Tier",
    "TimeAndMaterials",
    "Volume",
]

_ZERO = Decimal(0)


# -- converters (named, so that mypy's attrs plugin types the constructors) ---------------


def _price(value: Amount) -> Decimal:
    return parse_decimal(value, "price")


def _unit_price(value: Amount) -> Decimal:
    return parse_decimal(value, "unit_price")


def _flat_fee(value: Amount) -> Decimal:
    return parse_decimal(value, "flat_fee")


def _percent(value: Amount) -> Decimal:
    return parse_decimal(value, "percent")


def _fixed_fee(value: Amount) -> Decimal:
    return parse_decimal(value, "fixed_fee")


def _free_units(value: Amount) -> Decimal:
    return parse_decimal(value, "free_units")


def _free_amount(value: Amount) -> Decimal:
    return parse_decimal(value, "free_amount")


def _size(value: Amount) -> Decimal:
    return parse_decimal(value, "size")


def _hours(value: Amount) -> Decimal:
    return parse_decimal(value, "hours")


def _multiplier(value: Amount) -> Decimal:
    return parse_decimal(value, "multiplier")


def _rate(value: Amount) -> Decimal:
    return parse_decimal(value, "rate")


def _up_to(value: Amount | None) -> Decimal | None:
    return None if value is None else parse_decimal(value, "up_to")


def _optional_amount(value: Amount | None) -> Decimal | None:
    return None if value is None else parse_decimal(value, "amount")


def _optional_hours(value: Amount | None) -> Decimal | None:
    return None if value is None else parse_decimal(value, "hours")


# -- validators ---------------------------------------------------------------------------


def _non_negative(_instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if value < 0:
        raise ValidationError(attribute.name, str(value), "a number >= 0")


def _optional_non_negative(
    _instance: object, attribute: attrs.Attribute[Decimal | None], value: Decimal | None
) -> None:
    if value is not None and value < 0:
        raise ValidationError(attribute.name, str(value), "a number >= 0")


def _positive(_instance: object, attribute: attrs.Attribute[Decimal], value: Decimal) -> None:
    if value <= 0:
        raise ValidationError(attribute.name, str(value), "a number > 0")


def _check_min_max(minimum: Decimal | None, maximum: Decimal | None) -> None:
    if minimum is not None and maximum is not None and maximum < minimum:
        raise ValidationError("maximum", str(maximum), f"a maximum >= the minimum {minimum}")


def _check_bounds(tiers: Sequence[Tier | PercentageTier]) -> None:
    """Tiers must be non-empty, strictly increasing, and open-ended only at the end."""
    if not tiers:
        raise ValidationError("tiers", "[]", "at least one tier")
    previous = _ZERO
    last = len(tiers) - 1
    for index, tier in enumerate(tiers):
        if tier.up_to is None:
            if index != last:
                raise ValidationError(
                    f"tiers[{index}].up_to",
                    None,
                    "a number: only the last tier is open-ended",
                )
            continue
        if index == last:
            raise ValidationError(
                f"tiers[{index}].up_to",
                str(tier.up_to),
                'an open-ended last tier (up_to = "inf")',
            )
        if tier.up_to <= previous:
            raise ValidationError(
                f"tiers[{index}].up_to",
                str(tier.up_to),
                f"a bound above the previous tier's {previous} (tiers in increasing order)",
            )
        previous = tier.up_to


# -- tiers --------------------------------------------------------------------------------


@attrs.frozen(slots=True)
class Tier:
    """One tier of a graduated or volume model.

    Bounds are inclusive: a tier with ``up_to=100`` holds the 100th unit. The tier above
    starts right after the previous tier's bound, so fractional quantities split exactly.

    Attributes:
        up_to: Upper bound (inclusive), or ``None`` for the open-ended last tier.
        unit_price: Price of each unit in the tier.
        flat_fee: Charged once when usage enters the tier (the first tier's fee is
            charged even at zero usage: it is the base fee).
    """

    up_to: Decimal | None = attrs.field(converter=_up_to, validator=_optional_non_negative)
    unit_price: Decimal = attrs.field(default=_ZERO, converter=_unit_price, validator=_non_negative)
    flat_fee: Decimal = attrs.field(default=_ZERO, converter=_flat_fee, validator=_non_negative)


@attrs.frozen(slots=True)
class PercentageTier:
    """One tier of a :class:`GraduatedPercentage` model.

    Attributes:
        up_to: Upper bound of the running transaction total (inclusive), or ``None``
            for the open-ended last tier.
        percent: Percentage of the amount inside the tier (``2.9`` is 2.9 %).
        flat_fee: Charged once when the running total first enters the tier.
    """

    up_to: Decimal | None = attrs.field(converter=_up_to, validator=_optional_non_negative)
    percent: Decimal = attrs.field(default=_ZERO, converter=_percent, validator=_non_negative)
    flat_fee: Decimal = attrs.field(default=_ZERO, converter=_flat_fee, validator=_non_negative)


def _tiers(value: Iterable[Tier]) -> tuple[Tier, ...]:
    return tuple(value)


def _percentage_tiers(value: Iterable[PercentageTier]) -> tuple[PercentageTier, ...]:
    return tuple(value)


# -- models -------------------------------------------------------------------------------


@attrs.frozen(slots=True, kw_only=True)
class Flat:
    """A fixed price per period, times the quantity subscribed (normally 1).

    Attributes:
        price: Price for one period.
        allow_credits: Accept a negative quantity (a credit).
    """

    price: Decimal = attrs.field(converter=_price, validator=_non_negative)
    allow_credits: bool = False

    name = "flat"
    #: A flat price has no minimum or maximum charge (class constants, not fields).
    minimum: ClassVar[None] = None
    maximum: ClassVar[None] = None


@attrs.frozen(slots=True, kw_only=True)
class PerUnit:
    """Every unit at one price.

    Attributes:
        unit_price: Price of one unit.
        free_units: Units given free before any is charged.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
        allow_credits: Accept a negative quantity (a credit).
    """

    unit_price: Decimal = attrs.field(converter=_unit_price, validator=_non_negative)
    free_units: Decimal = attrs.field(default=_ZERO, converter=_free_units, validator=_non_negative)
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    allow_credits: bool = False

    name = "per_unit"

    def __attrs_post_init__(self) -> None:
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True, kw_only=True)
class Graduated:
    """Graduated tiers: each tier prices its own units, plus its flat fee once entered.

    Attributes:
        tiers: Tiers in increasing order; the last one is open-ended.
        free_units: Units given free before the tiers count.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    tiers: tuple[Tier, ...] = attrs.field(converter=_tiers)
    free_units: Decimal = attrs.field(default=_ZERO, converter=_free_units, validator=_non_negative)
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "graduated"

    def __attrs_post_init__(self) -> None:
        _check_bounds(self.tiers)
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True, kw_only=True)
class Volume:
    """Volume tiers: all units at the price of the tier the total reaches, plus its fee.

    Attributes:
        tiers: Tiers in increasing order; the last one is open-ended.
        free_units: Units given free before the tier is chosen.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    tiers: tuple[Tier, ...] = attrs.field(converter=_tiers)
    free_units: Decimal = attrs.field(default=_ZERO, converter=_free_units, validator=_non_negative)
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "volume"

    def __attrs_post_init__(self) -> None:
        _check_bounds(self.tiers)
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True, kw_only=True)
class Package:
    """A price per started block of ``size`` units, after the free units.

    Attributes:
        size: Units in one package.
        price: Price of one package.
        free_units: Units given free before packages are counted.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    size: Decimal = attrs.field(converter=_size, validator=_positive)
    price: Decimal = attrs.field(converter=_price, validator=_non_negative)
    free_units: Decimal = attrs.field(default=_ZERO, converter=_free_units, validator=_non_negative)
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "package"

    def __attrs_post_init__(self) -> None:
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True, kw_only=True)
class Percentage:
    """A percentage of each transaction amount, with per-transaction fee, min and max.

    Each charged transaction costs ``amount × percent / 100 + fixed_fee``, raised to
    ``transaction_minimum`` and capped at ``transaction_maximum``. Transactions are free
    while the free allowance lasts: the first ``free_transactions`` transactions and the
    first ``free_amount`` of transaction amount, whichever runs out first (a transaction
    that crosses the free amount pays on the part above it).

    Attributes:
        percent: The rate in percent (``2.9`` is 2.9 %).
        fixed_fee: Added to each charged transaction.
        transaction_minimum: Lowest charge for one transaction.
        transaction_maximum: Highest charge for one transaction.
        free_transactions: Number of free transactions per period (0: none).
        free_amount: Free transaction amount per period (0: none).
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    percent: Decimal = attrs.field(converter=_percent, validator=_non_negative)
    fixed_fee: Decimal = attrs.field(default=_ZERO, converter=_fixed_fee, validator=_non_negative)
    transaction_minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    transaction_maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    free_transactions: int = attrs.field(default=0)
    free_amount: Decimal = attrs.field(
        default=_ZERO, converter=_free_amount, validator=_non_negative
    )
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "percentage"

    def __attrs_post_init__(self) -> None:
        if (
            not isinstance(self.free_transactions, int)
            or isinstance(self.free_transactions, bool)
            or self.free_transactions < 0
        ):
            raise ValidationError(
                "free_transactions", self.free_transactions, "a whole number >= 0"
            )
        _check_min_max(self.transaction_minimum, self.transaction_maximum)
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True, kw_only=True)
class GraduatedPercentage:
    """Percentage tiers over the running transaction total.

    Each tier charges its percentage on the part of the total inside it, and its flat fee
    once when the total first enters it (the first tier's fee even at zero).

    Attributes:
        tiers: Tiers in increasing order; the last one is open-ended.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    tiers: tuple[PercentageTier, ...] = attrs.field(converter=_percentage_tiers)
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "graduated_percentage"

    def __attrs_post_init__(self) -> None:
        _check_bounds(self.tiers)
        _check_min_max(self.minimum, self.maximum)


@attrs.frozen(slots=True)
class RoleRate:
    """The hourly rate of one role (from the contract).

    Attributes:
        role: Role name, e.g. ``"senior"``.
        rate: Price of one hour.
    """

    role: str
    rate: Decimal = attrs.field(converter=_rate, validator=_non_negative)


@attrs.frozen(slots=True, kw_only=True)
class Overtime:
    """Overtime: hours above a daily or weekly threshold cost ``multiplier`` × the rate.

    Daily overtime is counted first (per person and date); weekly overtime (per person
    and ISO week) counts only the regular hours left after daily overtime.

    Attributes:
        multiplier: Factor on the role rate, e.g. ``1.5``.
        daily_hours: Regular hours per person and day, or ``None``.
        weekly_hours: Regular hours per person and ISO week, or ``None``.
    """

    multiplier: Decimal = attrs.field(converter=_multiplier, validator=_positive)
    daily_hours: Decimal | None = attrs.field(
        default=None, converter=_optional_hours, validator=_optional_non_negative
    )
    weekly_hours: Decimal | None = attrs.field(
        default=None, converter=_optional_hours, validator=_optional_non_negative
    )


def _role_rates(value: Iterable[RoleRate]) -> tuple[RoleRate, ...]:
    return tuple(value)


@attrs.frozen(slots=True, kw_only=True)
class TimeAndMaterials:
    """Time billed at role rates.

    Only approved, billable entries are billed. Each entry is rounded up to
    ``increment`` hours, then raised to ``minimum_hours`` (an entry of zero hours bills
    nothing); then overtime is split off.

    Attributes:
        rates: Hourly rate per role.
        increment: Billing increment in hours (``0.25`` is 15 minutes; 0: none).
        minimum_hours: Minimum billable hours per entry (0: none).
        overtime: Overtime rule, or ``None``.
        minimum: Minimum charge per period.
        maximum: Maximum charge per period.
    """

    rates: tuple[RoleRate, ...] = attrs.field(converter=_role_rates)
    increment: Decimal = attrs.field(default=_ZERO, converter=_hours, validator=_non_negative)
    minimum_hours: Decimal = attrs.field(default=_ZERO, converter=_hours, validator=_non_negative)
    overtime: Overtime | None = None
    minimum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )
    maximum: Decimal | None = attrs.field(
        default=None, converter=_optional_amount, validator=_optional_non_negative
    )

    name = "time_and_materials"

    def __attrs_post_init__(self) -> None:
        if not self.rates:
            raise ValidationError("rates", "[]", "at least one role rate")
        seen: set[str] = set()
        for index, role_rate in enumerate(self.rates):
            if role_rate.role in seen:
                raise ValidationError(f"rates[{index}].role", role_rate.role, "a unique role")
            seen.add(role_rate.role)
        _check_min_max(self.minimum, self.maximum)

    def rate_of(self, role: str) -> Decimal:
        """The hourly rate of ``role``.

        Raises:
            ValidationError: The role has no rate.
        """
        for role_rate in self.rates:
            if role_rate.role == role:
                return role_rate.rate
        roles = ", ".join(r.role for r in self.rates)
        raise ValidationError("role", role, f"a role with a rate ({roles})")


#: Any price model.
PriceModel: TypeAlias = (
    Flat
    | PerUnit
    | Graduated
    | Volume
    | Package
    | Percentage
    | GraduatedPercentage
    | TimeAndMaterials
)
