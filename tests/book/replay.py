"""Re-derive a book's journal from its stored documents, payments and events.

Walks the stored entries in order and rebuilds each one from the business record it
came from, through the pure posting rules, with the state (open items, credits,
allocations) derived from the entries rebuilt so far. A sound book reproduces its journal
exactly (DESIGN.md invariant 7).
"""

from __future__ import annotations

import attrs

from o2c.billing import DocumentKind as BillingKind
from o2c.billing import DocumentStatus, post
from o2c.book import Book
from o2c.ledger import (
    Allocation,
    EntryKind,
    JournalEntry,
    allocations,
    credit_items,
    item_history,
    open_from,
    open_items,
    post_allocation,
    post_payment,
    post_unallocation,
    post_void,
)
from o2c.ledger.refunds import post_refund
from o2c.ledger.writeoffs import post_write_off
from o2c.money import Money


def replay_journal(book: Book) -> list[JournalEntry]:
    """The journal rebuilt from the book's records (compare it with ``book.journal()``)."""
    stored = book.journal()
    refunds = {str(r.id): r for r in book.list_refunds()}
    write_offs = {str(w.id): w for w in book.list_write_offs()}
    allocation_rows = {a.entry_id: a for a in book.list_allocations()}
    out: list[JournalEntry] = []
    for entry in stored:
        day = entry.date
        kind = entry.kind
        if kind in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE, EntryKind.CREDIT_NOTE):
            doc = book.get_document(entry.source)
            if doc.status is DocumentStatus.VOID:
                # Posted when it was issued; the void is its own, later entry.
                doc = attrs.evolve(doc, status=DocumentStatus.ISSUED)
            corrected = None
            if doc.kind is BillingKind.CREDIT_NOTE and doc.reference is not None:
                items = {i.document_id: i for i in open_items(out, day, include_settled=True)}
                item = items.get(doc.reference)
                if item is not None:
                    # What stays open at every later date (a back-dated credit note).
                    item = open_from(item, item_history(out, doc.reference), day)
                corrected = Money.zero(doc.currency) if item is None else item.open
                if corrected.is_negative:
                    corrected = Money.zero(doc.currency)
            out.append(post(doc, entry_id=entry.id, corrected_open=corrected))
        elif kind is EntryKind.PAYMENT:
            out.append(post_payment(book.get_payment(entry.source), entry_id=entry.id))
        elif kind is EntryKind.ALLOCATION:
            record = allocation_rows[entry.id]
            allocation = Allocation(
                record.source, record.customer, record.document_id, record.amount, record.date
            )
            item = next(
                i
                for i in open_items(out, day, include_settled=True)
                if i.document_id == record.document_id
            )
            credit = next(
                c for c in credit_items(out, day, include_used=True) if c.source == record.source
            )
            out.append(
                post_allocation(allocation, entry_id=entry.id, open_item=item, credit=credit)
            )
        elif kind is EntryKind.UNALLOCATION:
            record = next(a for a in allocations(out, day) if a.entry_id == entry.reverses)
            out.append(post_unallocation(record, entry_id=entry.id, date=day, reason=entry.memo))
        elif kind is EntryKind.VOID:
            origin = next(
                e
                for e in out
                if e.source == entry.source and e.kind in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE)
            )
            item = next(
                i
                for i in open_items(out, day, include_settled=True)
                if i.document_id == entry.source
            )
            reason = entry.memo.removeprefix("void: ")
            out.append(
                post_void(origin, entry_id=entry.id, date=day, open_item=item, reason=reason)
            )
        elif kind is EntryKind.WRITE_OFF:
            write_off = write_offs[entry.source]
            item = next(
                i
                for i in open_items(out, day, include_settled=True)
                if i.document_id == write_off.document_id
            )
            out.append(post_write_off(write_off, entry_id=entry.id, open_item=item))
        elif kind is EntryKind.REFUND:
            refund = refunds[entry.source]
            credit = next(
                c for c in credit_items(out, day, include_used=True) if c.source == refund.source
            )
            out.append(post_refund(refund, entry_id=entry.id, credit=credit))
        else:  # pragma: no cover - a kind the Book does not post
            raise AssertionError(f"unexpected entry kind {kind}")
    return out
