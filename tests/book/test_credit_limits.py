"""Credit limits that act: the exposure against Customer.credit_limit, and credit holds.

C1 has a credit limit of 1,000.00 USD and owes INV-2026-000001 (116.00, due 2026-10-31).
A manual invoice that would take it past the limit, or to a customer on credit hold,
needs a lead's approval; the base command refuses it and leaves the book as it was.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.book import Book
from o2c.cases import ApprovalRequest, ApprovalStatus, Role
from o2c.errors import ApprovalRequired
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT_1, OCT_5 = dt.date(2026, 10, 1), dt.date(2026, 10, 5)
BIG = (("SETUP", "1", "800.00"),)  # 800.00 + 16 % = 928.00


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _book(book: Book) -> None:
    book.add_customer(attrs.evolve(customer("C1"), credit_limit=usd("1000.00")))
    book.add_customer(customer("C2", name="No Limit LLC"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=OCT_1)


def _count(book: Book, table: str) -> int:
    row = book.store.query_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def test_the_exposure_is_open_items_less_unused_credit_plus_the_candidate(book: Book) -> None:
    _book(book)
    check = book.credit_check("C1", amount=usd("928.00"), as_of=OCT_5)
    assert (str(check.receivable), str(check.unapplied), str(check.exposure)) == (
        "116.00 USD",
        "0.00 USD",
        "1044.00 USD",
    )
    assert (str(check.headroom), check.over_limit, check.on_hold) == ("884.00 USD", True, False)
    assert check.reason == (
        "exposure 1044.00 USD (open 116.00 USD - unapplied 0.00 USD + this invoice 928.00 USD)"
        " is over the credit limit 1000.00 USD"
    )
    book.record_payment("C1", usd("50.00"), date=OCT_5)  # not applied: still the customer's
    check = book.credit_check("C1", amount=usd("928.00"), as_of=OCT_5)
    assert (str(check.exposure), check.blocked, check.reason) == ("994.00 USD", False, None)


def test_exactly_at_the_limit_is_not_over_it(book: Book) -> None:
    _book(book)
    assert not book.credit_check("C1", amount=usd("884.00"), as_of=OCT_5).blocked
    assert book.credit_check("C1", amount=usd("884.01"), as_of=OCT_5).blocked


def test_a_manual_invoice_past_the_limit_is_refused_and_changes_nothing(book: Book) -> None:
    _book(book)
    tables = {t: _count(book, t) for t in ("documents", "journal_lines", "audit_events")}
    with pytest.raises(ApprovalRequired, match=r"over the credit limit 1000\.00 USD") as caught:
        book.create_invoice(invoice_draft("D2", "C1", BIG), issue_date=OCT_5)
    assert "request_manual_invoice" in str(caught.value)
    assert {t: _count(book, t) for t in tables} == tables


def test_a_manual_invoice_past_the_limit_waits_for_a_leads_approval(book: Book) -> None:
    _book(book)
    book.assign_role("ana", Role.SPECIALIST)
    book.assign_role("lee", Role.LEAD)
    book.assign_role("cy", Role.CONTROLLER)
    book.create_draft(invoice_draft("D2", "C1", BIG))
    held = book.request_manual_invoice("D2", issue_date=OCT_5, actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert (held.status, held.required_role, str(held.amount)) == (
        ApprovalStatus.PENDING,
        Role.LEAD,
        "928.00 USD",
    )
    assert held.reason.endswith("is over the credit limit 1000.00 USD")
    assert book.get_document("D2").number is None
    book.approve_request(held.id, date=OCT_5, actor="lee")
    issued = book.get_document("D2")
    assert issued.number == "INV-2026-000002"
    check = book.credit_check("C1", as_of=OCT_5)
    assert (str(check.receivable), str(check.headroom)) == ("1044.00 USD", "-44.00 USD")


def test_within_the_limit_a_manual_invoice_is_issued_at_once(book: Book) -> None:
    _book(book)
    book.create_draft(invoice_draft("D2", "C1"))
    issued = book.request_manual_invoice("D2", issue_date=OCT_5)
    assert not isinstance(issued, ApprovalRequest)
    assert issued.number == "INV-2026-000002"


def test_a_customer_on_credit_hold_gets_no_manual_invoice_without_approval(book: Book) -> None:
    _book(book)
    day = dt.date(2026, 12, 20)  # 50 days past due: the default policy's credit hold
    assert book.run_dunning(day).credit_holds == ("C1",)
    check = book.credit_check("C1", amount=usd("11.60"), as_of=day)
    assert (check.on_hold, check.over_limit, check.reason) == (
        True,
        False,
        "customer C1 is on credit hold",
    )
    with pytest.raises(ApprovalRequired, match="customer C1 is on credit hold"):
        book.create_invoice(invoice_draft("D2", "C1", (("X", "1", "10.00"),)), issue_date=day)
    # Paid up, the hold ends by itself and the invoice goes out.
    book.record_payment("C1", usd("116.00"), date=day, allocate=True)
    assert not book.credit_check("C1", as_of=day).on_hold
    book.create_invoice(invoice_draft("D2", "C1", (("X", "1", "10.00"),)), issue_date=day)


def test_a_customer_without_a_limit_is_only_checked_for_a_hold(book: Book) -> None:
    _book(book)
    check = book.credit_check("C2", amount=usd("1000000.00"), as_of=OCT_5)
    assert (check.limit, check.headroom, check.blocked) == (None, None, False)
    book.create_invoice(invoice_draft("D2", "C2", (("X", "1000", "1000.00"),)), issue_date=OCT_5)


def test_an_amount_in_another_currency_is_not_measured_against_the_limit(book: Book) -> None:
    _book(book)
    check = book.credit_check("C1", amount=Money.of("5000.00", "EUR"), as_of=OCT_5)
    assert (check.measured, check.over_limit, str(check.exposure)) == (False, False, "116.00 USD")
