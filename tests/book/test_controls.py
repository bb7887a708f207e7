"""Controls on a team's book: who may void, refund limits per customer and day, the auditor.

The defects these pin (issue 25): an actor with no role voided an issued invoice of
3,039.20 MXN, the auditor could issue invoices and write-offs, and six refunds each under
the 500.00 MXN limit moved 800.04 MXN without anyone approving them.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.billing import DocumentStatus
from o2c.book import Book
from o2c.cases import ApprovalRequest, ApprovalStatus, Role
from o2c.errors import (
    ApprovalRequired,
    CommandNotPermitted,
    InvalidState,
    SegregationOfDuties,
    ValidationError,
)
from o2c.ledger import EntryKind, Refund
from o2c.money import Money
from tests.book.factories import customer, invoice_draft, mx_customer

OCT1, OCT5, OCT6 = dt.date(2026, 10, 1), dt.date(2026, 10, 5), dt.date(2026, 10, 6)

Snapshot = dict[str, list[tuple[object, ...]]]


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


def snapshot(book: Book) -> Snapshot:
    """Every row of every table and view: a refused command must leave all of it as it was."""
    return {
        name: sorted((tuple(row) for row in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


def _mx_invoice(book: Book, doc_id: str, net: str) -> str:
    draft = invoice_draft(doc_id, cid="CMX", lines=(("SERVICIO", "1", net),), currency="MXN")
    book.create_draft(draft)
    number = book.issue_document(doc_id, issue_date=OCT1).number
    assert number is not None
    return number


@pytest.fixture
def team(book: Book) -> Book:
    """An MXN book: CMX owes INV-2026-000001 (2,620.00 + 16 % IVA = 3,039.20 MXN).

    cy is the controller, bo a lead, ana a specialist, dee the auditor; voids above
    1,000.00 MXN and refunds above 500.00 MXN wait for a lead.
    """
    book.add_customer(mx_customer("CMX"))
    _mx_invoice(book, "D-1", "2620.00")
    book.assign_role("cy", Role.CONTROLLER)
    for person, role in (("bo", Role.LEAD), ("ana", Role.SPECIALIST), ("dee", Role.AUDITOR)):
        book.assign_role(person, role, actor="cy")
    book.set_policy_settings(
        {"approval.void.MXN": "1000.00 lead", "approval.refund.MXN": "500.00 lead"}, actor="cy"
    )
    return book


# -- voids ---------------------------------------------------------------------------------


def test_an_actor_without_a_role_cannot_void_an_issued_invoice(team: Book) -> None:
    assert team.get_document("INV-2026-000001").totals.payable == mxn("3039.20")
    before = snapshot(team)
    with pytest.raises(CommandNotPermitted) as refused:
        team.void_document("INV-2026-000001", reason="duplicate", date=OCT5, actor="mallory")
    assert str(refused.value) == (
        "mallory holds no role; only a specialist, lead or controller may void documents "
        "(void_document)"
    )
    assert (refused.value.actor, refused.value.command) == ("mallory", "void_document")
    assert refused.value.allowed == ("specialist", "lead", "controller")
    assert snapshot(team) == before


def test_a_void_above_the_limit_is_refused_without_an_approval(team: Book) -> None:
    before = snapshot(team)
    with pytest.raises(ApprovalRequired) as refused:
        team.void_document("INV-2026-000001", reason="duplicate", date=OCT5, actor="ana")
    assert str(refused.value).startswith(
        "void needs approval (void of 3039.20 MXN exceeds the limit of 1000.00 MXN); "
        "nothing was done: request it with Book.request_void() or "
        "`o2c approval request void DOCUMENT`"
    )
    assert (refused.value.amount, refused.value.limit) == (mxn("3039.20"), mxn("1000.00"))
    assert snapshot(team) == before


def test_a_void_above_the_limit_runs_when_someone_else_approves_it(team: Book) -> None:
    held = team.request_void("INV-2026-000001", reason="duplicate", date=OCT5, actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert (held.action.value, held.amount, held.required_role) == (
        "void",
        mxn("3039.20"),
        Role.LEAD,
    )
    assert held.reason == "void of 3039.20 MXN exceeds the limit of 1000.00 MXN"
    assert team.get_document("D-1").status is DocumentStatus.ISSUED
    before = snapshot(team)
    with pytest.raises(SegregationOfDuties):
        team.approve_request(held.id, date=OCT6, actor="ana")
    with pytest.raises(ApprovalRequired):  # still refused directly while it waits
        team.void_document("INV-2026-000001", reason="duplicate", date=OCT6, actor="bo")
    assert snapshot(team) == before

    decided = team.approve_request(held.id, comment="sent twice", date=OCT6, actor="bo")
    assert (decided.request.status, decided.result_id) == (ApprovalStatus.APPROVED, "D-1")
    voided = team.get_document("D-1")
    assert (voided.status, voided.number) == (DocumentStatus.VOID, "INV-2026-000001")
    kinds = [e.kind for e in team.journal(source="D-1")]
    assert kinds == [EntryKind.INVOICE, EntryKind.VOID]
    assert team.open_items(as_of=OCT6) == []
    events = [(e.command, e.actor) for e in team.audit_log()][-2:]
    assert events == [("void_document", "ana"), ("approve_request", "bo")]


def test_a_void_under_the_limit_needs_no_approval(team: Book) -> None:
    number = _mx_invoice(team, "D-2", "500.00")  # 580.00 MXN
    done = team.request_void(number, reason="wrong customer", date=OCT5, actor="ana")
    assert not isinstance(done, ApprovalRequest)
    assert done.status is DocumentStatus.VOID
    assert team.list_approvals() == []


def test_a_void_request_for_a_paid_invoice_is_refused_at_once(team: Book) -> None:
    team.record_payment("CMX", mxn("3039.20"), date=OCT5, allocate=True, actor="ana")
    before = snapshot(team)
    with pytest.raises(InvalidState):
        team.request_void("INV-2026-000001", reason="duplicate", date=OCT5, actor="ana")
    with pytest.raises(ValidationError, match="reason"):
        team.request_void("INV-2026-000001", reason=" ", date=OCT5, actor="ana")
    assert snapshot(team) == before


# -- refunds: the limit holds per customer and day, not only per request -------------------


@pytest.fixture
def credit(team: Book) -> str:
    """CMX paid 4,000.00 MXN: 3,039.20 settles the invoice, 960.80 is unapplied."""
    pay = team.record_payment("CMX", mxn("4000.00"), date=OCT1, allocate=True, actor="ana")
    return str(pay.id)


def test_six_refunds_under_the_limit_cannot_move_more_than_the_limit_in_a_day(
    team: Book, credit: str
) -> None:
    for _ in range(3):
        team.refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
    before = snapshot(team)
    with pytest.raises(ApprovalRequired) as refused:
        team.refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
    assert str(refused.value).startswith(
        "refund needs approval (refund of 133.34 MXN brings CMX's refund total on "
        "2026-10-05 to 533.36 MXN (400.02 MXN before it), over the daily limit of "
        "500.00 MXN); nothing was done"
    )
    assert (refused.value.amount, refused.value.limit) == (mxn("133.34"), mxn("500.00"))
    assert snapshot(team) == before
    assert sum((r.amount for r in team.list_refunds()), mxn("0")) == mxn("400.02")


def test_the_refund_that_would_pass_the_days_limit_waits_for_a_lead(
    team: Book, credit: str
) -> None:
    done = [
        team.request_refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
        for _ in range(6)
    ]
    assert [isinstance(d, Refund) for d in done] == [True, True, True, False, False, False]
    held = [d for d in done if isinstance(d, ApprovalRequest)]
    assert {h.required_role for h in held} == {Role.LEAD}
    assert held[0].reason == (
        "refund of 133.34 MXN brings CMX's refund total on 2026-10-05 to 533.36 MXN "
        "(400.02 MXN before it), over the daily limit of 500.00 MXN"
    )
    # Approved refunds were seen by a lead: they do not count against the day's limit.
    for request in held:
        team.approve_request(request.id, date=OCT5, actor="bo")
    assert sum((r.amount for r in team.list_refunds()), mxn("0")) == mxn("800.04")
    assert team.request_refund(credit, mxn("99.98"), reason="rest", date=OCT5, actor="ana")
    assert sum((r.amount for r in team.list_refunds()), mxn("0")) == mxn("900.02")


def test_the_days_limit_starts_again_the_next_day(team: Book, credit: str) -> None:
    for _ in range(3):
        team.refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
    for _ in range(3):
        team.refund(credit, mxn("133.34"), reason="overpaid", date=OCT6, actor="ana")
    assert sum((r.amount for r in team.list_refunds()), mxn("0")) == mxn("800.04")


def test_refunds_of_other_customers_do_not_count(team: Book, credit: str) -> None:
    team.add_customer(mx_customer("CMY"), actor="ana")
    other = team.record_payment("CMY", mxn("450.00"), date=OCT1, actor="ana")
    team.refund(credit, mxn("450.00"), reason="overpaid", date=OCT5, actor="ana")
    team.refund(other.id, mxn("450.00"), reason="overpaid", date=OCT5, actor="ana")
    assert len(team.list_refunds()) == 2


def test_a_day_limit_of_its_own_replaces_the_request_limit_for_the_day(
    team: Book, credit: str
) -> None:
    team.set_policy_settings({"approval.refund.MXN.day": "800.00 controller"}, actor="cy")
    for _ in range(5):  # 666.70: past the 500.00 request limit, under the day's 800.00
        team.refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
    sixth = team.request_refund(credit, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")
    assert isinstance(sixth, ApprovalRequest)
    assert sixth.required_role is Role.CONTROLLER
    assert sixth.reason.endswith(
        "to 800.04 MXN (666.70 MXN before it), over the daily limit of 800.00 MXN"
    )
    with pytest.raises(ApprovalRequired, match=r"exceeds the limit of 500\.00 MXN"):
        team.refund(credit, mxn("500.01"), reason="one big one", date=OCT6, actor="ana")


def test_a_month_limit_holds_a_customers_refunds_over_the_month(team: Book) -> None:
    team.set_policy_settings({"approval.refund.MXN.month": "1000.00 controller"}, actor="cy")
    pay = team.record_payment("CMX", mxn("5000.00"), date=OCT1, allocate=True, actor="ana")
    for day in (5, 6, 7):
        for _ in range(2):  # 266.68 a day, under the day's 500.00
            team.refund(pay.id, mxn("133.34"), reason="overpaid", date=OCT1.replace(day=day))
    # 800.04 so far this month; 133.34 more is 933.38, one more would be 1,066.72.
    team.refund(pay.id, mxn("133.34"), reason="overpaid", date=dt.date(2026, 10, 8))
    held = team.request_refund(pay.id, mxn("133.34"), reason="overpaid", date=dt.date(2026, 10, 9))
    assert isinstance(held, ApprovalRequest)
    assert held.required_role is Role.CONTROLLER
    assert held.reason == (
        "refund of 133.34 MXN brings CMX's refund total in 2026-10 to 1066.72 MXN "
        "(933.38 MXN before it), over the monthly limit of 1000.00 MXN"
    )
    # November starts a new month.
    done = team.request_refund(pay.id, mxn("133.34"), reason="overpaid", date=dt.date(2026, 11, 2))
    assert isinstance(done, Refund)


def test_a_refund_dated_back_counts_the_later_refunds_of_its_month(team: Book) -> None:
    team.set_policy_settings({"approval.refund.MXN.month": "500.00 controller"}, actor="cy")
    pay = team.record_payment("CMX", mxn("4000.00"), date=OCT1, allocate=True, actor="ana")
    team.refund(pay.id, mxn("400.00"), reason="overpaid", date=dt.date(2026, 10, 20))
    with pytest.raises(ApprovalRequired, match=r"total in 2026-10 to 533\.34 MXN"):
        team.refund(pay.id, mxn("133.34"), reason="overpaid", date=OCT5, actor="ana")


def test_bad_day_or_month_limits_are_refused(team: Book) -> None:
    before = team.policy_settings()
    with pytest.raises(ValidationError, match=r"approval\.refund\.MXN\.week"):
        team.set_policy_settings({"approval.refund.MXN.week": "100.00"}, actor="cy")
    assert team.policy_settings() == before


# -- the auditor reads; only roles the matrix names may change the book --------------------


def test_the_auditor_cannot_issue_an_invoice_or_write_one_off(team: Book) -> None:
    team.create_draft(
        invoice_draft("D-9", cid="CMX", lines=(("SERVICIO", "1", "10.00"),), currency="MXN"),
        actor="ana",
    )
    before = snapshot(team)
    with pytest.raises(CommandNotPermitted, match=r"^dee holds auditor \(read-only\); only a"):
        team.issue_document("D-9", issue_date=OCT5, actor="dee")
    with pytest.raises(CommandNotPermitted, match=r"may write off invoices \(write_off\)$"):
        team.write_off("INV-2026-000001", mxn("1.00"), date=OCT5, actor="dee")
    with pytest.raises(CommandNotPermitted, match=r"\(create_invoice\)$"):
        team.create_invoice(
            invoice_draft("D-10", cid="CMX", currency="MXN"), issue_date=OCT5, actor="dee"
        )
    assert snapshot(team) == before
    # What an auditor is for still works.
    assert team.verify_audit() == ()
    assert [i.number for i in team.open_items(as_of=OCT5)] == ["INV-2026-000001"]


def test_only_a_controller_changes_policies_and_roles(team: Book) -> None:
    before = snapshot(team)
    with pytest.raises(CommandNotPermitted, match=r"only a controller may change the policies"):
        team.set_policy_settings({"approval.void.MXN": ""}, actor="bo")
    with pytest.raises(CommandNotPermitted, match=r"only a controller may assign roles"):
        team.assign_role("bo", Role.CONTROLLER, actor="bo")
    with pytest.raises(CommandNotPermitted, match=r"only a controller may close periods"):
        team.close_period("2026-09", actor="ana")
    assert snapshot(team) == before


def test_until_a_controller_exists_anyone_with_a_role_may_assign_roles(book: Book) -> None:
    book.assign_role("ana", Role.SPECIALIST)  # a book without roles is open
    with pytest.raises(CommandNotPermitted, match=r"^mallory holds no role"):
        book.assign_role("mallory", Role.CONTROLLER, actor="mallory")
    book.assign_role("cy", Role.CONTROLLER, actor="ana")
    with pytest.raises(CommandNotPermitted, match="only a controller may assign roles"):
        book.assign_role("bo", Role.LEAD, actor="ana")
    assert book.roles_of("cy") == frozenset({Role.CONTROLLER})


def test_a_book_without_roles_lets_anyone_void_as_before(book: Book) -> None:
    book.add_customer(customer("C1"))
    book.create_draft(invoice_draft("D-1"))
    book.issue_document("D-1", issue_date=OCT1)
    done = book.void_document("INV-2026-000001", reason="duplicate", date=OCT5, actor="anyone")
    assert done.status is DocumentStatus.VOID
