"""Inquiries on the Book: cases spawned and linked both ways, audits, refusals that change
nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.cases import ApprovalRequest, DisputeStatus
from o2c.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from o2c.money import Money
from o2c.servicedesk import InquiryCategory, InquiryMoveRefused, InquiryStatus, LinkKind, Priority
from tests.book.clock import FakeClock
from tests.servicedesk.conftest import at

INV1 = "INV-2026-000001"


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def snapshot(book: Book) -> dict[str, list[tuple[object, ...]]]:
    return {
        name: sorted((tuple(r) for r in book.export_table(name)[1]), key=repr)
        for name in book.table_names()
    }


def _ask(book: Book, clock: FakeClock) -> str:
    clock.now = at(14, 10)
    return book.open_inquiry(
        "C1", subject="Price too high", channel="email", category="price_question",
        documents=[INV1],
    ).id  # fmt: skip


def test_a_dispute_spawned_from_an_inquiry_is_linked_both_ways(
    desk: Book, clock: FakeClock
) -> None:
    inquiry = _ask(desk, clock)
    moved, links = desk.inquiry_dispute(inquiry, reason="wrong_price", amount=usd("10.00"))
    [(kind, dispute_id)] = links
    assert kind is LinkKind.DISPUTE
    dispute = desk.get_dispute(dispute_id)
    assert dispute.status is DisputeStatus.OPEN
    assert dispute.amount == usd("10.00")
    assert str(dispute.document_id) == "D-1"  # the inquiry's one invoice
    assert [(x.kind, x.target_id, x.spawned) for x in desk.inquiry_links(inquiry)] == [
        (LinkKind.DOCUMENT, "D-1", False),
        (LinkKind.DISPUTE, dispute_id, True),
    ]
    assert [i.id for i in desk.list_inquiries(linked_to=("dispute", dispute_id))] == [inquiry]
    commands = [e.command for e in desk.audit_log()][-2:]
    assert commands == ["open_dispute", "spawn_from_inquiry"]  # one transaction, both audited
    assert moved.id == inquiry


def test_a_credit_note_request_above_the_limit_links_its_approval(
    desk: Book, clock: FakeClock
) -> None:
    desk.set_policy_settings({"approval.credit_note.USD": "50.00 any"})
    inquiry = _ask(desk, clock)
    _, links = desk.inquiry_credit_note(inquiry, reason="wrong_price", amount=usd("58.00"))
    [(kind, approval_id)] = links
    assert kind is LinkKind.APPROVAL
    assert isinstance(desk.get_approval(approval_id), ApprovalRequest)
    _, small = desk.inquiry_credit_note(inquiry, reason="goodwill", amount=usd("10.00"))
    [(kind, note_id)] = small
    assert kind is LinkKind.CREDIT_NOTE
    assert desk.get_document(note_id).totals.payable == usd("11.60")  # 10.00 net + 16 %


def test_a_refund_and_an_extension_from_an_inquiry(desk: Book, clock: FakeClock) -> None:
    pay = desk.record_payment("C1", usd("150.00"), date=dt.date(2026, 9, 14))
    inquiry = _ask(desk, clock)
    _, refund = desk.inquiry_refund(inquiry, str(pay.id), usd("34.00"), reason="overpaid")
    [(kind, refund_id)] = refund
    assert kind is LinkKind.REFUND
    assert [str(r.id) for r in desk.list_refunds(customer="C1")] == [refund_id]
    _, ext = desk.inquiry_extension(inquiry, dt.date(2026, 10, 30))
    [(kind, ext_id)] = ext
    assert kind is LinkKind.EXTENSION
    assert desk.get_extension(ext_id).new_due == dt.date(2026, 10, 30)
    assert [x.kind for x in desk.inquiry_links(inquiry)] == [
        LinkKind.DOCUMENT,
        LinkKind.REFUND,
        LinkKind.EXTENSION,
    ]


def test_a_failed_spawn_leaves_the_book_as_it_was(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    before = snapshot(desk)
    with pytest.raises(InvalidState):
        desk.inquiry_dispute(inquiry, reason="wrong_price", amount=usd("5000.00"))
    assert snapshot(desk) == before


def test_nothing_is_spawned_from_a_closed_inquiry(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    desk.resolve_inquiry(inquiry, root_cause="other", resolution="answered")
    desk.close_inquiry(inquiry)
    before = snapshot(desk)
    with pytest.raises(InquiryMoveRefused, match="is closed; cannot spawn a case from it"):
        desk.inquiry_dispute(inquiry, reason="wrong_price")
    assert snapshot(desk) == before


def test_a_refused_move_changes_nothing(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    before = snapshot(desk)
    with pytest.raises(InquiryMoveRefused, match=f"inquiry {inquiry} is new; cannot close it"):
        desk.close_inquiry(inquiry)
    with pytest.raises(InquiryMoveRefused, match="cannot rate it"):
        desk.rate_inquiry(inquiry, 5)
    with pytest.raises(InquiryMoveRefused, match="cannot reopen it"):
        desk.reopen_inquiry(inquiry, reason="again")
    assert snapshot(desk) == before


def test_csat_scores_are_1_to_5_after_the_resolution(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    desk.resolve_inquiry(inquiry, root_cause="other", resolution="answered", at=at(14, 11))
    with pytest.raises(ValidationError, match=r"csat\.score"):
        desk.rate_inquiry(inquiry, 6)
    with pytest.raises(ValidationError, match="rated_at"):
        desk.rate_inquiry(inquiry, 4, rated_at=at(14, 10, 30))
    rating = desk.rate_inquiry(inquiry, 4, comment="ok", rated_at=at(14, 12))
    assert (rating.score, rating.comment, rating.recorded_by) == (4, "ok", "ana")


def test_a_lead_audits_a_contact_of_someone_else(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    desk.respond_to_inquiry(
        inquiry, summary="explained", started=at(14, 11), ended=at(14, 11, 9), actor="ben"
    )
    [contact] = desk.inquiry_contacts(inquiry)
    with pytest.raises(
        PermissionDenied, match="Ben handled contact NT0000000001 and cannot audit it"
    ):
        desk.audit_inquiry_contact(
            inquiry, contact.note_id, score=100, feedback="perfect", actor="Ben"
        )
    audit = desk.audit_inquiry_contact(
        inquiry, contact.note_id, score=85, feedback="good, name the tier", actor="lee"
    )
    assert (audit.auditor, audit.score, audit.note_id) == ("lee", 85, contact.note_id)
    assert desk.list_inquiry_audits(inquiry) == [audit]
    with pytest.raises(NotFound, match="contact of inquiry"):
        desk.audit_inquiry_contact(inquiry, "NT-NOPE", score=1, feedback="x", actor="lee")


def test_documents_must_be_the_customers(desk: Book, clock: FakeClock) -> None:
    before = snapshot(desk)
    with pytest.raises(ValidationError, match="a document of customer C1"):
        desk.open_inquiry(
            "C1", subject="q", channel="email", category="tax", documents=["INV-2026-000002"]
        )
    with pytest.raises(NotFound):
        desk.open_inquiry("C9", subject="q", channel="email", category="tax")
    assert snapshot(desk) == before


def test_settings_are_checked_before_anything_changes(desk: Book) -> None:
    before = desk.service_desk_policy()
    with pytest.raises(ValidationError, match=r"servicedesk\.sla\.urgent"):
        desk.set_service_desk_settings({"servicedesk.sla.urgent": "4/2"})
    with pytest.raises(ValidationError, match=r"a servicedesk\. key"):
        desk.set_service_desk_settings({"sla.default_days": "3"})
    with pytest.raises(ValidationError, match=r"servicedesk\.sla\.<priority>"):
        desk.set_service_desk_settings({"servicedesk.sla.nope": "1/2"})
    assert desk.service_desk_policy() == before
    desk.set_service_desk_settings({"servicedesk.sla.tax.urgent": "0.5/4"})
    policy, hours = desk.service_desk_policy()
    target = policy.target(InquiryCategory.TAX, Priority.URGENT)
    assert str(target) == "0.5/4"
    assert target.first_response_hours == Decimal("0.5")
    assert (hours.opens, hours.closes, hours.zone) == (dt.time(9), dt.time(18), "UTC")


def test_a_repeated_idempotency_key_opens_one_inquiry(desk: Book, clock: FakeClock) -> None:
    clock.now = at(14, 10)
    first = desk.open_inquiry(
        "C1", subject="q", channel="chat", category="tax", idempotency_key="chat-991"
    )
    again = desk.open_inquiry(
        "C1", subject="q", channel="chat", category="tax", idempotency_key="chat-991"
    )
    assert again == first
    assert [i.id for i in desk.list_inquiries()] == [first.id]
    assert desk.list_inquiries(status="new") == [first]
    assert desk.list_inquiries(status=InquiryStatus.CLOSED) == []


def test_a_retried_response_records_one_contact(desk: Book, clock: FakeClock) -> None:
    inquiry = _ask(desk, clock)
    clock.now = at(14, 11)
    first = desk.respond_to_inquiry(inquiry, summary="on it", idempotency_key="mail-7")
    clock.now = at(14, 11, 5)  # the retry comes later: "now" is not part of the command
    again = desk.respond_to_inquiry(inquiry, summary="on it", idempotency_key="mail-7")
    assert again == first
    assert first.first_response_at == at(14, 11)
    assert [c.started for c in desk.inquiry_contacts(inquiry)] == [at(14, 11)]
