"""Pricing: price models, rate cards, usage, time and materials, proration, explain.

Pricing decides what a customer owes before tax. Every rating returns the exact amount
and the steps that add up to it (:class:`Rated`), so an invoice line can always be
explained. Rounding to the minor unit happens at the line's rounding point,
:meth:`Rated.net`.

Example:
    >>> from o2c.pricing import Graduated, Tier, rate
    >>> model = Graduated(tiers=[Tier(1000, "0"), Tier(10000, "0.002"), Tier(None, "0.001")])
    >>> rated = rate(model, 12500, currency="USD")
    >>> str(rated.net())
    '20.50 USD'
"""

from o2c.pricing._models import (
    Flat,
    Graduated,
    GraduatedPercentage,
    Overtime,
    Package,
    Percentage,
    PercentageTier,
    PerUnit,
    PriceModel,
    RoleRate,
    Tier,
    TimeAndMaterials,
    Volume,
)
from o2c.pricing._rate import rate
from o2c.pricing._ratecard import Item, RateCard, RateCardVersion, quote
from o2c.pricing._rated import Rated, Step, StepKind, explain
from o2c.pricing._time import TimeEntry, billable_hours
from o2c.pricing._toml import (
    MAX_RATECARD_CHARS,
    Problem,
    RateCardError,
    load_ratecard,
    parse_ratecard,
)

__all__ = [
    "MAX_RATECARD_CHARS",
    "Flat",
    "Graduated",
    "GraduatedPercentage",
    "Item",
    "Overtime",
    "Package",
    "PerUnit",
    "Percentage",
    "PercentageTier",
    "PriceModel",
    "Problem",
    "RateCard",
    "RateCardError",
    "RateCardVersion",
    "Rated",
    "RoleRate",
    "Step",
    "StepKind",
    "Tier",
    "TimeAndMaterials",
    "TimeEntry",
    "Volume",
    "billable_hours",
    "explain",
    "load_ratecard",
    "parse_ratecard",
    "quote",
    "rate",
]
