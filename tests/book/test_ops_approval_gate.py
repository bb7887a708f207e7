"""The approval policy cannot be bypassed: base commands above a threshold are refused.

A refund, write-off, credit note or manual invoice above the book's threshold runs only
through its ``request_*`` command and another person's approval. Calling the base command
(``refund``, ``write_off``, ``create_credit_note``, ``issue_document``, ``create_invoice``)
raises :class:`~o2c.errors.ApprovalRequired` naming the action, amount, threshold and the
request command, and leaves every table of the book exactly as it was.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from o2c.billing import DocumentKind, DocumentStatus
from o2c.book import Book
from o2c.cases import ApprovalRequest, ApprovalStatus, Role
from o2c.errors import ApprovalRequired
from o2c.ledger import EntryKind
from o2c.money import Money
from o2c.tax import TaxProfile
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft, monthly_contract, mx_customer

OCT1 = dt.date(2026, 10, 1)
OCT10 = dt.date(2026, 10, 10)

Snapshot = dict[str, list[tuple[object, ...]]]


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def snapshot(book: Book) -> Snapshot:
    """Every row of every table and view: a refused command must leave all of it as it was."""
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


@pytest.fixture
def gated(book: Book) -> Book:
    """C1 owes INV-2026-000001 (116.00 USD); a 300.00 payment leaves 184.00 unapplied.

    Refunds above 50.00 and write-offs above 10.00 wait for a lead, credit notes above
    100.00 and manual invoices above 1,000.00 for a controller. ana is a specialist, bo a
    lead, cy a controller.
    """
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=OCT1)  # before the policy exists
    book.record_payment("C1", usd("300.00"), date=OCT10, reference="wire", allocate=True)
    book.assign_role("ana", Role.SPECIALIST)
    book.assign_role("bo", Role.LEAD)
    book.assign_role("cy", Role.CONTROLLER)
    book.set_policy_settings(
        {
            "approval.refund.USD": "50.00 lead",
            "approval.write_off.USD": "10.00 lead",
            "approval.credit_note.USD": "100.00 controller",
            "approval.manual_invoice.USD": "1000.00 controller",
        },
        actor="cy",
    )
    return book


def _payment(book: Book) -> str:
    [payment] = book.list_payments(customer="C1")
    return str(payment.id)


def test_a_refund_above_the_limit_is_refused_unless_approved(gated: Book) -> None:
    source = _payment(gated)
    before = snapshot(gated)
    with pytest.raises(ApprovalRequired) as refused:
        gated.refund(source, usd("60.00"), reason="overpaid", date=OCT10, actor="ana")
    message = str(refused.value)
    assert message.startswith(
        "refund needs approval (refund of 60.00 USD exceeds the limit of 50.00 USD); "
        "nothing was done: request it with Book.request_refund() or `o2c refund request`"
    )
    assert (refused.value.amount, refused.value.limit) == (usd("60.00"), usd("50.00"))
    assert refused.value.approval_id is None
    assert snapshot(gated) == before

    held = gated.request_refund(source, usd("60.00"), reason="overpaid", date=OCT10, actor="ana")
    assert isinstance(held, ApprovalRequest)
    decided = gated.approve_request(held.id, date=OCT10, actor="bo")
    assert decided.request.status is ApprovalStatus.APPROVED
    [refund] = gated.list_refunds(customer="C1")
    assert (refund.id, refund.amount) == (decided.result_id, usd("60.00"))
    assert (refund.requested_by, refund.decided_by) == ("ana", "bo")  # four eyes on record
    assert gated.credits(as_of=OCT10)[0].unapplied == usd("124.00")


def test_a_refund_under_the_limit_still_runs_directly(gated: Book) -> None:
    refund = gated.refund(_payment(gated), usd("50.00"), reason="overpaid", date=OCT10)
    assert refund.amount == usd("50.00")


def test_a_write_off_of_all_that_is_open_is_measured_and_refused(gated: Book) -> None:
    gated.create_draft(invoice_draft("D-2", lines=(("SETUP", "1", "20.00"),)))
    number = str(gated.issue_document("D-2", issue_date=OCT1).number)  # 23.20 open
    before = snapshot(gated)
    with pytest.raises(
        ApprovalRequired,
        match=r"^write-off needs approval \(write_off of 23\.20 USD exceeds the limit of "
        r"10\.00 USD\); nothing was done: request it with Book\.request_write_off\(\) or "
        r"`o2c writeoff request`",
    ):
        gated.write_off(number, date=OCT10, actor="ana")
    assert snapshot(gated) == before
    held = gated.request_write_off(number, date=OCT10, actor="ana")
    assert isinstance(held, ApprovalRequest)
    gated.approve_request(held.id, date=OCT10, actor="bo")
    [done] = gated.list_write_offs(customer="C1")
    assert (done.amount, done.requested_by, done.approved_by) == (usd("23.20"), "ana", "bo")


def test_a_credit_note_above_the_limit_is_refused_and_its_draft_cannot_be_issued(
    gated: Book,
) -> None:
    before = snapshot(gated)
    with pytest.raises(
        ApprovalRequired,
        match=r"^credit note needs approval \(credit_note of 116\.00 USD exceeds the limit of "
        r"100\.00 USD\); nothing was done: request it with Book\.request_credit_note\(\)",
    ):
        gated.create_credit_note("INV-2026-000001", reason="goodwill", date=OCT10, actor="ana")
    assert snapshot(gated) == before

    # A draft changes no balance, so it may be stored; issuing it is held like the note.
    draft = gated.create_credit_note(
        "INV-2026-000001", reason="goodwill", issue=False, date=OCT10, actor="ana"
    )
    assert draft.status is DocumentStatus.DRAFT
    before = snapshot(gated)
    with pytest.raises(ApprovalRequired, match=r"Book\.request_issue\(\)"):
        gated.issue_document(draft.id, issue_date=OCT10, actor="ana")
    assert snapshot(gated) == before

    held = gated.request_issue(draft.id, issue_date=OCT10, actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert (held.action.value, held.amount) == ("credit_note", usd("116.00"))
    with pytest.raises(ApprovalRequired):  # still refused while the request is pending
        gated.issue_document(draft.id, issue_date=OCT10, actor="cy")
    decided = gated.approve_request(held.id, date=OCT10, actor="cy")
    issued = gated.get_document(str(decided.result_id))
    assert (issued.kind, issued.status, issued.totals.payable) == (
        DocumentKind.CREDIT_NOTE,
        DocumentStatus.ISSUED,
        usd("116.00"),
    )


def test_an_approved_credit_note_request_issues_the_note(gated: Book) -> None:
    held = gated.request_credit_note("INV-2026-000001", reason="goodwill", date=OCT10, actor="ana")
    assert isinstance(held, ApprovalRequest)
    decided = gated.approve_request(held.id, date=OCT10, actor="cy")
    note = gated.get_document(str(decided.result_id))
    assert note.totals.payable == usd("116.00")
    assert [e.kind for e in gated.journal(source=note.id)] == [EntryKind.CREDIT_NOTE]


def test_a_manual_invoice_above_the_limit_is_refused_unless_approved(gated: Book) -> None:
    big = invoice_draft("D-BIG", lines=(("CONSULTING", "10", "100.00"),))  # 1,160.00
    before = snapshot(gated)
    with pytest.raises(
        ApprovalRequired,
        match=r"^manual invoice needs approval \(manual_invoice of 1160\.00 USD exceeds the "
        r"limit of 1000\.00 USD\); nothing was done: request it with "
        r"Book\.request_manual_invoice\(\) or `o2c approval request invoice DRAFT`",
    ):
        gated.create_invoice(big, issue_date=OCT10, actor="ana")
    assert snapshot(gated) == before

    gated.create_draft(big, actor="ana")
    before = snapshot(gated)
    with pytest.raises(ApprovalRequired, match="manual invoice needs approval"):
        gated.issue_document("D-BIG", issue_date=OCT10, actor="ana")
    assert snapshot(gated) == before

    held = gated.request_manual_invoice("D-BIG", issue_date=OCT10, actor="ana")
    assert isinstance(held, ApprovalRequest)
    decided = gated.approve_request(held.id, date=OCT10, actor="cy")
    issued = gated.get_document("D-BIG")
    assert (issued.status, issued.number, decided.result_id) == (
        DocumentStatus.ISSUED,
        "INV-2026-000002",
        "D-BIG",
    )


def test_a_small_manual_invoice_is_issued_directly(gated: Book) -> None:
    small = invoice_draft("D-SMALL", lines=(("CONSULTING", "1", "100.00"),))
    assert gated.create_invoice(small, issue_date=OCT10).status is DocumentStatus.ISSUED


def test_bill_run_drafts_are_not_manual_invoices(book: Book) -> None:
    book.set_seller(TaxProfile("MX", tax_id="AAA010101AAA"))
    book.add_customer(mx_customer("C1"))
    book.add_contract(monthly_contract("K1", "C1", (("SEAT", "30", "100.00"),)))
    book.set_policy_settings({"approval.manual_invoice.MXN": "1.00 lead"})
    [doc_id] = book.bill_run("2026-10", issue=False).document_ids
    issued = book.issue_document(doc_id, issue_date=dt.date(2026, 11, 1))
    assert issued.status is DocumentStatus.ISSUED
    assert issued.totals.payable.amount > 1
    [second] = book.bill_run("2026-11", issue=False).document_ids
    through_request = book.request_issue(second, issue_date=dt.date(2026, 12, 1))
    assert not isinstance(through_request, ApprovalRequest)
    assert through_request.status is DocumentStatus.ISSUED


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(limit=st.integers(0, 30_000), cents=st.integers(1, 18_400))
def test_a_base_refund_runs_exactly_when_the_policy_lets_it_else_changes_nothing(
    limit: int, cents: int
) -> None:
    book = Book.open(
        ":memory:", actor="ana", clock=FakeClock(dt.datetime(2026, 10, 1, tzinfo=dt.UTC))
    )
    try:
        book.add_customer(customer("C1"))
        book.create_draft(invoice_draft("D-1"))
        book.issue_document("D-1", issue_date=OCT1)
        pay = book.record_payment("C1", usd("300.00"), date=OCT10, allocate=True)  # 184 left
        threshold = Money.from_minor(limit, "USD")
        book.set_policy_settings({"approval.refund.USD": f"{threshold.amount} any"})
        amount = Money.from_minor(cents, "USD")
        before = snapshot(book)
        if amount > threshold:
            with pytest.raises(ApprovalRequired) as refused:
                book.refund(pay.id, amount, reason="overpaid", date=OCT10)
            assert (refused.value.amount, refused.value.limit) == (amount, threshold)
            assert snapshot(book) == before
        else:
            assert book.refund(pay.id, amount, reason="overpaid", date=OCT10).amount == amount
            [paid] = book.list_refunds()
            assert (paid.requested_by, paid.decided_by) == ("ana", "ana")
            # A refund of the whole credit leaves no credit item at all.
            left = book.credits(as_of=OCT10)
            assert (left[0].unapplied if left else usd("0.00")) == usd("184.00") - amount
    finally:
        book.close()
