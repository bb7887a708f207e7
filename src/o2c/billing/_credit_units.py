"""Crediting units of a tiered line at what the invoice charged for them.

A graduated (or free-units, or flat-fee) line charges its units at different prices, so
crediting N of its units at the line's average price credits the wrong amount. The rule:
**the credited units are the last units billed** (the top tier first), credited at the
prices the invoice's own explanation shows for them; a tier flat fee is credited with
the units once the credit empties that tier (tier 1's fee stays until the whole line is
credited, as the rating charges it at any quantity).

With ``left`` units not yet credited, crediting ``n`` of them credits
``round(charged(left)) - round(charged(left - n))``, where ``charged(k)`` is what the
invoice's steps charge for the first ``k`` units. The differences telescope, so credits
in parts add up to exactly the line's net (DESIGN.md, lesson 1).

The bands come from the stored explanation (``Step.describe`` texts such as
``tier 2 units: 150 × 0.08 = 12.00``); a line whose explanation does not account for its
net and quantity exactly (proration, discounts, minimums) is credited at its average
price, as before.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs

from o2c.billing._documents import DocumentLine
from o2c.money import Money, Rounding

__all__ = ["Band", "bands_of", "credit_last_units"]

_ZERO: Final = Decimal(0)
_STEP: Final = re.compile(
    r"^(?:tier (?P<tier>\d+) )?(?P<kind>[a-z][a-z -]*?)(?: \((?P<note>.*)\))?: "
    r"(?P<qty>-?[0-9.]+) × (?P<price>-?[0-9.]+)(?: %)? = (?P<amount>-?[0-9.]+)$"
)
_BAND_KINDS: Final = frozenset({"units", "free", "flat fee"})


@attrs.frozen(slots=True)
class Band:
    """Units billed at one price, in billing order.

    Attributes:
        tier: The tier number, or ``None`` (free units, an untiered price).
        units: How many units the band billed.
        price: The price of one unit.
        fee: The tier's flat fee billed with the band.
    """

    tier: int | None
    units: Decimal
    price: Decimal
    fee: Decimal = _ZERO


def _parse(text: str) -> tuple[str, int | None, Decimal, Decimal, Decimal] | None:
    match = _STEP.match(text)
    if match is None:
        return None
    try:
        qty, price, amount = (Decimal(match[k]) for k in ("qty", "price", "amount"))
    except InvalidOperation:
        return None
    tier = int(match["tier"]) if match["tier"] else None
    kind = match["kind"] if not match["note"] else f"{match['kind']} (note)"
    return kind, tier, qty, price, amount


def bands_of(line: DocumentLine, rounding: Rounding) -> tuple[Band, ...] | None:
    """The bands of ``line`` when its explanation prices it in more than one way.

    Returns:
        The bands, in the order the units were billed, when the explanation's unit and
        flat-fee steps add up exactly to the line's quantity and (rounded) net and the
        line is not a single price (two bands or more, or a flat fee); else ``None``.
    """
    if line.quantity <= 0:
        return None
    bands: list[Band] = []
    fees: dict[int | None, Decimal] = {}
    exact = _ZERO
    for text in line.explain:
        parsed = _parse(text)
        if parsed is None:
            continue  # a heading or a note; the totals check below catches what matters
        kind, tier, qty, price, amount = parsed
        if kind not in _BAND_KINDS or qty < 0 or price < 0 or qty * price != amount:
            return None
        exact += amount
        if kind == "flat fee":
            fees[tier] = fees.get(tier, _ZERO) + amount
        else:
            bands.append(Band(tier, qty, price))
    if sum((b.units for b in bands), _ZERO) != line.quantity:
        return None
    cur = line.net.currency
    if Money(exact, cur).round(rounding).amount != line.net.amount:
        return None
    placed: list[Band] = []
    for band in bands:
        fee = fees.pop(band.tier, _ZERO) if band.tier is not None else _ZERO
        placed.append(attrs.evolve(band, fee=fee))
    if fees or (len(placed) < 2 and not any(b.fee for b in placed)):
        return None
    return tuple(placed)


def _charged(bands: Sequence[Band], units: Decimal) -> Decimal:
    """What the invoice charged for its first ``units`` units (exact)."""
    total = _ZERO
    before = _ZERO
    for band in bands:
        taken = min(max(units - before, _ZERO), band.units)
        if band.fee and (taken > 0 or band.tier == 1):
            total += band.fee
        total += taken * band.price
        before += band.units
    return total


def credit_last_units(
    bands: Sequence[Band], left: Decimal, quantity: Decimal, money: Money, rounding: Rounding
) -> tuple[Decimal, tuple[str, ...]]:
    """The net credit for the last ``quantity`` of the ``left`` units not yet credited,
    and the explanation of it (one text per band it reaches).

    Args:
        bands: The invoice line's bands (:func:`bands_of`).
        left: Units of the line not yet credited.
        quantity: Units to credit now (at most ``left``).
        money: Any amount in the invoice's currency (for rounding).
        rounding: The book's rounding mode.
    """
    cur = money.currency
    high = _charged(bands, left)
    low = _charged(bands, left - quantity)
    net = Money(high, cur).round(rounding).amount - Money(low, cur).round(rounding).amount
    texts: list[str] = []
    before = _ZERO
    spans: list[str] = []
    for band in bands:
        start, end = before, before + band.units
        before = end
        taken = min(end, left) - max(start, left - quantity)
        if taken > 0:
            label = f"tier {band.tier} units" if band.tier is not None else "units"
            if band.tier is None and band.price == 0:
                label = "free units"
            spans.append(
                f"{label}: {_fmt(taken)} × {_fmt(band.price)} = {_fmt(taken * band.price)}"
            )
        if band.fee and band.tier != 1 and left - quantity <= start < left:
            spans.append(f"tier {band.tier} flat fee: 1 × {_fmt(band.fee)} = {_fmt(band.fee)}")
    texts.append(
        f"the last {_fmt(quantity)} units billed (top tier first), at the prices the invoice"
        " charged for them:"
    )
    texts.extend(f"  {s}" for s in reversed(spans))
    return net, tuple(texts)


def _fmt(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text
