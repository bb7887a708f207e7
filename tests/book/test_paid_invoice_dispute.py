"""A paid invoice can be disputed: customers dispute after paying (issue 25).

INV-2026-000001 (D-1): 100.00 + 16 % tax = 116.00 USD, issued Oct 1. A goodwill credit
note of 10.00 net (11.60) on Oct 10 leaves 104.40, which the customer pays on Oct 20.
On Nov 2 they dispute the price. What may be disputed is what the invoice billed net of
earlier credits, 104.40 (not what is open, 0.00). Crediting the dispute on Nov 5 issues a
credit note of 90.00 + 14.40 tax = 104.40, which becomes customer credit (the invoice is
paid), shown as unapplied credit in aging and a negative closing balance on the
statement, and refunded on Nov 9.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.cases import DisputeStatus, Resolution
from o2c.errors import InvalidState
from o2c.ledger import validate_journal
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.book.replay import replay_journal

INV = "INV-2026-000001"
NOV2, NOV5, NOV9, NOV30 = (dt.date(2026, 11, d) for d in (2, 5, 9, 30))


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def paid(book: Book) -> Book:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=dt.date(2026, 10, 1))
    book.create_credit_note(INV, reason="goodwill", amount=usd("10.00"), date=dt.date(2026, 10, 10))
    book.record_payment(
        "C1", usd("104.40"), date=dt.date(2026, 10, 20), payment_id="BANK-1", allocate=True
    )
    assert book.open_items(as_of=NOV2) == []
    return book


def test_paid_invoice_dispute_is_credited_and_refunded_end_to_end(paid: Book) -> None:
    with pytest.raises(InvalidState, match=r"exceeds the 104\.40 USD still open to dispute"):
        paid.open_dispute(INV, reason="wrong_price", amount=usd("104.41"), date=NOV2)
    dispute = paid.open_dispute(INV, reason="wrong_price", date=NOV2)
    assert dispute.amount == usd("104.40")
    assert dispute.status is DisputeStatus.OPEN
    # While it is open: nothing is owed, so aging has nothing to take apart.
    during = paid.aging(NOV2).total("USD")
    assert (str(during.total), str(during.disputed), str(during.unapplied)) == (
        "0.00 USD",
        "0.00 USD",
        "0.00 USD",
    )

    done = paid.credit_dispute(dispute.id, date=NOV5)
    assert done.status is DisputeStatus.RESOLVED
    assert done.resolution is Resolution.CREDITED
    assert done.credit_note_id is not None
    note = paid.get_document(done.credit_note_id)
    assert (note.number, str(note.totals.net), str(note.totals.tax), str(note.totals.payable)) == (
        "CN-2026-000002",
        "90.00 USD",
        "14.40 USD",
        "104.40 USD",
    )
    # The invoice was paid: the whole credit is customer credit, to refund or apply.
    assert [(c.reference, str(c.unapplied)) for c in paid.credits(as_of=NOV30)] == [
        ("CN-2026-000002", "104.40 USD")
    ]
    aged = paid.aging(NOV30).total("USD")
    assert (str(aged.total), str(aged.disputed), str(aged.unapplied)) == (
        "0.00 USD",
        "0.00 USD",
        "104.40 USD",
    )
    before = paid.statement("C1", dt.date(2026, 10, 1), NOV30)
    assert [(ln.reference, str(ln.amount), str(ln.balance)) for ln in before.lines] == [
        (INV, "116.00 USD", "116.00 USD"),
        ("CN-2026-000001", "-11.60 USD", "104.40 USD"),
        ("BANK-1", "-104.40 USD", "0.00 USD"),
        ("CN-2026-000002", "-104.40 USD", "-104.40 USD"),
    ]
    assert (str(before.closing), str(before.unapplied)) == ("-104.40 USD", "104.40 USD")

    refund = paid.refund(done.credit_note_id, usd("104.40"), reason="dispute credited", date=NOV9)
    assert refund.amount == usd("104.40")
    assert paid.credits(as_of=NOV30) == []
    after = paid.statement("C1", dt.date(2026, 10, 1), NOV30)
    assert (str(after.closing), str(after.unapplied)) == ("0.00 USD", "0.00 USD")
    assert validate_journal(paid.journal()) == ()
    assert replay_journal(paid) == paid.journal()


def test_part_of_a_paid_invoice_disputed_and_credited_is_customer_credit(paid: Book) -> None:
    dispute = paid.open_dispute(INV, reason="wrong_price", amount=usd("23.20"), date=NOV2)
    assert dispute.amount == usd("23.20")
    # Another dispute may hold only the rest: 104.40 - 23.20 = 81.20.
    rest = paid.open_dispute(INV, reason="quality", date=NOV2)
    assert rest.amount == usd("81.20")
    paid.reject_dispute(rest.id, comment="as ordered", date=NOV2)
    paid.credit_dispute(dispute.id, amount=usd("20.00"), date=NOV5)
    assert [(c.reference, str(c.unapplied)) for c in paid.credits(as_of=NOV30)] == [
        ("CN-2026-000002", "23.20 USD")
    ]
    assert paid.open_items(as_of=NOV30) == []


def test_partly_paid_invoice_credit_takes_the_open_rest_first(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=dt.date(2026, 10, 1))
    book.record_payment("C1", usd("100.00"), date=dt.date(2026, 10, 20), allocate=True)
    dispute = book.open_dispute(INV, reason="wrong_price", amount=usd("46.40"), date=NOV2)
    assert dispute.amount == usd("46.40")  # more than the 16.00 open: 100.00 was paid
    book.credit_dispute(dispute.id, amount=usd("40.00"), date=NOV5)
    # 46.40 credited: 16.00 settles what was open, 30.40 is customer credit.
    assert book.open_items(as_of=NOV30) == []
    assert [str(c.unapplied) for c in book.credits(as_of=NOV30)] == ["30.40 USD"]
