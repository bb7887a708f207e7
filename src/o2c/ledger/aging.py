"""AR aging: open items in buckets of days past due, with unapplied credit apart.

**Semantics** (the Book's SQL must give the same figures):

* ``days = as_of - due_date`` on the due-date basis (an item with an ``extended_due``
  ages from the extended date), or ``as_of - document_date`` on the document-date basis.
* A bucket ``(low, high)`` holds the items with ``low <= days <= high``; ``None`` is
  unbounded. The default buckets are *current* (``days <= 0``: not yet due or due
  today), 1-30, 31-60, 61-90 and 90+ (``days >= 91``).
* The disputed part of an item (supplied by the caller) is shown in its own column and
  not in a bucket, so buckets + disputed == the customer's AR sub-ledger.
* Unapplied cash and credit has its own column (a positive amount), so
  ``total == AR control`` and ``net = total - unapplied`` (DESIGN.md lesson 7).

Example:
    >>> DEFAULT_BUCKETS[1]
    AgingBucket(label='1-30', low=1, high=30)
    >>> [b.label for b in buckets_from_bounds((15, 45))]
    ['current', '1-15', '16-45', '45+']
"""

from __future__ import annotations

import datetime as dt
import enum
import itertools
from collections.abc import Iterable, Sequence
from typing import Final

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import JournalEntry
from o2c.ledger.views import credit_items, open_items
from o2c.money import Currency, Money, sum_money

__all__ = [
    "DEFAULT_BUCKETS",
    "AgingBasis",
    "AgingBucket",
    "AgingReport",
    "AgingRow",
    "aging",
    "aging_report",
    "buckets_from_bounds",
]


class AgingBasis(enum.Enum):
    """What the days are counted from."""

    DUE_DATE = "due_date"
    DOCUMENT_DATE = "document_date"


@attrs.frozen(slots=True)
class AgingBucket:
    """Days ``low..high`` inclusive; ``None`` is unbounded on that side."""

    label: str
    low: int | None
    high: int | None

    def __contains__(self, days: object) -> bool:
        if not isinstance(days, int):
            return False
        return (self.low is None or days >= self.low) and (self.high is None or days <= self.high)


DEFAULT_BUCKETS: Final = (
    AgingBucket("current", None, 0),
    AgingBucket("1-30", 1, 30),
    AgingBucket("31-60", 31, 60),
    AgingBucket("61-90", 61, 90),
    AgingBucket("90+", 91, None),
)


def buckets_from_bounds(bounds: Sequence[int]) -> tuple[AgingBucket, ...]:
    """Build buckets from increasing upper bounds: ``(30, 60, 90)`` gives the defaults.

    Raises:
        ValidationError: The bounds are empty, not positive or not increasing.
    """
    values = list(bounds)
    if not values or any(not isinstance(b, int) or b < 1 for b in values):
        raise ValidationError("buckets", values, "increasing whole numbers of days >= 1")
    if any(b >= c for b, c in itertools.pairwise(values)):
        raise ValidationError("buckets", values, "strictly increasing bounds")
    result = [AgingBucket("current", None, 0)]
    low = 1
    for high in values:
        result.append(AgingBucket(f"{low}-{high}", low, high))
        low = high + 1
    result.append(AgingBucket(f"{values[-1]}+", low, None))
    return tuple(result)


def _check_buckets(buckets: Sequence[AgingBucket]) -> None:
    ok = bool(buckets) and buckets[0].low is None and buckets[-1].high is None
    for left, right in itertools.pairwise(buckets):
        ok = ok and left.high is not None and right.low == left.high + 1
        ok = ok and (right.high is None or right.low is None or right.high >= right.low)
    if not ok:
        raise ValidationError(
            "buckets",
            [b.label for b in buckets],
            "contiguous buckets from unbounded low to unbounded high",
        )


@attrs.frozen(slots=True)
class AgingRow:
    """One customer's aging in one currency (``customer`` is ``None`` on a total row).

    Attributes:
        customer: The customer, or ``None`` for the currency total.
        currency: The currency.
        buckets: The amount per bucket, in the report's bucket order.
        disputed: Disputed amounts, kept out of the buckets.
        unapplied: Unapplied cash and credit (positive).
    """

    customer: CustomerId | None
    currency: Currency
    buckets: tuple[Money, ...]
    disputed: Money
    unapplied: Money

    @property
    def total(self) -> Money:
        """Buckets plus disputed: the AR sub-ledger (or control) balance."""
        return sum_money(self.buckets, self.currency) + self.disputed

    @property
    def net(self) -> Money:
        """``total - unapplied``: what is owed net of credit."""
        return self.total - self.unapplied


