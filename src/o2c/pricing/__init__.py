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

from o2c.pricing._adjust import (
    Commitment,
    Discount,
    DiscountKind,
    PriceOverride,
    apply_discounts,
    document_discount,
    resolve_item,
    true_up,
)
from o2c.pricing._events import EventCharge, charge_events, per_event_reason
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
from o2c.pricing._proration import (
    ProratedCharge,
    prorate_change,
    prorate_rated,
    prorate_span,
    prorated_amount,
)
from o2c.pricing._quote import quote
from o2c.pricing._rate import rate
from o2c.pricing._ratecard import Item, RateCard, RateCardVersion
from o2c.pricing._rated import Rated, Step, StepKind, explain
from o2c.pricing._time import TimeEntry, billable_hours
from o2c.pricing._toml import (
    MAX_RATECARD_CHARS,
    TAX_CATEGORIES,
    Problem,
    RateCardError,
    load_ratecard,
    parse_ratecard,
)
from o2c.pricing._usage import Aggregation, UsageRecord, aggregate, dedupe, select_usage

__all__ = [
    "MAX_RATECARD_CHARS",
    "TAX_CATEGORIES",
    "Aggregation",
    "Commitment",
    "Discount",
    "DiscountKind",
    "EventCharge",
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
    "PriceOverride",
    "Problem",
    "ProratedCharge",
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
    "UsageRecord",
    "Volume",
    "aggregate",
    "apply_discounts",
    "billable_hours",
    "charge_events",
    "dedupe",
    "document_discount",
    "explain",
    "load_ratecard",
    "parse_ratecard",
    "per_event_reason",
    "prorate_change",
    "prorate_rated",
    "prorate_span",
    "prorated_amount",
    "quote",
    "rate",
    "resolve_item",
    "select_usage",
    "true_up",
]
