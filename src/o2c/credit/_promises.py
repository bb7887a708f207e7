"""Promises to pay: what a customer promised, and whether the ledger shows it kept.

A **promise to pay** is an amount a customer promised to pay by a date, for named open
items, taken by a collector during a contact (an interaction note). Whether it was kept
is never typed in: it is decided from the payments the ledger holds.

The rules:

* A payment **counts** towards a promise when the customer's payment, in the promise's
  currency, was received on or after the day the promise was taken and on or before the
  day the promise is judged, for the part of it that went to the promised items or is
  still unapplied (cash a customer paid but nobody has applied yet is the customer's
  money; cash applied to other items, or refunded, is not).
* The **grace rule**: a promise is judged at the end of its grace, ``grace_days`` calendar
  days after the promised date (the book's ``promise.grace_days`` setting when the promise
  was taken, 3 by default). Paid in full by the promised date: **kept**; paid in full in
  the grace days: **kept late**; at the end of the grace something but not all was paid:
  **partly kept**; nothing: **broken**. Until then it is **pending**.
* Judged once, it stays judged: what happens after the end of the grace does not change
  the outcome (balances as of a date do not change when later events are added).
* Dunning leaves the promised items alone while the promise is **pending**; a promise that
  was not kept in full (partly kept or broken) resumes the policy for what is still open.

>>> import datetime as dt
>>> from o2c.money import Money
>>> promise = PromiseToPay(PromiseId("PTP-1"), CustomerId("C1"), Money.of("500.00", "USD"),
...     promised_on=dt.date(2026, 11, 10), taken_on=dt.date(2026, 11, 1), taken_by="ana",
...     documents=(DocumentId("D1"),), note_id="NT-1", grace_days=3)
>>> paid = [PromiseReceipt("P1", dt.date(2026, 11, 12), Money.of("500.00", "USD"))]
>>> promise_outcome(promise, paid, as_of=dt.date(2026, 11, 20)).status.value
'kept_late'
>>> promise_outcome(promise, [], as_of=dt.date(2026, 11, 12)).status.value
'pending'
>>> promise_outcome(promise, [], as_of=dt.date(2026, 11, 14)).status.value
'broken'
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import Final, NewType

import attrs

from o2c.errors import ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.money import Currency, Money

__all__ = [
    "DEFAULT_GRACE_DAYS",
    "GRACE_SETTING",
    "PromiseId",
    "PromiseKeptRate",
    "PromiseOutcome",
    "PromiseReceipt",
    "PromiseStatus",
    "PromiseToPay",
    "grace_from_settings",
    "live_promises",
    "promise_kept_rate",
    "promise_outcome",
]

PromiseId = NewType("PromiseId", str)

#: The setting that holds the grace days of new promises.
GRACE_SETTING: Final = "promise.grace_days"
#: Calendar days after the promised date a payment still keeps a promise (kept late).
DEFAULT_GRACE_DAYS: Final = 3


class PromiseStatus(enum.Enum):
    """Where a promise stands on a date."""

    PENDING = "pending"
    KEPT = "kept"
    KEPT_LATE = "kept_late"
    PARTLY_KEPT = "partly_kept"
    BROKEN = "broken"

    @property
    def is_kept(self) -> bool:
        """Whether the promise was paid in full (on time or in the grace days)."""
        return self in (PromiseStatus.KEPT, PromiseStatus.KEPT_LATE)


def _grace(value: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValidationError("promise.grace_days", value, "a whole number of days >= 0")
    return value


def _actor(value: object) -> str:
    if not isinstance(value, str) or not value.strip():
        raise ValidationError("promise.taken_by", value, "the non-empty name of a person")
    return value.strip()


def _documents(value: Iterable[DocumentId]) -> tuple[DocumentId, ...]:
    docs = tuple(dict.fromkeys(value))
    if not docs:
        raise ValidationError("promise.documents", docs, "at least one promised item")
    return docs


def _numbers(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(str(n) for n in value)


@attrs.frozen(slots=True)
class PromiseToPay:
    """A customer's promise to pay an amount by a date, for some open items.

    Attributes:
        id: The promise id.
        customer_id: Who promised.
        amount: What they promised to pay (positive).
        promised_on: The date they promised to pay by.
        taken_on: The day the promise was taken (payments before it do not count).
        taken_by: The collector who took it.
        documents: The promised items (invoice or debit note ids).
        note_id: The interaction note of the contact in which it was taken.
        grace_days: Calendar days after ``promised_on`` a payment still keeps it (late).
        numbers: The promised items' document numbers, in the order of ``documents``
            (for people; empty when the caller does not know them).
    """

    id: PromiseId
    customer_id: CustomerId
    amount: Money
    promised_on: dt.date
    taken_on: dt.date
    taken_by: str = attrs.field(converter=_actor)
    documents: tuple[DocumentId, ...] = attrs.field(converter=_documents)
    note_id: str
    grace_days: int = attrs.field(default=DEFAULT_GRACE_DAYS, converter=_grace)
    numbers: tuple[str, ...] = attrs.field(default=(), converter=_numbers, kw_only=True)

    def __attrs_post_init__(self) -> None:
        if self.numbers and len(self.numbers) != len(self.documents):
            raise ValidationError(
                "promise.numbers", ", ".join(self.numbers), "one number per promised item"
            )
        if not self.amount.is_positive:
            raise ValidationError("promise.amount", str(self.amount), "an amount > 0")
        if self.promised_on < self.taken_on:
            raise ValidationError(
                "promise.promised_on",
                self.promised_on.isoformat(),
                f"a date on or after the day it is taken, {self.taken_on.isoformat()}",
            )

    @property
    def currency(self) -> Currency:
        """The promise's currency (that of its amount)."""
        return self.amount.currency

    @property
    def deadline(self) -> dt.date:
        """The last day of the grace: the promise is judged at the end of it."""
        return self.promised_on + dt.timedelta(days=self.grace_days)


