"""Refunds of customer credit: request, approve (or reject), pay, post.

A refund pays customer credit (an over-payment or a credit note that became credit) back
to the customer. Its lifecycle is ``requested -> approved -> paid`` (or ``rejected``);
the approver must not be the requester (segregation of duties). Only a paid refund posts:
Dr unapplied (customer, credit source), Cr cash. The approval *policy* (who may approve,
above which amount) belongs to the Book's operations layer; this module enforces the
states and the amounts.

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> r = Refund(RefundId("R1"), CustomerId("C1"), "P1", Money.of("20.00", "USD"),
    ...            requested_on=dt.date(2026, 11, 2), requested_by="ana", reason="overpaid")
    >>> r = approve_refund(r, actor="luis", date=dt.date(2026, 11, 3))
    >>> mark_refund_paid(r, date=dt.date(2026, 11, 4)).status
    <RefundStatus.PAID: 'paid'>
    >>> approve_refund(r, actor="luis", date=dt.date(2026, 11, 3))
    Traceback (most recent call last):
    ...
    o2c.errors.InvalidState: refund R1 is approved; only a requested refund can be approved
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from o2c.errors import InvalidState, SegregationOfDuties, ValidationError
from o2c.ids import CustomerId, EntryId, RefundId
from o2c.ledger import _checks
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.money import Money

__all__ = [
    "Refund",
    "RefundStatus",
    "approve_refund",
    "mark_refund_paid",
    "paid_refund",
    "post_refund",
    "reject_refund",
]


class RefundStatus(enum.Enum):
    """Where a refund is in its lifecycle."""

    REQUESTED = "requested"
    APPROVED = "approved"
    REJECTED = "rejected"
    PAID = "paid"


@attrs.frozen(slots=True)
class Refund:
    """A refund of customer credit.

    Attributes:
        id: The refund id.
        customer: Who gets the money.
        source: The credit it pays out (payment id or credit note id).
        amount: The amount, above zero and rounded.
        requested_on: When it was requested.
        requested_by: Who requested it.
        reason: Why.
        status: The lifecycle state.
        decided_by: Who approved or rejected it.
        decided_on: When.
        paid_on: When the money left (the posting date).
    """

    id: RefundId
    customer: CustomerId
    source: str
    amount: Money = attrs.field()
    requested_on: dt.date = attrs.field(kw_only=True)
    requested_by: str = attrs.field(kw_only=True)
    reason: str = attrs.field(kw_only=True)
    status: RefundStatus = attrs.field(default=RefundStatus.REQUESTED, kw_only=True)
    decided_by: str | None = attrs.field(default=None, kw_only=True)
    decided_on: dt.date | None = attrs.field(default=None, kw_only=True)
    paid_on: dt.date | None = attrs.field(default=None, kw_only=True)

    @amount.validator
    def _check_amount(self, _attribute: object, value: Money) -> None:
        _checks.positive("amount", value)


def _decide(refund: Refund, actor: str, date: dt.date, status: RefundStatus) -> Refund:
    who = _checks.text("actor", actor)
    verb = "approved" if status is RefundStatus.APPROVED else "rejected"
    if refund.status is not RefundStatus.REQUESTED:
        raise InvalidState(
            f"refund {refund.id} is {refund.status.value}; only a requested refund can be {verb}",
            document_id=refund.id,
        )
    if who == refund.requested_by:
        raise SegregationOfDuties(who, refund.id)
    if date < refund.requested_on:
        raise ValidationError("date", date.isoformat(), f"a date on or after {refund.requested_on}")
    return attrs.evolve(refund, status=status, decided_by=who, decided_on=date)


def approve_refund(refund: Refund, *, actor: str, date: dt.date) -> Refund:
    """Approve a requested refund; ``actor`` must not be the requester.

    Raises:
        InvalidState: The refund is not in the requested state.
        SegregationOfDuties: The requester tries to approve.
    """
    return _decide(refund, actor, date, RefundStatus.APPROVED)


def reject_refund(refund: Refund, *, actor: str, date: dt.date) -> Refund:
    """Reject a requested refund; the credit stays with the customer.

    Raises:
        InvalidState: The refund is not in the requested state.
        SegregationOfDuties: The requester tries to decide.
    """
    return _decide(refund, actor, date, RefundStatus.REJECTED)


def mark_refund_paid(refund: Refund, *, date: dt.date) -> Refund:
    """Record that an approved refund was paid out on ``date``.

    Raises:
        InvalidState: The refund is not approved (or was already paid).
    """
    if refund.status is not RefundStatus.APPROVED:
        raise InvalidState(
            f"refund {refund.id} is {refund.status.value}; only an approved refund can be paid",
            document_id=refund.id,
        )
    if refund.decided_on is not None and date < refund.decided_on:
        raise ValidationError("date", date.isoformat(), f"a date on or after {refund.decided_on}")
    return attrs.evolve(refund, status=RefundStatus.PAID, paid_on=date)


def post_refund(
    refund: Refund,
    *,
    entry_id: EntryId,
    credit: CreditItem,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """Return the entry paying out a refund: Dr unapplied, Cr cash.

    Args:
        refund: A paid refund.
        entry_id: The id of the new entry.
        credit: The credit it pays out, as of the payment date.
        chart: The chart of accounts.

    Raises:
        InvalidState: The refund is not paid, or exceeds the unapplied credit
            (invariant 4: nothing refunded twice or beyond its amount).
        ValidationError: The credit is not the refund's source or customer.
    """
    if refund.status is not RefundStatus.PAID or refund.paid_on is None:
        raise InvalidState(
            f"refund {refund.id} is {refund.status.value}; only a paid refund posts",
            document_id=refund.id,
        )
    if credit.source != refund.source:
        raise ValidationError("credit", credit.source, refund.source)
    if credit.customer != refund.customer:
        raise ValidationError("credit.customer", credit.customer, f"customer {refund.customer}")
    _checks.same_currency("amount", refund.amount, credit.currency)
    if refund.amount > credit.unapplied:
        raise InvalidState(
            f"cannot refund {refund.amount} from {credit.source}: only {credit.unapplied} is "
            "unapplied",
            document_id=refund.id,
        )
    return JournalEntry(
        id=entry_id,
        date=refund.paid_on,
        kind=EntryKind.REFUND,
        source=refund.id,
        lines=(
            Posting(chart.unapplied.code, refund.amount, refund.customer, refund.source),
            Posting(chart.cash.code, -refund.amount),
        ),
        reference=credit.reference,
        memo=refund.reason,
    )


def paid_refund(
    refund_id: RefundId,
    credit: CreditItem,
    amount: Money,
    *,
    on: dt.date,
    by: str,
    reason: str,
) -> Refund:
    """A refund of ``credit`` paid out at once by ``by`` on ``on`` (no approval held it).

    Whoever runs a refund directly requested and decided it: the four eyes apply only
    to a refund an approval policy holds (see :mod:`o2c.cases`).
    """
    return Refund(
        refund_id,
        credit.customer,
        credit.source,
        amount,
        requested_on=on,
        requested_by=by,
        reason=reason,
        status=RefundStatus.PAID,
        decided_by=by,
        decided_on=on,
        paid_on=on,
    )
