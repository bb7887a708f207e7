"""Issuing, voiding, crediting, paying and allocating through the Book."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.billing import DocumentStatus
from o2c.book import Book
from o2c.errors import InvalidState, PeriodClosed
from o2c.ledger import BankLine, aging_report, open_items, trial_balance
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT1 = dt.date(2026, 10, 1)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


@pytest.fixture
def acme(book: Book) -> Book:
    book.add_customer(customer("C1"))
    return book


def test_issuing_numbers_and_posts_the_invoice(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1", lines=(("SETUP", "2", "50.00"), ("API", "3", "0.50"))))
    issued = acme.issue_document("D-1", issue_date=OCT1)
    assert issued.status is DocumentStatus.ISSUED
    assert issued.number == "INV-2026-000001"
    assert issued.due_date == dt.date(2026, 10, 31)
    assert str(issued.totals.payable) == "117.74 USD"
    [item] = acme.open_items(as_of=OCT1)
    assert item.open == usd("117.74")
    assert acme.get_document("INV-2026-000001") == issued


def test_payment_allocated_oldest_first_settles_invoices(acme: Book) -> None:
    for n in (1, 2):
        acme.create_draft(invoice_draft(f"D-{n}"))
        acme.issue_document(f"D-{n}", issue_date=OCT1 + dt.timedelta(days=n))
    payment = acme.record_payment("C1", usd("150.00"), date=dt.date(2026, 10, 5), allocate=True)
    items = acme.open_items(as_of=dt.date(2026, 10, 5))
    assert [(i.number, str(i.open)) for i in items] == [("INV-2026-000002", "82.00 USD")]
    assert acme.credits(as_of=dt.date(2026, 10, 5)) == []
    assert payment.id.startswith("PAY")


def test_overpayment_stays_unapplied_and_can_be_refunded(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    pay = acme.record_payment("C1", usd("200.00"), date=OCT1, allocate=True)
    [credit] = acme.credits(as_of=OCT1)
    assert credit.unapplied == usd("84.00")
    acme.refund(pay.id, usd("84.00"), reason="overpaid", date=OCT1)
    assert acme.credits(as_of=OCT1) == []
    with pytest.raises(InvalidState, match="unapplied"):
        acme.refund(pay.id, usd("0.01"), reason="again", date=OCT1)


def test_allocation_beyond_what_is_open_is_refused_and_leaves_no_trace(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    pay = acme.record_payment("C1", usd("500.00"), date=OCT1)
    before = len(acme.journal())
    with pytest.raises(InvalidState, match=r"only 116\.00 USD is open"):
        acme.allocate(pay.id, {"INV-2026-000001": usd("116.01")}, date=OCT1)
    assert len(acme.journal()) == before


def test_void_reverses_and_keeps_the_number(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    voided = acme.void_document("D-1", reason="duplicate", date=OCT1)
    assert voided.status is DocumentStatus.VOID
    assert voided.number == "INV-2026-000001"
    assert acme.open_items(as_of=OCT1) == []


def test_paid_invoice_cannot_be_voided(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    acme.record_payment("C1", usd("10.00"), date=OCT1, allocate=True)
    with pytest.raises(InvalidState, match="credit note"):
        acme.void_document("D-1", reason="oops", date=OCT1)


def test_full_credit_note_settles_the_invoice(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    note = acme.create_credit_note("INV-2026-000001", reason="wrong_price", date=OCT1)
    assert note.number == "CN-2026-000001"
    assert str(note.totals.payable) == "116.00 USD"
    assert acme.open_items(as_of=OCT1) == []


def test_write_off_clears_the_open_amount(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    acme.record_payment("C1", usd("115.99"), date=OCT1, allocate=True)
    wo = acme.write_off("D-1", reason="small_balance", date=OCT1)
    assert wo.amount == usd("0.01")
    assert acme.open_items(as_of=OCT1) == []


def test_closed_period_refuses_postings(acme: Book) -> None:
    acme.close_period("2026-09")
    acme.create_draft(invoice_draft("D-1"))
    with pytest.raises(PeriodClosed):
        acme.issue_document("D-1", issue_date=dt.date(2026, 9, 30))
    assert acme.get_document("D-1").status is DocumentStatus.DRAFT
    assert acme.list_periods()[0].status == "closed"


def test_unallocation_makes_the_item_owed_again(acme: Book) -> None:
    acme.create_draft(invoice_draft("D-1"))
    acme.issue_document("D-1", issue_date=OCT1)
    pay = acme.record_payment("C1", usd("116.00"), date=OCT1, allocate=True)
    [record] = acme.list_allocations(source=pay.id)
    acme.unallocate(record.entry_id, reason="bounced", date=OCT1)
    [item] = acme.open_items(as_of=OCT1)
    assert item.open == usd("116.00")


def test_sql_open_items_match_the_ledger_reference(acme: Book) -> None:
    for n in range(1, 4):
        acme.create_draft(invoice_draft(f"D-{n}", lines=(("X", str(n), "10.00"),)))
        acme.issue_document(f"D-{n}", issue_date=OCT1 + dt.timedelta(days=n))
    acme.record_payment("C1", usd("20.00"), date=dt.date(2026, 10, 9), allocate=True)
    for day in (dt.date(2026, 10, 2), dt.date(2026, 10, 9), dt.date(2026, 12, 1)):
        journal = acme.journal()
        assert acme.open_items(as_of=day) == list(open_items(journal, day))
        assert trial_balance(journal, day).rows
        assert aging_report(journal, day).rows


def test_bank_statement_lines_become_applied_payments_once(acme: Book) -> None:
    acme.create_invoice(invoice_draft("D-1"), issue_date=OCT1)
    acme.create_invoice(invoice_draft("D-2"), issue_date=OCT1)
    lines = [
        BankLine(
            "camt.xml",
            1,
            OCT1,
            usd("116.00"),
            reference="BNK-1",
            remittance="pago factura INV-2026-000001",
        ),
        BankLine("camt.xml", 2, OCT1, usd("7.77"), reference="BNK-2", remittance="?"),
    ]
    result = acme.apply_bank_statement(lines)
    assert result.payments == ("BNK-1",)
    assert [ref for ref, _ in result.unmatched] == ["BNK-2"]
    assert [i.number for i in acme.open_items(as_of=OCT1)] == ["INV-2026-000002"]
    again = acme.apply_bank_statement(lines[:1])
    assert (again.payments, again.duplicates) == ((), 1)
