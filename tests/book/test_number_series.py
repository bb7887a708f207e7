"""Number series patterns set in the book: invoices, credit notes and the bill run."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.cases import Role
from o2c.errors import PermissionDenied, ValidationError
from o2c.tax import TaxProfile
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer

OCT1 = dt.date(2026, 10, 1)


def _issue(book: Book, doc_id: str, day: dt.date = OCT1) -> str:
    book.create_draft(invoice_draft(doc_id))
    number = book.issue_document(doc_id, issue_date=day).number
    assert number is not None
    return number


def test_the_default_series_until_a_pattern_is_set(book: Book) -> None:
    book.add_customer(customer("C1"))
    assert book.number_series("invoice").pattern == "INV-{year}-{seq:06}"
    assert _issue(book, "D-1") == "INV-2026-000001"
    book.set_number_series("invoice", "F-{yy}{month}-{seq:05}")
    # A pattern with {month} counts per month; each counter stays gapless.
    assert _issue(book, "D-2") == "F-2610-00001"
    assert _issue(book, "D-3") == "F-2610-00002"
    assert _issue(book, "D-4", dt.date(2026, 11, 2)) == "F-2611-00001"
    book.set_number_series("invoice", None)
    # Back to the yearly counter, where it stopped.
    assert _issue(book, "D-5", dt.date(2026, 11, 3)) == "INV-2026-000002"


def test_credit_notes_follow_their_own_pattern(book: Book) -> None:
    book.add_customer(customer("C1"))
    number = _issue(book, "D-1")
    book.set_number_series("credit-note", "NC/{year}/{seq}")
    note = book.create_credit_note(number, reason="wrong_price", date=OCT1)
    assert note.number == "NC/2026/1"


def test_bill_runs_number_with_the_books_pattern(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    for cid in ("C1", "C2"):
        book.add_customer(mx_customer(cid))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "3", "100.00"),)))
    book.add_contract(monthly_contract("K2", "C2", (("SEAT", "1", "100.00"),), tiered=True))
    book.set_number_series("invoice", "MX-{year}-{seq:04}")
    result = book.bill_run("2026-10", issue=True)
    numbers = sorted(book.get_document(d).number or "" for d in result.document_ids)
    assert numbers == ["MX-2026-0001", "MX-2026-0002"]


def test_a_bad_pattern_or_kind_changes_nothing(book: Book) -> None:
    with pytest.raises(ValidationError, match="exactly one"):
        book.set_number_series("invoice", "INV-{year}")
    with pytest.raises(ValidationError, match="kind"):
        book.set_number_series("receipt", "R-{seq}")
    assert book.number_series("invoice").pattern == "INV-{year}-{seq:06}"
    assert [e.command for e in book.audit_log()][-1:] != ["set_number_series"]


def test_only_a_controller_changes_a_series_once_the_book_has_one(book: Book) -> None:
    book.assign_role("cy", Role.CONTROLLER)
    with pytest.raises(PermissionDenied, match="controller"):
        book.set_number_series("invoice", "X-{seq}", actor="ana")
    assert book.number_series("invoice").pattern == "INV-{year}-{seq:06}"
    book.set_number_series("invoice", "X-{seq}", actor="cy")
    assert book.number_series("invoice").pattern == "X-{seq}"
