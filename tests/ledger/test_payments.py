"""Allocation limits, unallocation with a reason, and refund states."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import InvalidState, ValidationError
from o2c.ids import CustomerId, DocumentId, EntryId, RefundId
from o2c.ledger import (
    Allocation,
    DocumentKind,
    JournalEntry,
    Refund,
    RefundStatus,
    allocate_oldest_first,
    allocations,
    credit_items,
    mark_refund_paid,
    open_items,
    post_allocation,
    post_document,
    post_payment,
    post_payment_return,
    post_unallocation,
    reject_refund,
)
from tests.ledger.conftest import invoice, money, payment

D = dt.date(2026, 10, 1)
DUE = dt.date(2026, 10, 31)


def _book() -> list[JournalEntry]:
    return [
        post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1")),
        post_document(invoice("D9", "C2", D, DUE, "70.00"), entry_id=EntryId("E2")),
        post_payment(payment("P1", "C1", D, "60.00"), entry_id=EntryId("E3")),
    ]


def test_partial_payment_leaves_the_invoice_open_for_the_rest() -> None:
    journal = _book()
    (credit,) = [c for c in credit_items(journal, D) if c.source == "P1"]
    plan = allocate_oldest_first(credit, open_items(journal, D), date=D)
    assert [(a.document_id, str(a.amount)) for a in plan] == [("D1", "60.00 USD")]
    item = next(i for i in open_items(journal, D) if i.document_id == "D1")
    journal.append(post_allocation(plan[0], entry_id=EntryId("E4"), open_item=item, credit=credit))
    assert {i.document_id: str(i.open) for i in open_items(journal, D)} == {
        "D1": "40.00 USD",
        "D9": "70.00 USD",
    }


def test_allocation_beyond_the_open_amount_is_refused() -> None:
    journal = _book()
    journal.append(post_payment(payment("P2", "C1", D, "500.00"), entry_id=EntryId("E4")))
    item = next(i for i in open_items(journal, D) if i.document_id == "D1")
    credit = next(c for c in credit_items(journal, D) if c.source == "P2")
    too_much = Allocation("P2", CustomerId("C1"), DocumentId("D1"), money("100.01"), D)
    with pytest.raises(InvalidState, match=r"only 100\.00 USD is open"):
        post_allocation(too_much, entry_id=EntryId("E5"), open_item=item, credit=credit)


def test_allocation_beyond_the_unapplied_amount_is_refused() -> None:
    journal = _book()
    item = next(i for i in open_items(journal, D) if i.document_id == "D1")
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    alloc = Allocation("P1", CustomerId("C1"), DocumentId("D1"), money("60.01"), D)
    with pytest.raises(InvalidState, match=r"only 60\.00 USD is unapplied"):
        post_allocation(alloc, entry_id=EntryId("E5"), open_item=item, credit=credit)


def test_allocation_to_another_customers_invoice_is_refused() -> None:
    journal = _book()
    item = next(i for i in open_items(journal, D) if i.document_id == "D9")
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    alloc = Allocation("P1", CustomerId("C1"), DocumentId("D9"), money("10.00"), D)
    with pytest.raises(ValidationError, match=r"open_item\.customer"):
        post_allocation(alloc, entry_id=EntryId("E5"), open_item=item, credit=credit)
    # and oldest-first never proposes it
    assert allocate_oldest_first(credit, [item], date=D) == ()


def test_unallocation_needs_a_reason_and_cannot_happen_twice() -> None:
    journal = _book()
    item = next(i for i in open_items(journal, D) if i.document_id == "D1")
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    (alloc,) = allocate_oldest_first(credit, [item], date=D)
    journal.append(post_allocation(alloc, entry_id=EntryId("E4"), open_item=item, credit=credit))
    (record,) = allocations(journal, D)
    with pytest.raises(ValidationError, match="reason"):
        post_unallocation(record, entry_id=EntryId("E5"), date=D, reason="  ")
    undo = post_unallocation(record, entry_id=EntryId("E5"), date=D, reason="wrong customer")
    assert undo.memo == "wrong customer"
    assert undo.reverses == EntryId("E4")
    journal.append(undo)
    (record,) = allocations(journal, D)
    assert record.unallocated_by == EntryId("E5")
    assert not record.is_active
    with pytest.raises(InvalidState, match="already undone by E5"):
        post_unallocation(record, entry_id=EntryId("E6"), date=D, reason="again")
    assert {i.document_id: str(i.open) for i in open_items(journal, D)}[
        DocumentId("D1")
    ] == "100.00 USD"
    assert str(next(c for c in credit_items(journal, D)).unapplied) == "60.00 USD"


def test_credit_note_credit_is_allocated_like_a_payment() -> None:
    journal = [
        post_document(invoice("D1", "C1", D, DUE, "100.00"), entry_id=EntryId("E1")),
        post_document(
            invoice("CN1", "C1", D, D, "30.00", kind=DocumentKind.CREDIT_NOTE),
            entry_id=EntryId("E2"),
        ),
    ]
    (credit,) = credit_items(journal, D)
    (alloc,) = allocate_oldest_first(credit, open_items(journal, D), date=D)
    (item,) = open_items(journal, D)
    journal.append(post_allocation(alloc, entry_id=EntryId("E3"), open_item=item, credit=credit))
    assert [str(i.open) for i in open_items(journal, D)] == ["70.00 USD"]
    assert credit_items(journal, D) == ()


def test_allocate_oldest_first_respects_a_smaller_amount() -> None:
    journal = _book()
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    plan = allocate_oldest_first(credit, open_items(journal, D), date=D, amount=money("25.00"))
    assert [str(a.amount) for a in plan] == ["25.00 USD"]
    with pytest.raises(ValidationError, match="at most the unapplied"):
        allocate_oldest_first(credit, open_items(journal, D), date=D, amount=money("60.01"))


def test_refund_can_be_rejected_and_then_never_paid() -> None:
    refund = Refund(
        RefundId("R1"),
        CustomerId("C1"),
        "P1",
        money("10.00"),
        requested_on=D,
        requested_by="ana",
        reason="asked",
    )
    rejected = reject_refund(refund, actor="luis", date=D)
    assert rejected.status is RefundStatus.REJECTED
    assert rejected.decided_by == "luis"
    with pytest.raises(InvalidState, match="only an approved refund can be paid"):
        mark_refund_paid(rejected, date=D)


def test_payment_amount_must_be_positive() -> None:
    with pytest.raises(ValidationError, match="above zero"):
        payment("P1", "C1", D, "0.00")


def test_returned_payment_is_reversed_only_once_its_allocations_are_undone() -> None:
    journal = _book()
    pay_entry = journal[2]
    item = next(i for i in open_items(journal, D) if i.document_id == "D1")
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    (alloc,) = allocate_oldest_first(credit, [item], date=D)
    journal.append(post_allocation(alloc, entry_id=EntryId("E4"), open_item=item, credit=credit))
    credit = next(c for c in credit_items(journal, D, include_used=True) if c.source == "P1")
    with pytest.raises(InvalidState, match="unallocate it"):
        post_payment_return(pay_entry, entry_id=EntryId("E5"), date=D, credit=credit, reason="R01")
    (record,) = allocations(journal, D)
    journal.append(post_unallocation(record, entry_id=EntryId("E5"), date=D, reason="R01 return"))
    credit = next(c for c in credit_items(journal, D) if c.source == "P1")
    back = post_payment_return(
        pay_entry, entry_id=EntryId("E6"), date=D, credit=credit, reason="R01 no funds"
    )
    journal.append(back)
    assert back.memo == "returned: R01 no funds"
    assert credit_items(journal, D) == ()
    assert {i.document_id: str(i.open) for i in open_items(journal, D)}[DocumentId("D1")] == (
        "100.00 USD"
    )
