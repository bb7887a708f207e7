"""Case values survive the book's JSON converter unchanged (the Book stores them so)."""

from __future__ import annotations

import datetime as dt

from o2c.calendar import BusinessCalendar
from o2c.cases import (
    ApprovalAction,
    ApprovalId,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalThreshold,
    Channel,
    Dispute,
    DisputeId,
    DisputeReason,
    ExtensionId,
    InteractionNote,
    NoteId,
    NoteTarget,
    PaymentExtension,
    SlaPolicy,
    escalate,
    grant_extension,
    open_dispute,
    request_approval,
)
from o2c.ids import CustomerId, DocumentId
from o2c.io import from_json, to_json
from o2c.kpi import KpiValue, dso
from o2c.money import Money

DAY = dt.date(2026, 10, 1)


def test_dispute_with_history_round_trips_through_json() -> None:
    d = open_dispute(
        DisputeId("D-1"),
        document_id=DocumentId("I-1"),
        customer_id=CustomerId("C-1"),
        amount=Money.of("1.00", "USD"),
        reason=DisputeReason.TAX_ERROR,
        channel=Channel.PORTAL,
        opened_on=DAY,
        actor="ana",
        policy=SlaPolicy(),
        calendar=BusinessCalendar("MX"),
        line_numbers=[1, 3],
        at=dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC),
    )
    d = escalate(d, "bo", DAY + dt.timedelta(days=1), "key account")
    assert from_json(to_json(d), Dispute) == d


def test_policies_requests_extensions_notes_and_kpis_round_trip() -> None:
    policy = ApprovalPolicy([ApprovalThreshold(ApprovalAction.REFUND, Money.of("5.00", "USD"))])
    request = request_approval(
        ApprovalId("A-1"),
        policy=policy,
        action=ApprovalAction.REFUND,
        requested_by="ana",
        requested_on=DAY,
        amount=Money.of("9.00", "USD"),
    )
    extension, _ = grant_extension(
        ExtensionId("X-1"),
        document_id=DocumentId("I-1"),
        customer_id=CustomerId("C-1"),
        original_due=DAY,
        new_due=DAY + dt.timedelta(days=10),
        reason="promise to pay",
        actor="ana",
        on=DAY,
        policy=policy,
        approval_id=ApprovalId("A-2"),
    )
    start = dt.datetime(2026, 10, 1, 9, tzinfo=dt.UTC)
    note = InteractionNote(
        NoteId("N-1"), NoteTarget.CUSTOMER, "C-1", Channel.PHONE, "x", "ana", start, start
    )
    kpi = dso(Money.of("1.00", "USD"), Money.of("3.00", "USD"), 30)
    sla = SlaPolicy(10, {DisputeReason.DUPLICATE: 3})
    assert from_json(to_json(policy), ApprovalPolicy) == policy
    assert from_json(to_json(request), ApprovalRequest) == request
    assert from_json(to_json(extension), PaymentExtension) == extension
    assert from_json(to_json(note), InteractionNote) == note
    assert from_json(to_json(kpi), KpiValue) == kpi
    assert from_json(to_json(sla), SlaPolicy) == sla
