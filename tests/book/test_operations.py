"""Operations on the Book: approvals with segregation of duties, disputes, extensions, notes."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.billing import Document, DocumentStatus
from o2c.book import Book
from o2c.cases import (
    ApprovalRequest,
    ApprovalStatus,
    DisputeReason,
    DisputeStatus,
    ExtensionStatus,
    NoteTarget,
    Resolution,
    Role,
)
from o2c.errors import (
    InvalidState,
    NotFound,
    PermissionDenied,
    SegregationOfDuties,
    ValidationError,
)
from o2c.ids import DocumentId
from o2c.ledger import Refund, WriteOff
from o2c.money import Money
from tests.book.factories import customer, invoice_draft

OCT1 = dt.date(2026, 10, 1)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _count(book: Book, table: str) -> int:
    row = book.store.query_one(f"SELECT COUNT(*) FROM {table}")
    assert row is not None
    return int(row[0])


def _issue(book: Book, doc_id: str, lines: tuple[tuple[str, str, str], ...] | None = None) -> str:
    draft = invoice_draft(doc_id) if lines is None else invoice_draft(doc_id, lines=lines)
    book.create_draft(draft)
    number = book.issue_document(doc_id, issue_date=OCT1).number
    assert number is not None
    return number


@pytest.fixture
def team(book: Book) -> Book:
    """A USD book: customer C1, one invoice of 116.00 (due Oct 31), roles and policies.

    ana is a specialist, bo a lead, cy a controller. Refunds above 50.00 and write-offs
    above 10.00 wait for a lead; credit notes above 100.00 for a controller; manual
    invoices above 1,000.00 for a lead; disputes get 10 business days in Mexico.
    """
    book.add_customer(customer("C1"))
    _issue(book, "D-1")
    book.assign_role("ana", Role.SPECIALIST)
    book.assign_role("bo", Role.LEAD)
    book.assign_role("cy", Role.CONTROLLER)
    book.set_policy_settings(
        {
            "approval.refund.USD": "50.00 lead",
            "approval.write_off.USD": "10.00 lead",
            "approval.credit_note.USD": "100.00 controller",
            "approval.manual_invoice.USD": "1000.00 lead",
            "calendar.country": "MX",
            "sla.default_days": "10",
            "sla.duplicate": "3",
        },
        actor="cy",
    )
    return book


def _overpaid(book: Book) -> str:
    """A payment of 300.00 on Oct 1 that settles D-1 and leaves 184.00 unapplied."""
    pay = book.record_payment("C1", usd("300.00"), date=OCT1, allocate=True)
    return str(pay.id)


# -- approvals and segregation of duties ---------------------------------------------------


def test_requester_approving_their_own_refund_is_refused_and_nothing_changes(team: Book) -> None:
    source = _overpaid(team)
    request = team.request_refund(
        source, usd("100.00"), reason="overpaid", date=dt.date(2026, 10, 3), actor="ana"
    )
    assert isinstance(request, ApprovalRequest)
    assert request.status is ApprovalStatus.PENDING
    assert request.reason == "refund of 100.00 USD exceeds the limit of 50.00 USD"
    events = len(team.audit_log())
    with pytest.raises(SegregationOfDuties) as refused:
        team.approve_request(request.id, comment="mine", actor="Ana ")
    assert str(refused.value) == (
        f"Ana requested {request.id} and cannot approve it; another approver must decide "
        "(segregation of duties)"
    )
    assert team.get_approval(request.id) == request
    assert _count(team, "refunds") == 0
    assert [str(c.unapplied) for c in team.credits(as_of=dt.date(2026, 10, 3))] == ["184.00 USD"]
    assert len(team.audit_log()) == events
    assert team.verify_audit() == ()


def test_a_lead_approves_the_refund_and_it_runs_in_the_same_transaction(team: Book) -> None:
    source = _overpaid(team)
    request = team.request_refund(
        source, usd("100.00"), reason="overpaid", date=dt.date(2026, 10, 3), actor="ana"
    )
    assert isinstance(request, ApprovalRequest)
    decision = team.approve_request(
        request.id, comment="bank file checked", date=dt.date(2026, 10, 6), actor="bo"
    )
    assert decision.request.status is ApprovalStatus.APPROVED
    assert decision.request.decided_by == "bo"
    assert decision.request.comment == "bank file checked"
    assert decision.result_id is not None
    assert decision.result_id.startswith("RF")
    assert [str(c.unapplied) for c in team.credits(as_of=dt.date(2026, 10, 6))] == ["84.00 USD"]
    row = team.store.query_one("SELECT refund_date FROM refunds")
    assert row is not None
    assert str(row[0]) == "2026-10-06"
    commands = [e.command for e in team.audit_log()][-2:]
    assert commands == ["refund", "approve_request"]
    with pytest.raises(InvalidState, match="already approved"):
        team.approve_request(request.id, actor="cy")


def test_an_approver_without_the_role_is_refused(team: Book) -> None:
    request = team.request_refund(_overpaid(team), usd("60.00"), reason="overpaid", actor="bo")
    assert isinstance(request, ApprovalRequest)
    with pytest.raises(PermissionDenied, match="needs the lead role or higher"):
        team.approve_request(request.id, actor="ana")
    team.assign_role("dee", Role.AUDITOR, actor="cy")
    with pytest.raises(PermissionDenied):
        team.approve_request(request.id, actor="dee")
    assert team.approve_request(request.id, actor="cy").request.status is ApprovalStatus.APPROVED


def test_a_refund_within_the_limit_runs_at_once(team: Book) -> None:
    done = team.request_refund(_overpaid(team), usd("50.00"), reason="overpaid", actor="ana")
    assert isinstance(done, Refund)
    assert team.list_approvals() == []


def test_a_rejected_request_never_runs_and_needs_a_comment(team: Book) -> None:
    request = team.request_refund(_overpaid(team), usd("184.00"), reason="all", actor="ana")
    assert isinstance(request, ApprovalRequest)
    with pytest.raises(ValidationError, match=r"approval\.comment"):
        team.reject_request(request.id, comment=" ", actor="bo")
    decision = team.reject_request(request.id, comment="customer asked to keep it", actor="bo")
    assert decision.request.status is ApprovalStatus.REJECTED
    assert decision.result_id is None
    assert _count(team, "refunds") == 0
    assert team.list_approvals(status="pending") == []


def test_a_write_off_above_the_limit_waits_then_posts_on_approval(team: Book) -> None:
    held = team.request_write_off("INV-2026-000001", memo="gone", actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert held.amount == usd("116.00")
    assert team.open_items(as_of=OCT1)[0].open == usd("116.00")
    decision = team.approve_request(held.id, date=dt.date(2026, 12, 1), actor="bo")
    assert decision.result_id is not None
    assert decision.result_id.startswith("WO")
    assert team.open_items(as_of=dt.date(2026, 12, 1)) == []


def test_a_small_write_off_runs_at_once(team: Book) -> None:
    done = team.request_write_off("INV-2026-000001", usd("0.50"), reason="small_balance")
    assert isinstance(done, WriteOff)
    assert team.open_items(as_of=OCT1)[0].open == usd("115.50")


def test_a_large_credit_note_waits_for_a_controller(team: Book) -> None:
    held = team.request_credit_note("INV-2026-000001", reason="wrong_price", actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert held.amount == usd("116.00")
    assert held.required_role is Role.CONTROLLER
    with pytest.raises(PermissionDenied, match="controller"):
        team.approve_request(held.id, actor="bo")
    decision = team.approve_request(held.id, actor="cy")
    assert decision.result_id is not None
    note = team.get_document(decision.result_id)
    assert note.reference == "D-1"
    assert str(note.totals.payable) == "116.00 USD"


def test_a_credit_note_within_the_limit_is_issued_at_once(team: Book) -> None:
    note = team.request_credit_note(
        "INV-2026-000001", reason="goodwill", amount=usd("50.00"), actor="ana"
    )
    assert isinstance(note, Document)
    assert str(note.totals.payable) == "58.00 USD"


def test_a_large_manual_invoice_waits_and_is_issued_on_approval(team: Book) -> None:
    team.create_draft(invoice_draft("D-BIG", lines=(("SETUP", "10", "100.00"),)))
    held = team.request_manual_invoice("D-BIG", actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert team.get_document("D-BIG").status is DocumentStatus.DRAFT
    decision = team.approve_request(held.id, date=dt.date(2026, 10, 9), actor="bo")
    issued = team.get_document("D-BIG")
    assert decision.result_id == "D-BIG"
    assert issued.status is DocumentStatus.ISSUED
    assert issued.issue_date == dt.date(2026, 10, 9)


def test_an_approval_whose_command_can_no_longer_run_changes_nothing(team: Book) -> None:
    source = _overpaid(team)
    request = team.request_refund(source, usd("184.00"), reason="overpaid", actor="ana")
    assert isinstance(request, ApprovalRequest)
    team.refund(source, usd("40.00"), reason="partly by hand, under the limit")
    with pytest.raises(InvalidState):
        team.approve_request(request.id, actor="bo")
    assert team.get_approval(request.id).status is ApprovalStatus.PENDING


def test_only_a_controller_assigns_roles_once_the_book_has_one(team: Book) -> None:
    with pytest.raises(PermissionDenied, match="only a controller may assign roles"):
        team.assign_role("ana", Role.LEAD, actor="bo")
    team.assign_role("ana", "lead", actor="cy")
    assert team.roles_of("ANA") == frozenset({Role.SPECIALIST, Role.LEAD})
    team.revoke_role("ana", "lead", actor="cy")
    assert team.roles_of("ana") == frozenset({Role.SPECIALIST})
    with pytest.raises(NotFound):
        team.revoke_role("ana", "lead", actor="cy")
    with pytest.raises(ValidationError, match="one of specialist"):
        team.assign_role("ana", "boss", actor="cy")


def test_bad_policy_settings_are_refused_and_nothing_changes(team: Book) -> None:
    before = team.policy_settings()
    with pytest.raises(ValidationError, match=r"approval\.refund\.USD"):
        team.set_policy_settings({"approval.refund.USD": "lots"}, actor="cy")
    with pytest.raises(ValidationError, match=r"tax\.table"):
        team.set_policy_settings({"tax.table": "x"}, actor="cy")
    with pytest.raises(PermissionDenied):
        team.set_policy_settings({"sla.default_days": "5"}, actor="bo")
    with pytest.raises(ValidationError, match=r"subdivision.*'ZZ'"):
        team.set_policy_settings(
            {"calendar.country": "DE", "calendar.subdivision": "ZZ"}, actor="cy"
        )
    assert team.policy_settings() == before
    assert team.sla_policy().days_for(DisputeReason.DUPLICATE) == 3


# -- disputes ------------------------------------------------------------------------------


def test_dispute_sla_counts_mexican_business_days(team: Book) -> None:
    # Fri Nov 13 + 3 business days: (Mon 16 Revolution Day), Tue 17, Wed 18, Thu 19.
    dispute = team.open_dispute(
        "INV-2026-000001",
        reason="duplicate",
        amount=usd("16.00"),
        channel="phone",
        date=dt.date(2026, 11, 13),
    )
    assert dispute.sla_due == dt.date(2026, 11, 19)
    assert dispute.status is DisputeStatus.OPEN
    assert dispute.history[0].actor == "ana"


def test_dispute_defaults_to_what_is_open_and_never_exceeds_it(team: Book) -> None:
    first = team.open_dispute("INV-2026-000001", reason="wrong_price", amount=usd("100.00"))
    with pytest.raises(InvalidState, match=r"exceeds the 16\.00 USD still open"):
        team.open_dispute("INV-2026-000001", reason="quality", amount=usd("16.01"))
    second = team.open_dispute("INV-2026-000001", reason="quality")
    assert second.amount == usd("16.00")
    with pytest.raises(InvalidState, match="nothing left to dispute"):
        team.open_dispute("INV-2026-000001", reason="other")
    assert team.disputed_amounts(OCT1) == {"D-1": usd("116.00")}
    assert [d.id for d in team.list_disputes(active=True)] == [first.id, second.id]


def test_a_dispute_on_lines_defaults_to_their_amount_due_within_what_is_open(
    team: Book,
) -> None:
    # Line 1: 100.00 + 16.00 tax; line 2: 2 x 25.00 = 50.00 + 8.00 tax; 174.00 in all.
    number = _issue(team, "D-2", (("SERVICE", "1", "100.00"), ("SUPPORT", "2", "25.00")))
    second = team.open_dispute(number, reason="wrong_quantity", lines=[2])
    assert (second.amount, second.line_numbers) == (usd("58.00"), (2,))
    # What another dispute holds is not disputed twice: 174.00 - 58.00 - 100.00 = 16.00.
    team.open_dispute(number, reason="other", amount=usd("100.00"))
    first = team.open_dispute(number, reason="wrong_price", lines=[1])
    assert first.amount == usd("16.00")
    with pytest.raises(InvalidState, match="nothing left to dispute"):
        team.open_dispute(number, reason="quality", lines=[1, 2])
    assert team.disputed_amounts(OCT1)[DocumentId("D-2")] == usd("174.00")


def test_dispute_on_unknown_lines_or_a_draft_is_refused(team: Book) -> None:
    with pytest.raises(ValidationError, match="lines"):
        team.open_dispute("INV-2026-000001", reason="wrong_price", lines=[2])
    team.create_draft(invoice_draft("D-DRAFT"))
    with pytest.raises(InvalidState, match="only an issued invoice"):
        team.open_dispute("D-DRAFT", reason="wrong_price")


def test_a_dispute_past_its_sla_is_escalated_once_by_the_daily_job(team: Book) -> None:
    dispute = team.open_dispute(
        "INV-2026-000001", reason="duplicate", amount=usd("16.00"), date=dt.date(2026, 10, 5)
    )
    assert dispute.sla_due == dt.date(2026, 10, 8)
    team.investigate_dispute(dispute.id, comment="checking", date=dt.date(2026, 10, 6))
    assert team.escalate_overdue_disputes(dt.date(2026, 10, 8)) == []
    team.assign_role("nightly", Role.SPECIALIST, actor="cy")  # the job's account needs a role
    [late] = team.escalate_overdue_disputes(dt.date(2026, 10, 9), actor="nightly")
    assert late.status is DisputeStatus.ESCALATED
    assert late.escalation_level == 1
    assert late.history[-1].actor == "system"
    assert late.history[-1].comment == "SLA due 2026-10-08 breached"
    assert team.escalate_overdue_disputes(dt.date(2026, 10, 12)) == []
    runs = team.audit_log(command="escalate_overdue_disputes")
    assert [e.actor for e in runs] == ["ana", "nightly", "ana"]
    again = team.escalate_dispute(
        dispute.id, comment="to the controller", date=OCT1.replace(day=12)
    )
    assert again.escalation_level == 2


def test_a_dry_run_of_the_escalation_job_lists_the_late_disputes_and_changes_nothing(
    team: Book,
) -> None:
    dispute = team.open_dispute(
        "INV-2026-000001", reason="duplicate", amount=usd("16.00"), date=dt.date(2026, 10, 5)
    )
    # The breach shows before any job ran: active past its SLA due date of Oct 8.
    assert team.list_disputes(breached_on=dt.date(2026, 10, 8)) == []
    assert [d.id for d in team.list_disputes(breached_on=dt.date(2026, 10, 9))] == [dispute.id]
    events = len(team.audit_log())
    [preview] = team.escalate_overdue_disputes(dt.date(2026, 10, 9), dry_run=True)
    assert (preview.id, preview.status, preview.escalation_level) == (
        dispute.id,
        DisputeStatus.ESCALATED,
        1,
    )
    assert team.get_dispute(dispute.id).status is DisputeStatus.OPEN
    assert len(team.audit_log()) == events
    # A missed day is caught up: the run of Oct 12 escalates what fell due on Oct 8.
    [late] = team.escalate_overdue_disputes(dt.date(2026, 10, 12))
    assert late.status is DisputeStatus.ESCALATED
    assert [d.id for d in team.list_disputes(breached_on=dt.date(2026, 10, 12))] == [dispute.id]


def test_crediting_a_dispute_links_the_credit_note(team: Book) -> None:
    dispute = team.open_dispute("INV-2026-000001", reason="wrong_price", amount=usd("23.20"))
    done = team.credit_dispute(dispute.id, amount=usd("20.00"), date=dt.date(2026, 10, 7))
    assert done.status is DisputeStatus.RESOLVED
    assert done.resolution is Resolution.CREDITED
    assert done.credit_note_id is not None
    note = team.get_document(done.credit_note_id)
    assert note.reference == "D-1"
    assert note.reason is not None
    assert note.reason.value == "wrong_price"
    assert str(note.totals.payable) == "23.20 USD"
    assert team.disputed_amounts(dt.date(2026, 10, 7)) == {}
    assert team.disputed_amounts(dt.date(2026, 10, 6)) == {"D-1": usd("23.20")}
    with pytest.raises(InvalidState, match="already resolved"):
        team.escalate_dispute(dispute.id)


def test_crediting_a_whole_invoice_dispute_above_the_limit_waits_for_approval(team: Book) -> None:
    dispute = team.open_dispute("INV-2026-000001", reason="duplicate")
    held = team.credit_dispute(dispute.id, comment="double billed", actor="ana")
    assert isinstance(held, ApprovalRequest)
    assert team.get_dispute(dispute.id).is_active
    decision = team.approve_request(held.id, date=dt.date(2026, 10, 3), actor="cy")
    resolved = team.get_dispute(dispute.id)
    assert resolved.resolution is Resolution.CREDITED
    assert resolved.credit_note_id == decision.result_id
    assert resolved.resolved_on == dt.date(2026, 10, 3)
    assert team.open_items(as_of=dt.date(2026, 10, 3)) == []


def test_resolving_by_hand_checks_the_linked_documents(team: Book) -> None:
    _issue(team, "D-2")
    dispute = team.open_dispute("INV-2026-000001", reason="wrong_price", amount=usd("11.60"))
    other = team.create_credit_note("INV-2026-000002", reason="wrong_price", amount=usd("10.00"))
    with pytest.raises(ValidationError, match="credit note of D-1"):
        team.resolve_dispute(dispute.id, "credited", credit_note=str(other.number))
    mine = team.create_credit_note("INV-2026-000001", reason="wrong_price", amount=usd("10.00"))
    done = team.resolve_dispute(dispute.id, Resolution.CREDITED, credit_note=mine.id)
    assert done.credit_note_id == mine.id
    rejected = team.reject_dispute(
        team.open_dispute("INV-2026-000002", reason="quality", amount=usd("1.00")).id,
        comment="delivered as ordered",
    )
    assert rejected.resolution is Resolution.REJECTED


def test_updating_a_dispute_keeps_it_within_the_open_amount(team: Book) -> None:
    dispute = team.open_dispute("INV-2026-000001", reason="wrong_price", amount=usd("50.00"))
    narrowed = team.update_dispute(dispute.id, amount=usd("30.00"), comment="customer agreed")
    assert narrowed.amount == usd("30.00")
    assert narrowed.history[-1].comment == "customer agreed; amount 50.00 USD -> 30.00 USD"
    with pytest.raises(InvalidState):
        team.update_dispute(dispute.id, amount=usd("116.01"))


def test_disputed_amounts_appear_apart_in_aging_and_statements(team: Book) -> None:
    team.open_dispute(
        "INV-2026-000001", reason="wrong_price", amount=usd("16.00"), date=dt.date(2026, 10, 5)
    )
    aged = team.aging(dt.date(2026, 11, 15))
    [total] = aged.totals
    assert [str(b) for b in total.buckets] == [
        "0.00 USD",
        "100.00 USD",
        "0.00 USD",
        "0.00 USD",
        "0.00 USD",
    ]
    assert total.disputed == usd("16.00")
    assert total.total == team.aging(dt.date(2026, 11, 15), cases=False).totals[0].total
    # the standard aging and statement are case-aware; the aliases give the same figures
    assert team.aging(dt.date(2026, 11, 15)) == aged
    stated = team.statement("C1", OCT1, dt.date(2026, 10, 31))
    assert team.statement("C1", OCT1, dt.date(2026, 10, 31)) == stated
    [item] = stated.open_items
    assert item.disputed == usd("16.00")
    assert (stated.disputed, stated.closing) == (usd("16.00"), usd("116.00"))
    plain_statement = team.statement("C1", OCT1, dt.date(2026, 10, 31), cases=False)
    [ledger_item] = plain_statement.open_items
    assert ledger_item.disputed is None
    assert plain_statement.disputed == usd("0.00")
    assert team.aging(dt.date(2026, 10, 4)).totals[0].disputed == usd("0.00")
    plain = team.aging(dt.date(2026, 11, 15), cases=False).totals[0]
    assert (plain.buckets[1], plain.disputed) == (usd("116.00"), usd("0.00"))


# -- payment extensions --------------------------------------------------------------------


def test_an_extension_within_the_limit_moves_aging_and_keeps_the_original(team: Book) -> None:
    ext = team.grant_extension(
        "INV-2026-000001", dt.date(2026, 11, 30), reason="awaiting PO", date=dt.date(2026, 10, 20)
    )
    assert ext.status is ExtensionStatus.ACTIVE
    assert ext.original_due == dt.date(2026, 10, 31)
    [item] = team.open_items_with_cases(dt.date(2026, 11, 15))
    assert item.due_date == dt.date(2026, 10, 31)
    assert item.extended_due == dt.date(2026, 11, 30)
    assert team.aging(dt.date(2026, 11, 15)).totals[0].buckets[0] == usd("116.00")
    assert team.aging(dt.date(2026, 11, 15)).totals[0].buckets[0] == usd("116.00")
    ledger = team.aging(dt.date(2026, 11, 15), cases=False)
    assert ledger.totals[0].buckets[1] == usd("116.00")
    [item] = team.statement("C1", OCT1, dt.date(2026, 11, 15)).open_items
    assert (item.due_date, item.extended_due) == (dt.date(2026, 10, 31), dt.date(2026, 11, 30))


def test_an_extension_over_the_limit_waits_for_approval(team: Book) -> None:
    ext = team.grant_extension(
        "INV-2026-000001", dt.date(2026, 12, 15), reason="promise to pay", actor="ana"
    )
    assert ext.status is ExtensionStatus.PENDING_APPROVAL
    assert ext.approval_id is not None
    request = team.get_approval(ext.approval_id)
    assert request.reason == "extension of 45 days exceeds the limit of 30 days"
    assert team.extended_due_dates(dt.date(2026, 10, 2)) == {}
    with pytest.raises(SegregationOfDuties):
        team.approve_request(request.id, actor="ana")
    decision = team.approve_request(
        request.id, comment="good customer", date=dt.date(2026, 10, 5), actor="bo"
    )
    assert decision.result_id == ext.id
    active = team.get_extension(ext.id)
    assert active.status is ExtensionStatus.ACTIVE
    assert active.granted_by == "bo"
    # In force from the approval: aging as of an earlier date does not change.
    assert team.extended_due_dates(dt.date(2026, 10, 4)) == {}
    assert team.extended_due_dates(dt.date(2026, 10, 5)) == {"D-1": dt.date(2026, 12, 15)}


def test_an_extension_threshold_in_settings_holds_a_large_open_amount(team: Book) -> None:
    team.set_policy_settings({"approval.extension.USD": "100.00 controller"}, actor="cy")
    ten_days = dt.date(2026, 11, 10)
    ext = team.grant_extension(
        "INV-2026-000001", ten_days, reason="promise to pay", date=OCT1, actor="ana"
    )
    assert ext.status is ExtensionStatus.PENDING_APPROVAL
    assert ext.approval_id is not None
    request = team.get_approval(ext.approval_id)
    assert request.reason == "extension of 116.00 USD exceeds the limit of 100.00 USD"
    assert (request.amount, request.days, request.required_role) == (
        usd("116.00"),
        10,
        Role.CONTROLLER,
    )
    assert team.extended_due_dates(dt.date(2026, 11, 1)) == {}
    with pytest.raises(PermissionDenied):
        team.approve_request(request.id, actor="bo")
    assert team.get_extension(ext.id).status is ExtensionStatus.PENDING_APPROVAL
    team.approve_request(request.id, date=dt.date(2026, 10, 2), actor="cy")
    assert team.extended_due_dates(dt.date(2026, 10, 2)) == {"D-1": ten_days}
    # Once 66.00 is paid, 50.00 is open: a further extension is within the threshold.
    pay = team.record_payment("C1", usd("66.00"), date=dt.date(2026, 10, 3))
    team.allocate(pay.id, {"INV-2026-000001": usd("66.00")}, date=dt.date(2026, 10, 3))
    later = team.grant_extension(
        "INV-2026-000001", dt.date(2026, 11, 20), reason="rest", date=dt.date(2026, 10, 3)
    )
    assert (later.status, later.approval_id) == (ExtensionStatus.ACTIVE, None)
    assert team.extended_due_dates(dt.date(2026, 10, 3)) == {"D-1": dt.date(2026, 11, 20)}


def test_a_rejected_extension_never_moves_the_due_date(team: Book) -> None:
    ext = team.grant_extension("INV-2026-000001", dt.date(2027, 1, 15), reason="x", actor="ana")
    assert ext.approval_id is not None
    team.reject_request(ext.approval_id, comment="too long", actor="bo")
    assert team.get_extension(ext.id).status is ExtensionStatus.REJECTED
    assert team.extended_due_dates(dt.date(2026, 12, 1)) == {}
    assert [e.id for e in team.list_extensions(document="INV-2026-000001")] == [ext.id]


# -- interaction notes -----------------------------------------------------------------------


def test_notes_on_a_customer_an_invoice_and_a_dispute(team: Book) -> None:
    t0 = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=-6)))
    dispute = team.open_dispute("INV-2026-000001", reason="wrong_price", amount=usd("10.00"))
    a = team.add_note("customer", "C1", channel="email", summary="sent statement", started=t0)
    b = team.add_note(
        NoteTarget.INVOICE,
        "INV-2026-000001",
        channel="phone",
        summary="explained the tax",
        started=t0 + dt.timedelta(hours=1),
        ended=t0 + dt.timedelta(hours=1, minutes=12, seconds=30),
        first_contact_resolution=True,
        actor="bo",
    )
    c = team.add_note("dispute", dispute.id, channel="chat", summary="asked for the PO", started=t0)
    assert (a.target_kind, b.target_id, c.target_id) == (
        NoteTarget.CUSTOMER,
        "D-1",
        dispute.id,
    )
    assert b.handle_time == dt.timedelta(minutes=12, seconds=30)
    assert b.author == "bo"
    assert [n.id for n in team.list_notes(customer="C1")] == [a.id, c.id, b.id]
    assert [n.id for n in team.list_notes(document="INV-2026-000001")] == [c.id, b.id]
    assert [n.id for n in team.list_notes(dispute=dispute.id)] == [c.id]
    with pytest.raises(NotFound):
        team.add_note("customer", "C-NOPE", channel="email", summary="x", started=t0)


def test_open_dispute_is_idempotent_by_key(team: Book) -> None:
    first = team.open_dispute(
        "INV-2026-000001", reason="wrong_price", amount=usd("5.00"), idempotency_key="k1"
    )
    again = team.open_dispute(
        "INV-2026-000001", reason="wrong_price", amount=usd("5.00"), idempotency_key="k1"
    )
    assert again == first
    assert len(team.list_disputes()) == 1
    assert Decimal(str(team.disputed_amounts(OCT1)[DocumentId("D-1")].amount)) == Decimal("5.00")


def test_a_rebilled_dispute_names_the_credit_note_and_the_corrected_invoice(team: Book) -> None:
    dispute = team.open_dispute("INV-2026-000001", reason="wrong_price")
    held = team.request_credit_note("INV-2026-000001", reason="wrong_price", actor="ana")
    assert isinstance(held, ApprovalRequest)  # 116.00 is above the 100.00 credit-note limit
    decided = team.approve_request(held.id, actor="cy")
    assert decided.result_id is not None
    note = team.get_document(decided.result_id)
    team.create_draft(invoice_draft("D-FIX", lines=(("SETUP", "1", "90.00"),)))
    fixed = team.issue_document("D-FIX", issue_date=OCT1)
    with pytest.raises(ValidationError, match="rebill"):
        team.resolve_dispute(
            dispute.id, "rebilled", credit_note=str(note.number), rebill=str(note.number)
        )
    done = team.resolve_dispute(
        dispute.id, "rebilled", credit_note=str(note.number), rebill=str(fixed.number)
    )
    assert (done.resolution, done.credit_note_id, done.rebill_id) == (
        Resolution.REBILLED,
        note.id,
        "D-FIX",
    )


def test_aging_with_cases_is_a_deprecated_alias_of_aging(team: Book) -> None:
    as_of = dt.date(2026, 11, 15)
    with pytest.warns(DeprecationWarning, match="call Book.aging"):
        aged = team.aging_with_cases(as_of)
    assert aged == team.aging(as_of)


def test_statement_with_cases_is_a_deprecated_alias_of_statement(team: Book) -> None:
    end = dt.date(2026, 10, 31)
    with pytest.warns(DeprecationWarning, match="call Book.statement"):
        stated = team.statement_with_cases("C1", OCT1, end)
    assert stated == team.statement("C1", OCT1, end)
