"""Approval policy, segregation of duties and roles."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.cases import (
    ApprovalAction,
    ApprovalId,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    ApprovalThreshold,
    ExtensionPolicy,
    Role,
    RoleAssignment,
    approval_reason,
    approve,
    needs_approval,
    reject_request,
    request_approval,
    required_role,
    roles_of,
)
from o2c.errors import InvalidState, PermissionDenied, SegregationOfDuties, ValidationError
from o2c.money import Money

DAY = dt.date(2026, 10, 5)
POLICY = ApprovalPolicy(
    [
        ApprovalThreshold(ApprovalAction.REFUND, Money.of("500.00", "USD"), Role.LEAD),
        ApprovalThreshold(ApprovalAction.REFUND, Money.of("10000.00", "MXN"), Role.LEAD),
        ApprovalThreshold(ApprovalAction.WRITE_OFF, Money.of("0.00", "USD"), Role.CONTROLLER),
    ],
    extension=ExtensionPolicy(max_days=30, role=Role.LEAD),
)


def _refund_request(amount: str = "800.00") -> ApprovalRequest:
    request = request_approval(
        ApprovalId("A-1"),
        policy=POLICY,
        action=ApprovalAction.REFUND,
        requested_by="ana",
        requested_on=DAY,
        amount=Money.of(amount, "USD"),
        subject_id="C-1",
        summary="refund 800.00 USD to C-1",
    )
    assert request is not None
    return request


def test_refund_at_the_threshold_runs_without_approval() -> None:
    assert not needs_approval(POLICY, ApprovalAction.REFUND, Money.of("500.00", "USD"))
    assert (
        request_approval(
            ApprovalId("A-0"),
            policy=POLICY,
            action=ApprovalAction.REFUND,
            requested_by="ana",
            requested_on=DAY,
            amount=Money.of("500.00", "USD"),
        )
        is None
    )


def test_refund_one_cent_above_the_threshold_waits_as_pending() -> None:
    request = _refund_request("500.01")
    assert request.status is ApprovalStatus.PENDING
    assert request.reason == "refund of 500.01 USD exceeds the limit of 500.00 USD"
    assert request.required_role is Role.LEAD
    assert request.decided_by is None


def test_threshold_applies_per_currency() -> None:
    assert not needs_approval(POLICY, ApprovalAction.REFUND, Money.of("9000.00", "MXN"))
    assert needs_approval(POLICY, ApprovalAction.REFUND, Money.of("10000.01", "MXN"))


def test_currency_without_threshold_is_held_not_let_through() -> None:
    reason = approval_reason(POLICY, ApprovalAction.REFUND, Money.of("1.00", "EUR"))
    assert reason == "no refund threshold in EUR"
    assert required_role(POLICY, ApprovalAction.REFUND, Money.of("1.00", "EUR")) is Role.LEAD


def test_action_without_thresholds_never_waits() -> None:
    assert not needs_approval(POLICY, ApprovalAction.CREDIT_NOTE, Money.of("99999.00", "USD"))


def test_zero_threshold_holds_every_write_off() -> None:
    assert needs_approval(POLICY, ApprovalAction.WRITE_OFF, Money.of("0.01", "USD"))
    assert required_role(POLICY, ApprovalAction.WRITE_OFF, Money.of("0.01", "USD")) is (
        Role.CONTROLLER
    )


def test_extension_over_the_day_limit_needs_approval() -> None:
    assert not needs_approval(POLICY, ApprovalAction.EXTENSION, days=30)
    assert needs_approval(POLICY, ApprovalAction.EXTENSION, days=31)


def test_requester_approving_own_refund_is_refused_and_nothing_changes() -> None:
    request = _refund_request()
    with pytest.raises(SegregationOfDuties) as info:
        approve(request, "ana", {Role.LEAD, Role.CONTROLLER}, "fine", on=DAY)
    assert str(info.value) == (
        "ana requested A-1 and cannot approve it; another approver must decide "
        "(segregation of duties)"
    )
    assert request.status is ApprovalStatus.PENDING
    assert request.decided_by is None


def test_segregation_of_duties_ignores_case_and_spaces() -> None:
    with pytest.raises(SegregationOfDuties):
        approve(_refund_request(), " ANA ", {Role.LEAD}, on=DAY)


def test_requester_cannot_reject_own_request_either() -> None:
    with pytest.raises(SegregationOfDuties):
        reject_request(_refund_request(), "ana", {Role.LEAD}, "withdrawn", on=DAY)


def test_approver_without_the_role_is_denied() -> None:
    with pytest.raises(PermissionDenied, match="bo holds specialist; approve refund A-1 needs"):
        approve(_refund_request(), "bo", {Role.SPECIALIST}, on=DAY)


def test_higher_role_satisfies_a_lower_requirement() -> None:
    done = approve(_refund_request(), "cy", {Role.CONTROLLER}, "ok", on=DAY + dt.timedelta(1))
    assert done.status is ApprovalStatus.APPROVED
    assert (done.decided_by, done.decided_on, done.comment) == ("cy", dt.date(2026, 10, 6), "ok")


def test_auditor_approves_nothing() -> None:
    with pytest.raises(PermissionDenied):
        approve(_refund_request(), "au", {Role.AUDITOR}, on=DAY)


def test_decided_request_cannot_be_decided_again() -> None:
    done = approve(_refund_request(), "bo", {Role.LEAD}, on=DAY)
    with pytest.raises(InvalidState, match="already approved by bo"):
        reject_request(done, "cy", {Role.CONTROLLER}, "no", on=DAY)


def test_rejection_needs_a_comment() -> None:
    with pytest.raises(ValidationError, match=r"approval\.comment"):
        reject_request(_refund_request(), "bo", {Role.LEAD}, "  ", on=DAY)
    done = reject_request(_refund_request(), "bo", {Role.LEAD}, "duplicate refund", on=DAY)
    assert done.status is ApprovalStatus.REJECTED


def test_roles_of_collects_an_actors_roles() -> None:
    assignments = [
        RoleAssignment("Bo", Role.LEAD),
        RoleAssignment("bo", Role.SPECIALIST),
        RoleAssignment("ana", Role.CONTROLLER),
    ]
    assert roles_of("bo", assignments) == {Role.LEAD, Role.SPECIALIST}
    assert roles_of("zed", assignments) == frozenset()


def test_policy_refuses_two_thresholds_for_one_action_and_currency() -> None:
    with pytest.raises(ValidationError, match="at most one threshold"):
        ApprovalPolicy(
            [
                ApprovalThreshold(ApprovalAction.REFUND, Money.of(1, "USD")),
                ApprovalThreshold(ApprovalAction.REFUND, Money.of(2, "USD")),
            ]
        )
