"""Issuing a draft through the approval gate, retried with the same key: the first result."""

from __future__ import annotations

import datetime as dt

from o2c.book import Book
from o2c.cases import ApprovalRequest
from tests.book.factories import customer, invoice_draft

DAY = dt.date(2026, 10, 1)


def test_a_retried_request_issue_returns_the_issued_invoice(book: Book) -> None:
    book.add_customer(customer("C1"))
    draft = book.create_invoice(invoice_draft("X-1"), issue=False, issue_date=DAY)
    first = book.request_issue(draft.id, issue_date=DAY, idempotency_key="k-1")
    again = book.request_issue(draft.id, issue_date=DAY, idempotency_key="k-1")
    assert not isinstance(first, ApprovalRequest)
    assert not isinstance(again, ApprovalRequest)
    assert again.number == first.number is not None
    assert len(book.journal()) == 1


def test_a_retried_held_issue_returns_the_same_request(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.set_policy_settings({"approval.manual_invoice.USD": "1.00"})
    draft = book.create_invoice(invoice_draft("X-2"), issue=False, issue_date=DAY)
    first = book.request_issue(draft.id, issue_date=DAY, idempotency_key="k-2")
    again = book.request_issue(draft.id, issue_date=DAY, idempotency_key="k-2")
    assert isinstance(first, ApprovalRequest)
    assert isinstance(again, ApprovalRequest)
    assert again.id == first.id
    assert len(book.list_approvals()) == 1
