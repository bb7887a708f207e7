"""The public entry point for "what would this cost"."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal

from o2c.pricing._adjust import PriceOverride, resolve_item
from o2c.pricing._rate import rate
from o2c.pricing._ratecard import RateCard
from o2c.pricing._rated import Rated
from o2c.pricing._time import TimeEntry

__all__ = ["quote"]


def quote(
    ratecard: RateCard,
    item: str,
    quantity: Decimal | int | str,
    *,
    at: dt.date,
    transactions: Sequence[Decimal] | None = None,
    entries: Sequence[TimeEntry] | None = None,
    overrides: Iterable[PriceOverride] = (),
) -> Rated:
    """What ``quantity`` of ``item`` would cost on ``at``, before tax, with the steps.

    Args:
        ratecard: The rate card.
        item: Item code.
        quantity: Quantity for one period.
        at: The date whose prices apply.
        transactions: Transaction amounts for percentage models.
        entries: Time entries for time and materials.
        overrides: A contract's negotiated prices; one in effect on ``at`` wins.

    Raises:
        NotFound: The item is not on the card on ``at``.
        ValidationError: The quantity is not acceptable for the model.

    Example:
        >>> import datetime as dt
        >>> from o2c.pricing import Item, PerUnit, RateCard, RateCardVersion, quote
        >>> card = RateCard(code="basic", currency="USD", versions=[RateCardVersion(
        ...     dt.date(2026, 1, 1), [Item(code="seat", name="Seat", unit="seat",
        ...     tax_category="S", model=PerUnit(unit_price="12.50"))])])
        >>> str(quote(card, "seat", 3, at=dt.date(2026, 10, 1)).net())
        '37.50 USD'
    """
    found = resolve_item(ratecard, item, at, overrides)
    return rate(
        found.model,
        quantity,
        currency=ratecard.currency,
        transactions=transactions,
        entries=entries,
    )
