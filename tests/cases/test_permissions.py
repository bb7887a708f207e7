"""The permission matrix and running approval limits, as pure rules."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.cases import (
    PERMISSIONS,
    ApprovalAction,
    ApprovalPolicy,
    ApprovalThreshold,
    Command,
    LimitWindow,
    Role,
    RoleAssignment,
    RunningTotals,
    allowed_roles,
    approval_hold,
    approval_policy_from_settings,
    approval_policy_settings,
    approval_reason,
    check_permission,
    parse_command,
    permission_problem,
    request_approval,
)
from o2c.cases.permissions import CONTROLLERS, LEADS, STAFF, Permission
from o2c.errors import CommandNotPermitted, InvariantViolation, ValidationError
from o2c.ids import ApprovalId
from o2c.money import Money

OCT5 = dt.date(2026, 10, 5)
TEAM = (
    RoleAssignment("ana", Role.SPECIALIST),
    RoleAssignment("bo", Role.LEAD),
    RoleAssignment("cy", Role.CONTROLLER),
    RoleAssignment("dee", Role.AUDITOR),
)


def mxn(text: str) -> Money:
    return Money.of(text, "MXN")


# -- the matrix ----------------------------------------------------------------------------


def test_a_book_without_roles_lets_anyone_run_anything() -> None:
    for command in Command:
        assert permission_problem(command, "mallory", []) is None


@pytest.mark.parametrize("command", list(Command), ids=lambda c: c.value)
def test_each_command_is_open_to_exactly_its_roles(command: Command) -> None:
    for assignment in TEAM:
        problem = permission_problem(command, assignment.actor, TEAM)
        assert (problem is None) is (assignment.role in PERMISSIONS[command].roles)
    refused = permission_problem(command, "mallory", TEAM)
    assert isinstance(refused, CommandNotPermitted)
    assert (refused.actor, refused.command, refused.held) == ("mallory", command.value, ())


def test_the_matrix_gives_the_team_its_usual_split() -> None:
    assert allowed_roles(Command.VOID_DOCUMENT) == STAFF
    assert allowed_roles("import_rate_card") == LEADS
    for command in (Command.CLOSE_PERIOD, Command.SET_POLICY_SETTINGS, Command.ASSIGN_ROLE):
        assert allowed_roles(command) == CONTROLLERS
    assert not any(Role.AUDITOR in p.roles for p in PERMISSIONS.values())


def test_the_refusal_names_actor_command_and_the_roles_that_may() -> None:
    with pytest.raises(CommandNotPermitted) as refused:
        check_permission(Command.WRITE_OFF, "dee", TEAM)
    assert str(refused.value) == (
        "dee holds auditor (read-only); only a specialist, lead or controller may write off "
        "invoices (write_off)"
    )
    with pytest.raises(CommandNotPermitted) as by_lead:
        check_permission(Command.CLOSE_PERIOD, "Bo ", TEAM)
    assert (
        str(by_lead.value) == "Bo  holds lead; only a controller may close periods (close_period)"
    )


def test_names_are_compared_ignoring_case() -> None:
    check_permission(Command.REFUND, "ANA", TEAM)


def test_the_auditor_role_cannot_be_given_a_command() -> None:
    with pytest.raises(InvariantViolation, match="read-only"):
        Permission(frozenset({Role.AUDITOR}), "peek")


def test_an_unknown_command_is_a_programming_error() -> None:
    with pytest.raises(InvariantViolation, match="'teleport' is not in the permission matrix"):
        parse_command("teleport")
    assert parse_command("void_document") is Command.VOID_DOCUMENT


def test_roles_are_assigned_by_anyone_holding_one_until_there_is_a_controller() -> None:
    setting_up = (RoleAssignment("ana", Role.SPECIALIST), RoleAssignment("dee", Role.AUDITOR))
    assert permission_problem(Command.ASSIGN_ROLE, "ana", setting_up) is None
    assert permission_problem(Command.REVOKE_ROLE, "ana", setting_up) is None
    assert permission_problem(Command.ASSIGN_ROLE, "dee", setting_up) is not None  # read-only
    assert permission_problem(Command.ASSIGN_ROLE, "mallory", setting_up) is not None
    # Other controller commands wait for the controller.
    assert permission_problem(Command.SET_POLICY_SETTINGS, "ana", setting_up) is not None
    assert permission_problem(Command.ASSIGN_ROLE, "ana", TEAM) is not None


GUIDE = Path(__file__).resolve().parents[2] / "docs" / "guide" / "operations.md"


def test_the_operations_guide_shows_the_matrix_as_it_is() -> None:
    text = GUIDE.read_text(encoding="utf-8")
    section = text.split("## Roles and permissions", 1)[1].split("\n## ", 1)[0]
    rows = re.findall(r"^\| `([a-z_]+)` \| ([^|]+) \| ([a-z, ]+) \|$", section, re.MULTILINE)
    shown = {command: (what.strip(), roles.strip()) for command, what, roles in rows}
    expected = {
        command.value: (
            permission.what,
            ", ".join(r.value for r in sorted(permission.roles, key=lambda r: r.rank)),
        )
        for command, permission in PERMISSIONS.items()
    }
    assert shown == expected


# -- running limits ------------------------------------------------------------------------


POLICY = ApprovalPolicy([ApprovalThreshold(ApprovalAction.REFUND, mxn("500.00"))])


def _totals(day: str, month: str | None = None) -> RunningTotals:
    return RunningTotals("C1", OCT5, mxn(day), mxn(month or day))


def test_a_refund_under_the_limit_is_held_when_the_days_total_passes_it() -> None:
    sixth = mxn("133.34")
    assert approval_reason(POLICY, ApprovalAction.REFUND, sixth, totals=_totals("0")) is None
    assert approval_reason(POLICY, ApprovalAction.REFUND, sixth, totals=_totals("366.66")) is None
    held = approval_hold(POLICY, ApprovalAction.REFUND, sixth, totals=_totals("400.02"))
    assert held is not None
    reason, threshold = held
    assert reason == (
        "refund of 133.34 MXN brings C1's refund total on 2026-10-05 to 533.36 MXN "
        "(400.02 MXN before it), over the daily limit of 500.00 MXN"
    )
    assert threshold == POLICY.threshold(ApprovalAction.REFUND, "MXN")


def test_exactly_the_limit_in_a_day_is_allowed() -> None:
    assert (
        approval_reason(POLICY, ApprovalAction.REFUND, mxn("100.00"), totals=_totals("400.00"))
        is None
    )
    assert (
        approval_reason(POLICY, ApprovalAction.REFUND, mxn("100.01"), totals=_totals("400.00"))
        is not None
    )


def test_a_month_threshold_holds_the_month_and_names_its_role() -> None:
    policy = approval_policy_from_settings(
        {"approval.refund.MXN": "500.00 lead", "approval.refund.MXN.month": "1000.00 controller"}
    )
    amount = mxn("133.34")
    held = request_approval(
        ApprovalId("A-1"),
        policy=policy,
        action=ApprovalAction.REFUND,
        requested_by="ana",
        requested_on=OCT5,
        amount=amount,
        totals=_totals("133.34", "933.38"),
    )
    assert held is not None
    assert held.required_role is Role.CONTROLLER
    assert held.reason.endswith("in 2026-10 to 1066.72 MXN (933.38 MXN before it), over the "
                                "monthly limit of 1000.00 MXN")  # fmt: skip


def test_a_day_threshold_replaces_the_request_limit_for_the_day() -> None:
    policy = approval_policy_from_settings(
        {"approval.refund.MXN": "500.00", "approval.refund.MXN.day": "800.00 controller"}
    )
    assert policy.running_limit(ApprovalAction.REFUND, "MXN", LimitWindow.DAY) == (
        ApprovalThreshold(ApprovalAction.REFUND, mxn("800.00"), Role.CONTROLLER, LimitWindow.DAY)
    )
    assert (
        approval_reason(policy, ApprovalAction.REFUND, mxn("133.34"), totals=_totals("666.66"))
        is None  # exactly 800.00
    )
    assert approval_reason(policy, ApprovalAction.REFUND, mxn("500.01")) is not None


def test_only_a_month_threshold_still_holds_the_month() -> None:
    policy = approval_policy_from_settings({"approval.refund.MXN.month": "1000.00"})
    assert approval_reason(policy, ApprovalAction.REFUND, mxn("900.00")) is None
    assert (
        approval_reason(policy, ApprovalAction.REFUND, mxn("200.00"), totals=_totals("0", "900.00"))
        is not None
    )
    assert approval_reason(policy, ApprovalAction.REFUND, Money.of("1.00", "USD")) == (
        "no refund threshold in USD"
    )


def test_day_and_month_thresholds_read_and_write_as_settings() -> None:
    settings = {
        "approval.refund.MXN": "500.00 lead",
        "approval.refund.MXN.day": "800.00 lead",
        "approval.refund.MXN.month": "2000.00 controller",
        "approval.void.MXN": "1000.00 lead",
        "extension.max_days": "30",
        "extension.role": "lead",
    }
    policy = approval_policy_from_settings(settings)
    assert approval_policy_settings(policy) == settings


@pytest.mark.parametrize(
    ("key", "value", "field"),
    [
        ("approval.refund.MXN.week", "100.00", "approval.refund.MXN.week"),
        ("approval.refund.MXN.day.extra", "100.00", None),
        ("approval.refund.MXN.month", "lots", "approval.refund.MXN.month"),
    ],
)
def test_bad_window_settings_are_refused_naming_the_key(
    key: str, value: str, field: str | None
) -> None:
    if field is None:  # five parts: not an approval key, ignored like other keys
        assert approval_policy_from_settings({key: value}).thresholds == ()
        return
    with pytest.raises(ValidationError) as refused:
        approval_policy_from_settings({key: value})
    assert refused.value.field == field


def test_running_totals_are_amounts_of_one_currency_with_the_month_holding_the_day() -> None:
    with pytest.raises(ValidationError, match=r"totals\.day"):
        RunningTotals("C1", OCT5, mxn("-1.00"), mxn("0"))
    with pytest.raises(ValidationError, match=r"totals\.month"):
        RunningTotals("C1", OCT5, mxn("5.00"), mxn("4.00"))
    with pytest.raises(ValidationError, match=r"totals\.month"):
        RunningTotals("C1", OCT5, mxn("5.00"), Money.of("5.00", "USD"))


@given(st.lists(st.integers(1, 50_000), max_size=30), st.integers(0, 100_000))
def test_what_runs_without_approval_in_a_day_never_passes_the_limit(
    cents: list[int], limit_cents: int
) -> None:
    limit = Money.from_minor(limit_cents, "MXN")
    policy = ApprovalPolicy([ApprovalThreshold(ApprovalAction.REFUND, limit)])
    ran = Money.zero("MXN")
    for minor in cents:
        amount = Money.from_minor(minor, "MXN")
        totals = RunningTotals("C1", OCT5, ran, ran)
        if approval_reason(policy, ApprovalAction.REFUND, amount, totals=totals) is None:
            ran += amount
    assert ran <= limit
