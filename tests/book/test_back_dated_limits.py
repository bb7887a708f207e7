"""Back-dated commands through the Book: every limit holds at the command's date and at
every later date (issue 25).

INV-2026-000001 (116.00 USD, issued Oct 1) is paid in full on Nov 10. Commands dated
Nov 5, before that payment, are refused (void, write-off, a second allocation) or take
only what stays open (a credit note: the rest is customer credit), and a refused
command leaves the book as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.billing import DocumentStatus
from o2c.book import Book
from o2c.errors import InvalidState
from o2c.ledger import validate_journal
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.book.replay import replay_journal

OCT1 = dt.date(2026, 10, 1)
NOV5 = dt.date(2026, 11, 5)
NOV10 = dt.date(2026, 11, 10)
NOV30 = dt.date(2026, 11, 30)
INV = "INV-2026-000001"


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def paid(book: Book) -> Book:
    """INV-2026-000001 of 116.00 USD issued Oct 1, paid and applied on Nov 10."""
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=OCT1)
    book.record_payment("C1", usd("116.00"), date=NOV10, payment_id="BANK-1", allocate=True)
    return book


def _open(book: Book, day: dt.date) -> list[tuple[str, str]]:
    return [(i.number, str(i.open)) for i in book.open_items(as_of=day)]


def test_voiding_a_paid_invoice_dated_before_its_payment_is_refused(paid: Book) -> None:
    before = paid.journal()
    with pytest.raises(InvalidState) as caught:
        paid.void_document(INV, reason="duplicate", date=NOV5)
    assert str(caught.value) == (
        f"invoice {INV} cannot be voided on 2026-11-05: 116.00 USD of it is settled on "
        "2026-11-10 by payments, credits or write-offs; issue a credit note instead"
    )
    assert paid.journal() == before
    assert paid.get_document(INV).status is DocumentStatus.ISSUED


def test_second_payment_back_dated_cannot_be_allocated_to_a_paid_invoice(paid: Book) -> None:
    second = paid.record_payment("C1", usd("116.00"), date=NOV5, payment_id="BANK-2")
    before = paid.journal()
    with pytest.raises(InvalidState) as caught:
        paid.allocate(second.id, {INV: usd("116.00")}, date=NOV5)
    assert str(caught.value) == (
        f"cannot allocate 116.00 USD to {INV} on 2026-11-05: only 0.00 USD of it is open on "
        "2026-11-10 (entries dated after 2026-11-05 take the rest)"
    )
    assert paid.journal() == before
    # Oldest first skips what a later payment settles; the cash stays unapplied.
    assert paid.allocate(second.id, date=NOV5) == []
    assert [(c.source, str(c.unapplied)) for c in paid.credits(as_of=NOV30)] == [
        ("BANK-2", "116.00 USD")
    ]
    assert _open(paid, NOV30) == []


def test_partial_payment_later_leaves_only_the_rest_to_allocate_back_dated(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=OCT1)
    book.record_payment("C1", usd("100.00"), date=NOV10, allocate=True)
    second = book.record_payment("C1", usd("50.00"), date=NOV5, payment_id="BANK-2")
    [made] = book.allocate(second.id, date=NOV5)
    assert made.amount == usd("16.00")
    assert _open(book, NOV5) == [(INV, "100.00 USD")]
    assert _open(book, NOV30) == []
    assert [(c.source, str(c.unapplied)) for c in book.credits(as_of=NOV30)] == [
        ("BANK-2", "34.00 USD")
    ]
    assert validate_journal(book.journal()) == ()


def test_credit_note_dated_before_the_payment_of_a_paid_invoice_is_customer_credit(
    paid: Book,
) -> None:
    note = paid.create_credit_note(INV, reason="wrong_price", date=NOV5)
    assert str(note.totals.payable) == "116.00 USD"
    # On Nov 5 the invoice keeps what the Nov 10 payment settles; the credit note is
    # customer credit the customer can be refunded, and nothing goes below zero.
    assert _open(paid, NOV5) == [(INV, "116.00 USD")]
    assert _open(paid, NOV30) == []
    assert [(c.reference, str(c.unapplied)) for c in paid.credits(as_of=NOV30)] == [
        ("CN-2026-000001", "116.00 USD")
    ]
    assert validate_journal(paid.journal()) == ()
    # Re-deriving the journal from the stored records reproduces it (invariant 7).
    assert replay_journal(paid) == paid.journal()


def test_write_off_dated_before_the_payment_of_a_paid_invoice_is_refused(paid: Book) -> None:
    before = paid.journal()
    with pytest.raises(InvalidState) as caught:
        paid.write_off(INV, date=NOV5)
    assert str(caught.value) == (
        f"cannot write off 116.00 USD of {INV} on 2026-11-05: only 0.00 USD of it is open on "
        "2026-11-10 (entries dated after 2026-11-05 take the rest)"
    )
    assert paid.journal() == before
    assert paid.list_write_offs() == []


def test_refund_dated_before_the_credit_is_applied_is_refused(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=OCT1)
    pay = book.record_payment("C1", usd("116.00"), date=NOV5, payment_id="BANK-1")
    book.allocate(pay.id, {INV: usd("116.00")}, date=NOV10)
    before = book.journal()
    with pytest.raises(InvalidState) as caught:
        book.refund(pay.id, usd("116.00"), reason="asked", date=dt.date(2026, 11, 6))
    assert str(caught.value) == (
        "cannot refund 116.00 USD from BANK-1 on 2026-11-06: only 0.00 USD of it is "
        "unapplied on 2026-11-10 (entries dated after 2026-11-06 take the rest)"
    )
    assert book.journal() == before
