"""A bank line re-sent under a known reference with another amount or date is named."""

from __future__ import annotations

import datetime as dt

from o2c.book import Book
from o2c.ledger import parse_bank_csv
from tests.book.factories import customer, invoice_draft

HEADER = "date,amount,currency,reference,remittance\n"


def test_a_known_reference_with_another_amount_is_a_conflict(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=dt.date(2026, 10, 1))
    first = HEADER + "2026-10-20,116.00,USD,TX-1,INV-2026-000001\n"
    assert book.apply_bank_statement(parse_bank_csv(first, "a.csv").lines).payments == ("TX-1",)
    same = book.apply_bank_statement(parse_bank_csv(first, "a.csv").lines)
    assert (same.duplicates, same.conflicts) == (1, ())
    for changed in ("2026-10-20,160.00,USD,TX-1,INV", "2026-10-21,116.00,USD,TX-1,again"):
        resent = book.apply_bank_statement(parse_bank_csv(HEADER + changed, "b.csv").lines)
        assert (resent.payments, resent.duplicates, resent.conflicts) == ((), 1, ("TX-1",))
    assert [str(p.amount) for p in book.list_payments()] == ["116.00 USD"]
