"""Replaying documents and payments through the pure posting rules reproduces the journal."""

from __future__ import annotations

import datetime as dt

from o2c.book import Book
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.book.replay import replay_journal

OCT1 = dt.date(2026, 10, 1)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def test_replaying_documents_and_payments_reproduces_the_journal_exactly(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.add_customer(customer("C2"))
    for n, cid in enumerate(("C1", "C1", "C2", "C1"), start=1):
        book.create_invoice(
            invoice_draft(f"D-{n}", cid, lines=(("SEAT", str(n), "33.33"), ("API", "7", "0.015"))),
            issue_date=OCT1 + dt.timedelta(days=n),
        )
    pay = book.record_payment("C1", usd("100.00"), date=dt.date(2026, 10, 10), allocate=True)
    book.record_payment("C2", usd("500.00"), date=dt.date(2026, 10, 11), allocate=True)
    book.create_credit_note("D-2", reason="wrong_price", date=dt.date(2026, 10, 12))
    book.void_document("D-4", reason="duplicate", date=dt.date(2026, 10, 12))
    [first] = book.list_allocations(source=pay.id)[:1]
    book.unallocate(first.entry_id, reason="bounced", date=dt.date(2026, 10, 13))
    book.write_off("D-1", usd("0.05"), reason="small_balance", date=dt.date(2026, 10, 14))
    [credit] = book.credits(as_of=dt.date(2026, 10, 14), customer="C2")
    book.refund(credit.source, usd("10.00"), reason="overpaid", date=dt.date(2026, 10, 15))
    stored = book.journal()
    assert len(stored) >= 12
    assert replay_journal(book) == stored
