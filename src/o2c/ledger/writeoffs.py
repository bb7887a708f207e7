"""Write-offs of small or uncollectible balances.

A write-off moves what is open on an invoice to an expense: uncollectible balances to
bad debt, small balances (a few cents left by a customer's rounding) to the rounding
account, so DESIGN.md lesson 6 holds: nothing is left unallocated by accident, and the
difference sits on a named account. Above a threshold a write-off needs an approver who
is not the requester. A small *credit* balance (a customer over-paid by a few cents and
will never ask for it) is written off the other way, from unapplied cash to the rounding
account (:func:`post_credit_write_off`).

Example:
    >>> import datetime as dt
    >>> from o2c.money import Money
    >>> w = WriteOff(WriteOffId("W1"), CustomerId("C1"), DocumentId("D1"),
    ...              Money.of("0.03", "USD"), date=dt.date(2026, 12, 1),
    ...              reason=WriteOffReason.SMALL_BALANCE, requested_by="ana")
    >>> needs_approval(w, threshold=Money.of("5.00", "USD"))
    False
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable

import attrs

from o2c.errors import ApprovalRequired, InvalidState, SegregationOfDuties, ValidationError
from o2c.ids import CustomerId, DocumentId, EntryId, WriteOffId
from o2c.ledger import _checks
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting, reverse_entry
from o2c.ledger.limits import ItemHistory, check_take, open_from
from o2c.money import Money

__all__ = [
    "CreditWriteOff",
    "WriteOff",
    "WriteOffReason",
    "approve_write_off",
    "needs_approval",
    "post_credit_write_off",
    "post_write_off",
    "reverse_write_off",
    "unreversed_write_offs",
    "write_off_amount",
]


class WriteOffReason(enum.Enum):
    """Why an open amount is written off; decides the expense account."""

    SMALL_BALANCE = "small_balance"
    UNCOLLECTIBLE = "uncollectible"


@attrs.frozen(slots=True)
class WriteOff:
    """A request to write off (part of) an open item.

    Attributes:
        id: The write-off id.
        customer: The customer.
        document_id: The open item.
        amount: The amount, above zero and rounded.
        date: The posting date.
        reason: Small balance (rounding account) or uncollectible (bad debt).
        requested_by: Who asked.
        approved_by: Who approved, when approval was needed.
        memo: Free text for the auditor.
    """

    id: WriteOffId
    customer: CustomerId
    document_id: DocumentId
    amount: Money = attrs.field()
    date: dt.date = attrs.field(kw_only=True)
    reason: WriteOffReason = attrs.field(kw_only=True)
    requested_by: str = attrs.field(kw_only=True)
    approved_by: str | None = attrs.field(default=None, kw_only=True)
    memo: str = attrs.field(default="", kw_only=True)

    @amount.validator
    def _check_amount(self, _attribute: object, value: Money) -> None:
        _checks.positive("amount", value)


def needs_approval(write_off: WriteOff, *, threshold: Money | None) -> bool:
    """Whether ``write_off`` is above ``threshold`` (``None``: never needs approval).

    The threshold itself is allowed without approval.
    """
    if threshold is None:
        return False
    _checks.same_currency("threshold", threshold, write_off.amount.currency)
    return write_off.amount > threshold


def approve_write_off(write_off: WriteOff, *, actor: str) -> WriteOff:
    """Record ``actor``'s approval.

    Raises:
        SegregationOfDuties: The requester tries to approve.
        InvalidState: It is already approved.
    """
    who = _checks.text("actor", actor)
    if write_off.approved_by is not None:
        raise InvalidState(
            f"write-off {write_off.id} was already approved by {write_off.approved_by}",
            document_id=write_off.document_id,
        )
    if who == write_off.requested_by:
        raise SegregationOfDuties(who, write_off.id)
    return attrs.evolve(write_off, approved_by=who)


def post_write_off(
    write_off: WriteOff,
    *,
    entry_id: EntryId,
    open_item: OpenItem,
    threshold: Money | None = None,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """Return the entry writing off part or all of an open item.

    Args:
        write_off: The write-off.
        entry_id: The id of the new entry.
        open_item: The open item as of the write-off date.
        threshold: Above this amount an approval is required.
        chart: The chart of accounts.

    Raises:
        ApprovalRequired: Above the threshold and not approved.
        InvalidState: More than is open (invariant 4).
        ValidationError: The open item is another document, customer or currency.
    """
    if open_item.document_id != write_off.document_id:
        raise ValidationError("open_item", open_item.document_id, write_off.document_id)
    if open_item.customer != write_off.customer:
        raise ValidationError("open_item.customer", open_item.customer, write_off.customer)
    _checks.same_currency("amount", write_off.amount, open_item.currency)
    if write_off.approved_by is not None and write_off.approved_by == write_off.requested_by:
        raise SegregationOfDuties(write_off.approved_by, write_off.id)
    if needs_approval(write_off, threshold=threshold) and write_off.approved_by is None:
        raise ApprovalRequired(
            "write-off", write_off.id, f"{write_off.amount} is above the threshold {threshold}"
        )
    if write_off.amount > open_item.open:
        raise InvalidState(
            f"cannot write off {write_off.amount} of {open_item.number}: only {open_item.open} "
            "is open",
            document_id=open_item.document_id,
        )
    expense = chart.rounding if write_off.reason is WriteOffReason.SMALL_BALANCE else chart.bad_debt
    return JournalEntry(
        id=entry_id,
        date=write_off.date,
        kind=EntryKind.WRITE_OFF,
        source=write_off.id,
        lines=(
            Posting(expense.code, write_off.amount),
            Posting(
                chart.receivable.code, -write_off.amount, write_off.customer, write_off.document_id
            ),
        ),
        reference=open_item.number,
        memo=write_off.memo or write_off.reason.value,
    )


def reverse_write_off(
    entry: JournalEntry, *, entry_id: EntryId, date: dt.date, reason: str
) -> JournalEntry:
    """Return the entry reversing the write-off ``entry`` (the opposite postings, naming
    it in ``reverses``): what it wrote off is open again. The journal is append-only, so
    this is how a write-off is undone.

    Raises:
        ValidationError: ``entry`` is not a write-off, no reason, or ``date`` precedes it.
    """
    why = _checks.text("reason", reason)
    if entry.kind is not EntryKind.WRITE_OFF:
        raise ValidationError("entry", entry.id, "a write-off entry")
    return reverse_entry(entry, entry_id=entry_id, date=date, memo=f"reverses {entry.id}: {why}")


def unreversed_write_offs(entries: Iterable[JournalEntry]) -> list[JournalEntry]:
    """The write-off entries among ``entries`` that no entry among them reverses."""
    given = list(entries)
    reversed_ = {e.reverses for e in given if e.reverses is not None}
    return [e for e in given if e.kind is EntryKind.WRITE_OFF and e.id not in reversed_]


@attrs.frozen(slots=True)
class CreditWriteOff:
    """A request to write off (part of) a small customer credit.

    Attributes:
        id: The write-off id.
        customer: The customer.
        source: The credit (payment id or credit note id).
        amount: The amount, above zero and rounded.
        date: The posting date.
        requested_by: Who asked.
        approved_by: Who approved, when approval was needed.
        memo: Free text for the auditor.
    """

    id: WriteOffId
    customer: CustomerId
    source: str
    amount: Money = attrs.field()
    date: dt.date = attrs.field(kw_only=True)
    requested_by: str = attrs.field(kw_only=True)
    approved_by: str | None = attrs.field(default=None, kw_only=True)
    memo: str = attrs.field(default="", kw_only=True)

    @amount.validator
    def _check_amount(self, _attribute: object, value: Money) -> None:
        _checks.positive("amount", value)


def post_credit_write_off(
    write_off: CreditWriteOff,
    *,
    entry_id: EntryId,
    credit: CreditItem,
    threshold: Money | None = None,
    chart: ChartOfAccounts = DEFAULT_CHART,
) -> JournalEntry:
    """Return the entry writing off a small customer credit: Dr unapplied, Cr rounding.

    Args:
        write_off: The write-off.
        entry_id: The id of the new entry.
        credit: The credit as of the write-off date.
        threshold: Above this amount an approval is required.
        chart: The chart of accounts.

    Raises:
        ApprovalRequired: Above the threshold and not approved.
        InvalidState: More than is unapplied (invariant 4).
        ValidationError: The credit is another source, customer or currency.
    """
    if credit.source != write_off.source:
        raise ValidationError("credit", credit.source, write_off.source)
    if credit.customer != write_off.customer:
        raise ValidationError("credit.customer", credit.customer, write_off.customer)
    _checks.same_currency("amount", write_off.amount, credit.currency)
    if threshold is not None:
        _checks.same_currency("threshold", threshold, credit.currency)
        if write_off.amount > threshold and write_off.approved_by is None:
            raise ApprovalRequired(
                "write-off", write_off.id, f"{write_off.amount} is above the threshold {threshold}"
            )
    if write_off.approved_by is not None and write_off.approved_by == write_off.requested_by:
        raise SegregationOfDuties(write_off.approved_by, write_off.id)
    if write_off.amount > credit.unapplied:
        raise InvalidState(
            f"cannot write off {write_off.amount} of credit {credit.source}: only "
            f"{credit.unapplied} is unapplied",
            document_id=credit.source,
        )
    return JournalEntry(
        id=entry_id,
        date=write_off.date,
        kind=EntryKind.WRITE_OFF,
        source=write_off.id,
        lines=(
            Posting(chart.unapplied.code, write_off.amount, write_off.customer, write_off.source),
            Posting(chart.rounding.code, -write_off.amount),
        ),
        reference=credit.reference,
        memo=write_off.memo or "small credit balance",
    )


def write_off_amount(
    item: OpenItem | None,
    amount: Money | None,
    *,
    document: str,
    document_id: str,
    on: dt.date,
    history: ItemHistory | None = None,
) -> Money:
    """How much a write-off of ``document`` on ``on`` takes: ``amount``, or all that is
    open on it.

    With the document's ``history``, the limit holds at every date
    (:mod:`o2c.ledger.limits`): "all that is open" is what stays open as of ``on`` and
    every later date, and an ``amount`` beyond that is refused, so a write-off dated
    before the payment that settles the invoice cannot over-settle it.

    Args:
        item: The document's open item as of ``on`` (None: it has none).
        amount: The amount asked for, or None for all that is open.
        document: How the caller named the document (for the message).
        document_id: The document's id.
        on: The write-off date.
        history: The document's AR balance changes by date (all of them).

    Raises:
        InvalidState: Nothing is open on the document on ``on`` (or on a later date,
            with ``history``), or ``amount`` exceeds what stays open.
    """
    if item is None or not item.open.is_positive:
        raise InvalidState(f"{document} has nothing open on {on}", document_id=document_id)
    if history is None:
        return item.open if amount is None else amount
    taken = amount
    if taken is None:
        lasting = open_from(item, history, on).open
        taken = lasting if lasting.is_positive else item.open
    check_take(history, taken, on=on, action=f"write off {taken} of {document}")
    return taken