@attrs.frozen(slots=True)
class AgingReport:
    """Aging as of a date.

    Attributes:
        as_of: The date.
        basis: Due date or document date.
        buckets: The buckets.
        rows: Per customer and currency, sorted by currency then customer.
        totals: One row per currency (``customer=None``), sorted by currency.
    """

    as_of: dt.date
    basis: AgingBasis
    buckets: tuple[AgingBucket, ...]
    rows: tuple[AgingRow, ...]
    totals: tuple[AgingRow, ...]

    def total(self, currency: Currency | str) -> AgingRow:
        """The total row of ``currency`` (all zero when absent)."""
        cur = Currency.of(currency)
        for row in self.totals:
            if row.currency == cur:
                return row
        zero = Money.zero(cur)
        return AgingRow(None, cur, tuple(zero for _ in self.buckets), zero, zero)


def _days(item: OpenItem, as_of: dt.date, basis: AgingBasis) -> int:
    if basis is AgingBasis.DOCUMENT_DATE:
        return (as_of - item.document_date).days
    return (as_of - (item.extended_due or item.due_date)).days


def aging(
    items: Iterable[OpenItem],
    as_of: dt.date,
    *,
    buckets: Sequence[AgingBucket] = DEFAULT_BUCKETS,
    basis: AgingBasis = AgingBasis.DUE_DATE,
    credits: Iterable[CreditItem] = (),
) -> AgingReport:
    """Age ``items`` (open items as of ``as_of``) into ``buckets``.

    Args:
        items: Open items, typically :func:`~o2c.ledger.open_items` as of ``as_of``.
        as_of: The aging date.
        buckets: Contiguous buckets (see :func:`buckets_from_bounds`).
        basis: Count days from the due date or from the document date.
        credits: Unapplied credits as of ``as_of`` for the unapplied column.

    Raises:
        ValidationError: The buckets are not contiguous or do not cover every day count.
    """
    bucket_list = tuple(buckets)
    _check_buckets(bucket_list)
    width = len(bucket_list)
    amounts: dict[tuple[str, str], list[Money]] = {}
    disputed: dict[tuple[str, str], Money] = {}
    unapplied: dict[tuple[str, str], Money] = {}

    def _row(customer: str, currency: Currency) -> tuple[str, str]:
        key = (customer, currency.code)
        if key not in amounts:
            zero = Money.zero(currency)
            amounts[key] = [zero] * width
            disputed[key] = zero
            unapplied[key] = zero
        return key

    for item in items:
        key = _row(item.customer, item.currency)
        part = item.disputed.min(item.open) if item.disputed is not None else None
        aged = item.open - part if part is not None and part.is_positive else item.open
        if part is not None and part.is_positive:
            disputed[key] += part
        days = _days(item, as_of, basis)
        index = next(i for i, b in enumerate(bucket_list) if days in b)
        amounts[key][index] += aged
    for credit in credits:
        key = _row(credit.customer, credit.currency)
        unapplied[key] += credit.unapplied
    rows = [
        AgingRow(
            CustomerId(cust),
            Currency.of(code),
            tuple(amounts[(cust, code)]),
            disputed[(cust, code)],
            unapplied[(cust, code)],
        )
        for cust, code in sorted(amounts, key=lambda k: (k[1], k[0]))
    ]
    totals = []
    for code in sorted({r.currency.code for r in rows}):
        mine = [r for r in rows if r.currency.code == code]
        totals.append(
            AgingRow(
                None,
                Currency.of(code),
                tuple(sum_money((r.buckets[i] for r in mine), code) for i in range(width)),
                sum_money((r.disputed for r in mine), code),
                sum_money((r.unapplied for r in mine), code),
            )
        )
    return AgingReport(as_of, basis, bucket_list, tuple(rows), tuple(totals))


def aging_report(
    entries: Iterable[JournalEntry],
    as_of: dt.date,
    *,
    buckets: Sequence[AgingBucket] = DEFAULT_BUCKETS,
    basis: AgingBasis = AgingBasis.DUE_DATE,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> AgingReport:
    """Age the journal as of ``as_of``: open items and unapplied credits derived from it."""
    journal = list(entries)
    return aging(
        open_items(journal, as_of, chart=chart),
        as_of,
        buckets=buckets,
        basis=basis,
        credits=credit_items(journal, as_of, chart=chart),
    )
