"""Late fees: interest or a fixed fee on overdue invoices, charged by the dunning run.

A **late-fee policy** belongs to a collection segment, like a dunning policy, and is kept in
the setting ``late_fee.<segment>`` (the ``standard`` one for segments without their own):

* ``"interest 12%"``: simple daily interest at 12 % a year on what is open, for each day
  past the due date: ``open × 12 / 100 × days / 365`` (actual days over a 365-day year),
  rounded half up to the currency's minor unit once per charge;
* ``"eu 4.15%"``: the EU late-payment directive (2011/7/EU, art. 2(6)): the reference rate
  (the ECB's main refinancing rate the country applies, 4.15 % here) **plus 8 points**,
  12.15 % a year, charged the same way; the setting names the reference rate in force
  (update it when it changes, each half year);
* ``"fixed 25.00 USD, 400 MXN"``: a fixed fee per overdue invoice in its currency, once;
* both, joined by ``;``: ``"interest 10%; fixed 40.00 EUR"`` (the directive's EUR 40
  compensation, art. 6, is such a fixed fee).

The rules:

* Interest runs from the **effective due date** (the extended one, when an extension was
  granted: **never on an item while it is extended**) or from the day the last late fee
  on it was charged through, to the run date, on what is open on the run date.
* **Never on disputed items**: an item with any part under active dispute is charged
  nothing until the dispute is settled (then interest runs from where it stopped).
* Only invoices are charged: no interest on a debit note (no interest on interest).
* A charge that rounds to zero is not made, and the days wait for the next run.

>>> import datetime as dt
>>> from o2c.ledger import DocumentKind, OpenItem
>>> from o2c.money import Money
>>> usd = Money.of("0", "USD").currency
>>> item = OpenItem("D1", "INV-1", DocumentKind.INVOICE, "C1", usd, dt.date(2026, 10, 1),
...     dt.date(2026, 10, 31), Money.of("1000.00", usd), Money.of("1000.00", usd))
>>> policy = LateFeePolicy.parse("standard", "interest 12%")
>>> fee = late_fee(item, policy, as_of=dt.date(2026, 11, 30))
>>> fee.days, str(fee.interest), str(fee.amount)
(30, '9.86 USD', '9.86 USD')
>>> print(fee.description)
Late interest on INV-1: 1000.00 USD at 12% a year for 30 days (2026-10-31 to 2026-11-30)
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from decimal import Decimal, InvalidOperation
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.ledger import DocumentKind, OpenItem
from o2c.money import Currency, Money, Rounding

__all__ = [
    "EU_MARGIN",
    "LATE_FEE_PREFIX",
    "LateFee",
    "LateFeePolicy",
    "LateFeeSkip",
    "late_fee",
    "late_fee_policies",
    "plan_late_fees",
]

#: Settings ``late_fee.<segment>`` hold each segment's late-fee policy.
LATE_FEE_PREFIX: Final = "late_fee."
#: The EU late-payment directive's margin over the reference rate, in points.
EU_MARGIN: Final = Decimal(8)
_YEAR: Final = Decimal(365)
_HUNDRED: Final = Decimal(100)


def _percent(field: str, text: str) -> Decimal:
    try:
        value = Decimal(text.strip().rstrip("%").strip())
    except InvalidOperation:
        raise ValidationError(field, text, "a rate in percent, e.g. '12%'") from None
    if not value.is_finite() or value < 0:
        raise ValidationError(field, text, "a rate in percent >= 0")
    return value


@attrs.frozen(slots=True)
class LateFeePolicy:
    """The late fees of one collection segment.

    Attributes:
        segment: The collection segment.
        annual_rate: Interest in percent a year (``None``: no interest).
        fixed: A fixed fee per overdue invoice, per currency.
        reference_rate: For the EU directive's rate, the reference rate it was derived
            from (``annual_rate`` is then the reference rate plus :data:`EU_MARGIN`).
    """

    segment: str
    annual_rate: Decimal | None = None
    fixed: tuple[Money, ...] = ()
    reference_rate: Decimal | None = None

    def __attrs_post_init__(self) -> None:
        if self.annual_rate is None and not self.fixed:
            raise ValidationError(f"{LATE_FEE_PREFIX}{self.segment}", "", "interest or a fee")

    @classmethod
    def parse(cls, segment: str, text: str) -> LateFeePolicy:
        """Read ``"interest 12%"``, ``"eu 4.15%"``, ``"fixed 25.00 USD, 400 MXN"`` or
        several of them joined by ``;``.

        Raises:
            ValidationError: A part is not one of those.
        """
        field = f"{LATE_FEE_PREFIX}{segment}"
        rate = reference = None
        fixed: list[Money] = []
        for part in filter(None, (p.strip() for p in text.split(";"))):
            word, _, rest = part.partition(" ")
            kind = word.lower()
            if kind == "interest":
                rate = _percent(field, rest)
            elif kind == "eu":
                reference = _percent(field, rest)
                rate = reference + EU_MARGIN
            elif kind == "fixed":
                for amount in filter(None, (a.strip() for a in rest.split(","))):
                    words = amount.split()
                    if len(words) != 2:
                        raise ValidationError(field, amount, "'<amount> <currency>'")
                    fixed.append(Money.of(words[0], words[1].upper()))
            else:
                raise ValidationError(field, part, "'interest N%', 'eu N%' or 'fixed AMOUNT CUR'")
        return cls(segment, rate, tuple(fixed), reference)

    def fixed_for(self, currency: Currency) -> Money | None:
        """The fixed fee in ``currency``, if the policy has one."""
        return next((m for m in self.fixed if m.currency == currency), None)


def late_fee_policies(values: Mapping[str, str]) -> dict[str, LateFeePolicy]:
    """The late-fee policy per segment from the ``late_fee.<segment>`` settings.

    >>> sorted(late_fee_policies({"late_fee.standard": "eu 4.15%", "sla.x": "1"}))
    ['standard']
    """
    return {
        key[len(LATE_FEE_PREFIX) :]: LateFeePolicy.parse(key[len(LATE_FEE_PREFIX) :], text)
        for key, text in values.items()
        if key.startswith(LATE_FEE_PREFIX) and text.strip()
    }


@attrs.frozen(slots=True)
class LateFee:
    """A late fee to charge on one overdue invoice.

    Attributes:
        document_id: The invoice.
        number: Its number.
        customer: Its customer.
        base: What is open on it (the interest's base).
        start: The day interest runs from (the effective due date or the last charge).
        through: The run date it is charged through.
        annual_rate: The interest rate in percent a year (``None``: none).
        interest: The interest (zero without a rate).
        fixed: The fixed fee (zero when none, or charged before).
    """

    document_id: DocumentId
    number: str
    customer: CustomerId
    base: Money
    start: dt.date
    through: dt.date
    annual_rate: Decimal | None
    interest: Money
    fixed: Money

    @property
    def days(self) -> int:
        """The days charged."""
        return (self.through - self.start).days

    @property
    def amount(self) -> Money:
        """The whole charge."""
        return self.interest + self.fixed

    @property
    def description(self) -> str:
        """The debit note line's text."""
        if self.interest.is_positive and self.annual_rate is not None:
            rate = f"{self.annual_rate.normalize():f}%"
            return (
                f"Late interest on {self.number}: {self.base} at {rate} a year for"
                f" {self.days} days ({self.start.isoformat()} to {self.through.isoformat()})"
            )
        return f"Late payment fee on {self.number}"


@attrs.frozen(slots=True)
class LateFeeSkip:
    """An overdue invoice charged nothing, and why.

    Attributes:
        document_id: The invoice.
        number: Its number.
        reason: Why (disputed, extended).
    """

    document_id: DocumentId
    number: str
    reason: str


def late_fee(
    item: OpenItem,
    policy: LateFeePolicy,
    *,
    as_of: dt.date,
    charged_through: dt.date | None = None,
    rounding: Rounding = Rounding.HALF_UP,
) -> LateFee | None:
    """The late fee on ``item`` on ``as_of`` under ``policy`` (``None``: nothing to charge).

    Disputed and debit-note items are the caller's to leave out (:func:`plan_late_fees`).

    Args:
        item: The open item, with its extended due date when one is in force.
        policy: The segment's policy.
        as_of: The run date.
        charged_through: The day the last late fee on it was charged through.
        rounding: The book's rounding mode (the interest's one rounding point).
    """
    if not item.open.is_positive:
        return None
    due = item.extended_due or item.due_date
    start = max(due, charged_through) if charged_through is not None else due
    days = (as_of - start).days
    if days <= 0:
        return None
    zero = Money.zero(item.currency)
    interest = zero
    if policy.annual_rate is not None:
        exact = item.open.amount * policy.annual_rate / _HUNDRED * Decimal(days) / _YEAR
        interest = Money(exact, item.currency).round(rounding)
    fixed = (policy.fixed_for(item.currency) or zero) if charged_through is None else zero
    fee = LateFee(
        item.document_id,
        item.number,
        item.customer,
        item.open,
        start,
        as_of,
        policy.annual_rate,
        interest,
        fixed,
    )
    return fee if fee.amount.is_positive else None


def plan_late_fees(
    items: Iterable[OpenItem],
    *,
    as_of: dt.date,
    policies: Mapping[str, LateFeePolicy],
    segment_of: Mapping[str, str] | None = None,
    charged: Mapping[str, dt.date] | None = None,
    rounding: Rounding = Rounding.HALF_UP,
) -> tuple[tuple[LateFee, ...], tuple[LateFeeSkip, ...]]:
    """The late fees a run on ``as_of`` charges, and the overdue invoices it leaves alone.

    Args:
        items: Open items with disputed parts and extended due dates.
        as_of: The run date.
        policies: Per segment (``standard``: the default for the others).
        segment_of: Each customer's collection segment.
        charged: Per invoice id, the day its last late fee was charged through.
        rounding: The book's rounding mode.

    Returns:
        ``(fees, skipped)``, by customer and invoice number.
    """
    segments = segment_of or {}
    done = charged or {}
    fees: list[LateFee] = []
    skipped: list[LateFeeSkip] = []
    for item in items:
        if item.kind is not DocumentKind.INVOICE or not item.open.is_positive:
            continue
        policy = policies.get(segments.get(item.customer, "standard")) or policies.get("standard")
        if policy is None:
            continue
        if item.disputed is not None and item.disputed.is_positive:
            if as_of > item.due_date:
                skipped.append(LateFeeSkip(item.document_id, item.number, "disputed"))
            continue
        if item.extended_due is not None and as_of <= item.extended_due:
            if as_of > item.due_date:
                extended = f"extended to {item.extended_due.isoformat()}"
                skipped.append(LateFeeSkip(item.document_id, item.number, extended))
            continue
        fee = late_fee(
            item, policy, as_of=as_of, charged_through=done.get(item.document_id), rounding=rounding
        )
        if fee is not None:
            fees.append(fee)
    fees.sort(key=lambda f: (f.customer, f.number))
    skipped.sort(key=lambda s: s.number)
    return tuple(fees), tuple(skipped)
