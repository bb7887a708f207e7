"""Payment extensions: limit, approval and the effective due date."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.cases import (
    ApprovalAction,
    ApprovalId,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalThreshold,
    ExtensionId,
    ExtensionPolicy,
    ExtensionStatus,
    PaymentExtension,
    Role,
    activate_extension,
    approve,
    effective_due_date,
    extended_due_dates,
    grant_extension,
    reject_request,
)
from o2c.errors import InvalidState, PermissionDenied, SegregationOfDuties, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money

DUE = dt.date(2026, 10, 31)
TODAY = dt.date(2026, 10, 20)
POLICY = ApprovalPolicy(extension=ExtensionPolicy(max_days=30, role=Role.LEAD))


def _grant(
    new_due: dt.date, original_due: dt.date = DUE
) -> tuple[PaymentExtension, ApprovalRequest | None]:
    return grant_extension(
        ExtensionId("X-1"),
        document_id=DocumentId("INV-1"),
        customer_id=CustomerId("C-1"),
        original_due=original_due,
        new_due=new_due,
        reason="awaiting PO",
        actor="ana",
        on=TODAY,
        policy=POLICY,
        approval_id=ApprovalId("A-1"),
    )


def test_extension_within_the_limit_is_active_at_once() -> None:
    ext, request = _grant(DUE + dt.timedelta(days=30))
    assert request is None
    assert (ext.status, ext.granted_by, ext.days) == (ExtensionStatus.ACTIVE, "ana", 30)
    assert effective_due_date(DUE, [ext]) == dt.date(2026, 11, 30)


def test_extension_over_the_limit_waits_for_approval() -> None:
    ext, request = grant_extension(
        ExtensionId("X-1"),
        document_id=DocumentId("INV-1"),
        customer_id=CustomerId("C-1"),
        original_due=DUE,
        new_due=DUE + dt.timedelta(days=31),
        reason="awaiting PO",
        actor="ana",
        on=TODAY,
        policy=POLICY,
        approval_id=ApprovalId("A-1"),
    )
    assert ext.status is ExtensionStatus.PENDING_APPROVAL
    assert ext.granted_by is None
    assert request is not None
    assert (request.action, request.status, request.days, request.required_role) == (
        ApprovalAction.EXTENSION,
        ApprovalStatus.PENDING,
        31,
        Role.LEAD,
    )
    assert request.reason == "extension of 31 days exceeds the limit of 30 days"
    # Until approved the invoice keeps its original due date.
    assert effective_due_date(DUE, [ext]) == DUE

    with pytest.raises(SegregationOfDuties):
        approve(request, "ana", {Role.LEAD}, on=TODAY)
    approved = approve(request, "bo", {Role.LEAD}, "customer pays on PO", on=TODAY)
    active = activate_extension(ext, approved)
    assert (active.status, active.granted_by) == (ExtensionStatus.ACTIVE, "bo")
    assert effective_due_date(DUE, [active]) == dt.date(2026, 12, 1)
    assert active.original_due == DUE


def test_an_extension_of_a_large_amount_waits_even_within_the_day_limit() -> None:
    policy = ApprovalPolicy(
        [ApprovalThreshold(ApprovalAction.EXTENSION, Money.of("5000.00", "USD"), Role.CONTROLLER)],
        ExtensionPolicy(max_days=30, role=Role.LEAD),
    )

    def grant(new_due: dt.date, amount: str) -> tuple[PaymentExtension, ApprovalRequest | None]:
        return grant_extension(
            ExtensionId("X-1"),
            document_id=DocumentId("INV-1"),
            customer_id=CustomerId("C-1"),
            original_due=DUE,
            new_due=new_due,
            reason="awaiting PO",
            actor="ana",
            on=TODAY,
            policy=policy,
            approval_id=ApprovalId("A-1"),
            amount=Money.of(amount, "USD"),
        )

    ext, request = grant(DUE + dt.timedelta(days=10), "5000.00")  # at the threshold
    assert (ext.status, request) == (ExtensionStatus.ACTIVE, None)
    ext, request = grant(DUE + dt.timedelta(days=10), "5000.01")
    assert ext.status is ExtensionStatus.PENDING_APPROVAL
    assert request is not None
    assert request.reason == "extension of 5000.01 USD exceeds the limit of 5000.00 USD"
    assert (request.amount, request.days, request.required_role) == (
        Money.of("5000.01", "USD"),
        10,
        Role.CONTROLLER,
    )
    # Over both limits: both reasons, and the higher of the two roles decides.
    _, both = grant(DUE + dt.timedelta(days=45), "9000.00")
    assert both is not None
    assert both.reason == (
        "extension of 45 days exceeds the limit of 30 days; "
        "extension of 9000.00 USD exceeds the limit of 5000.00 USD"
    )
    assert both.required_role is Role.CONTROLLER
    with pytest.raises(PermissionDenied):
        approve(both, "bo", {Role.LEAD}, on=TODAY)
    # Without an amount only the days are measured, as before.
    _, by_days = _grant(DUE + dt.timedelta(days=31))
    assert by_days is not None
    assert (by_days.amount, by_days.required_role) == (None, Role.LEAD)


def test_rejected_extension_leaves_the_due_date() -> None:
    ext, request = _grant(DUE + dt.timedelta(days=60))
    assert request is not None
    no = reject_request(request, "bo", {Role.LEAD}, "too long", on=TODAY)
    rejected = activate_extension(ext, no)
    assert rejected.status is ExtensionStatus.REJECTED
    assert effective_due_date(DUE, [rejected]) == DUE


def test_held_extension_cannot_be_activated_by_a_pending_or_foreign_request() -> None:
    ext, request = _grant(DUE + dt.timedelta(days=60))
    assert request is not None
    with pytest.raises(InvalidState, match="still pending"):
        activate_extension(ext, request)
    other = approve(request, "bo", {Role.LEAD}, on=TODAY)
    with pytest.raises(InvalidState, match="does not hold"):
        activate_extension(ext, attrs.evolve(other, id=ApprovalId("A-2")))


def test_the_limit_counts_from_the_original_due_date() -> None:
    # A second extension from Nov 20 to Dec 10 moves the invoice 40 days past its
    # original Oct 31 due date: over the 30-day limit although each step is 20 days.
    ext, request = _grant(dt.date(2026, 12, 10))
    assert request is not None
    assert ext.days == 40


def test_new_due_date_must_be_later() -> None:
    with pytest.raises(ValidationError, match=r"extension\.new_due"):
        _grant(DUE)


def test_effective_due_date_takes_the_furthest_active_extension() -> None:
    first, _ = _grant(dt.date(2026, 11, 20))
    second, _ = _grant(dt.date(2026, 11, 10))
    assert effective_due_date(DUE, [first, second]) == dt.date(2026, 11, 20)


def test_extended_due_dates_ignore_pending_extensions() -> None:
    active, _ = _grant(dt.date(2026, 11, 20))
    pending, _ = _grant(dt.date(2026, 12, 31))
    assert extended_due_dates([active, pending]) == {"INV-1": dt.date(2026, 11, 20)}