@attrs.frozen(slots=True)
class PromiseReceipt:
    """A payment as it counts towards a promise.

    Attributes:
        payment_id: The payment.
        received: The day it was received.
        amount: The part of it that counts (to the promised items, or still unapplied).
    """

    payment_id: str
    received: dt.date
    amount: Money


@attrs.frozen(slots=True)
class PromiseOutcome:
    """A promise judged on a date.

    Attributes:
        promise: The promise.
        as_of: The date asked about.
        status: Pending, kept, kept late, partly kept or broken.
        paid: What counted towards it by ``as_of`` (at most the end of its grace).
        kept_on: The day the payments reached the promised amount, when they did.
    """

    promise: PromiseToPay
    as_of: dt.date
    status: PromiseStatus
    paid: Money
    kept_on: dt.date | None

    @property
    def short(self) -> Money:
        """What is still missing from the promised amount (zero when kept)."""
        return (self.promise.amount - self.paid).max(Money.zero(self.promise.currency))


def promise_outcome(
    promise: PromiseToPay, receipts: Iterable[PromiseReceipt], *, as_of: dt.date
) -> PromiseOutcome:
    """Judge ``promise`` on ``as_of`` from the payments that count towards it.

    Receipts received before the promise was taken, after ``as_of`` or after the end of
    the grace are left out, so the outcome on a date never changes when later payments
    arrive.

    Args:
        promise: The promise.
        receipts: The customer's payments in its currency, each with the part that
            counts (the Book works it out as of ``min(as_of, promise.deadline)``).
        as_of: The date asked about.

    Returns:
        The outcome.
    """
    last = min(as_of, promise.deadline)
    paid = Money.zero(promise.currency)
    kept_on: dt.date | None = None
    for receipt in sorted(receipts, key=lambda r: (r.received, r.payment_id)):
        if not promise.taken_on <= receipt.received <= last:
            continue
        paid = paid + receipt.amount
        if kept_on is None and paid >= promise.amount:
            kept_on = receipt.received
    if kept_on is not None:
        status = PromiseStatus.KEPT if kept_on <= promise.promised_on else PromiseStatus.KEPT_LATE
    elif as_of <= promise.deadline:
        status = PromiseStatus.PENDING
    elif paid.is_positive:
        status = PromiseStatus.PARTLY_KEPT
    else:
        status = PromiseStatus.BROKEN
    return PromiseOutcome(promise, as_of, status, paid, kept_on)


def live_promises(outcomes: Iterable[PromiseOutcome]) -> dict[DocumentId, PromiseOutcome]:
    """Per promised item, the pending promise that holds dunning off it.

    When two pending promises cover an item, the one promised latest is named (dunning
    waits for it).
    """
    found: dict[DocumentId, PromiseOutcome] = {}
    for outcome in outcomes:
        if outcome.status is not PromiseStatus.PENDING:
            continue
        for doc in outcome.promise.documents:
            held = found.get(doc)
            if held is None or held.promise.promised_on < outcome.promise.promised_on:
                found[doc] = outcome
    return found


def grace_from_settings(values: Mapping[str, str]) -> int:
    """The grace days of new promises: the ``promise.grace_days`` setting, else 3.

    Raises:
        ValidationError: The setting is not a whole number of days >= 0.
    """
    text = values.get(GRACE_SETTING)
    if text is None:
        return DEFAULT_GRACE_DAYS
    if not text.strip().isdigit():
        raise ValidationError(GRACE_SETTING, text, "a whole number of days >= 0")
    return int(text.strip())


@attrs.frozen(slots=True)
class PromiseKeptRate:
    """The promise kept rate over the promises judged in a period.

    Formula: promises kept in full (on time or in the grace days) / promises whose grace
    ended in the period. Pending promises are not counted; partly kept ones count as not
    kept.

    Attributes:
        judged: Promises whose grace ended in the period.
        kept: Of those, kept on time.
        kept_late: Of those, kept in the grace days.
        partly_kept: Of those, partly kept.
        broken: Of those, broken.
    """

    judged: int
    kept: int
    kept_late: int
    partly_kept: int
    broken: int

    @property
    def rate(self) -> Decimal | None:
        """Kept (on time or late) / judged, as a fraction; ``None`` when none was judged."""
        if not self.judged:
            return None
        return Decimal(self.kept + self.kept_late) / Decimal(self.judged)


def promise_kept_rate(
    outcomes: Iterable[PromiseOutcome], start: dt.date, end: dt.date
) -> PromiseKeptRate:
    """The promise kept rate of the promises whose grace ended in ``start..end``.

    Each outcome must be judged after its promise's deadline (on the day after it or
    later; before that it may be pending, and a pending one is not counted).
    """
    counts = dict.fromkeys(PromiseStatus, 0)
    for outcome in outcomes:
        if start <= outcome.promise.deadline <= end:
            counts[outcome.status] += 1
    judged = sum(n for s, n in counts.items() if s is not PromiseStatus.PENDING)
    return PromiseKeptRate(
        judged,
        counts[PromiseStatus.KEPT],
        counts[PromiseStatus.KEPT_LATE],
        counts[PromiseStatus.PARTLY_KEPT],
        counts[PromiseStatus.BROKEN],
    )
