"""Open items, credit items and allocation records: the ledger's derived state.

These values are *computed* from journal entries (see :mod:`o2c.ledger.views`); the
posting verbs take them as arguments to check limits (DESIGN.md invariant 4: nothing is
allocated, refunded or written off twice or beyond its amount). The Book may also build
them from its SQL tables; :func:`o2c.ledger.reconcile` then checks them against the
journal.
"""

from __future__ import annotations

import datetime as dt
import enum

import attrs

from o2c.ids import CustomerId, DocumentId, EntryId
from o2c.money import Currency, Money

__all__ = [
    "AllocationRecord",
    "CreditItem",
    "CreditKind",
    "DocumentKind",
    "OpenItem",
    "correctable_open",
    "less_open",
    "less_unapplied",
    "settled_part",
]


class DocumentKind(enum.Enum):
    """The billing documents that post to the ledger."""

    INVOICE = "invoice"
    CREDIT_NOTE = "credit_note"
    DEBIT_NOTE = "debit_note"


class CreditKind(enum.Enum):
    """Where a customer credit (a balance on unapplied cash) comes from."""

    PAYMENT = "payment"
    CREDIT_NOTE = "credit_note"


@attrs.frozen(slots=True)
class OpenItem:
    """An invoice or debit note with what is still owed on it, as of a date.

    Attributes:
        document_id: The document id; AR postings carry it as their ``item``.
        number: The document number (``INV-2026-000042``).
        kind: Invoice or debit note.
        customer: Who owes it.
        currency: The document currency.
        document_date: The document's posting date.
        due_date: The contractual due date.
        original: The receivable the document posted (after withholdings).
        open: What is still owed: original minus allocations, credits and write-offs.
        disputed: The part under dispute, supplied by the caller (cases); aging can show it
            apart. ``None`` when nothing is disputed.
        extended_due: A due date granted by a payment extension, supplied by the caller.
    """

    document_id: DocumentId
    number: str
    kind: DocumentKind
    customer: CustomerId
    currency: Currency
    document_date: dt.date
    due_date: dt.date
    original: Money
    open: Money
    disputed: Money | None = None
    extended_due: dt.date | None = None

    @property
    def is_settled(self) -> bool:
        """Whether nothing is owed any more."""
        return self.open.is_zero

    def days_past_due(self, as_of: dt.date) -> int:
        """Days from the due date to ``as_of``; zero or negative while not overdue."""
        return (as_of - self.due_date).days


@attrs.frozen(slots=True)
class CreditItem:
    """A customer credit on unapplied cash: a payment or a credit note, and what is left.

    Attributes:
        source: The payment id or credit note id; unapplied postings carry it as ``item``.
        kind: Payment or credit note.
        customer: Whose credit it is.
        currency: Its currency.
        date: When it arose.
        reference: The bank reference or credit note number.
        original: The amount first put on unapplied cash.
        unapplied: What is still available to allocate or refund.
    """

    source: str
    kind: CreditKind
    customer: CustomerId
    currency: Currency
    date: dt.date
    reference: str
    original: Money
    unapplied: Money


@attrs.frozen(slots=True)
class AllocationRecord:
    """An allocation entry of the journal, and whether it was undone.

    Attributes:
        entry_id: The allocation entry.
        date: The allocation date.
        customer: The customer.
        source: The credit source that paid (payment or credit note id).
        document_id: The open item it settled.
        amount: The amount allocated.
        unallocated_by: The unallocation entry that undid it, if any.
    """

    entry_id: EntryId
    date: dt.date
    customer: CustomerId
    source: str
    document_id: DocumentId
    amount: Money
    unallocated_by: EntryId | None = None

    @property
    def is_active(self) -> bool:
        """Whether the allocation still stands."""
        return self.unallocated_by is None


def settled_part(item: OpenItem | None) -> Money | None:
    """What allocations, credits and write-offs took off ``item`` (None: nothing).

    A document with any of it can no longer be voided: a credit note corrects it.
    """
    if item is None or item.open == item.original:
        return None
    return item.original - item.open


def correctable_open(item: OpenItem | None, currency: Currency) -> Money:
    """What a credit note can take off the invoice ``item`` it corrects: the invoice's
    open amount, never below zero (none when the invoice has no open item).

    The rest of the credit becomes customer credit on unapplied cash (see
    :func:`o2c.ledger.posting.post_document`).
    """
    if item is None or item.open.is_negative:
        return Money.zero(currency)
    return item.open


def less_open(item: OpenItem, amount: Money) -> OpenItem:
    """``item`` after ``amount`` more of it was settled."""
    return attrs.evolve(item, open=item.open - amount)


def less_unapplied(credit: CreditItem, amount: Money) -> CreditItem:
    """``credit`` after ``amount`` more of it was applied or paid out."""
    return attrs.evolve(credit, unapplied=credit.unapplied - amount)
