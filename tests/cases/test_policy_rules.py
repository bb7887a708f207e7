"""Operations policies as settings, who may change them, and when an extension is in force."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.cases import (
    ApprovalAction,
    ExtensionId,
    ExtensionStatus,
    PaymentExtension,
    Role,
    approval_policy_from_settings,
    calendar_from_settings,
    check_controller,
    check_policy_keys,
    extension_in_force,
    merge_policy_settings,
    parse_role,
    replacing_settings,
)
from o2c.errors import PermissionDenied, ValidationError
from o2c.ids import ApprovalId, CustomerId, DocumentId
from o2c.money import Money


def test_merging_policy_settings_adds_replaces_and_removes_keys() -> None:
    current = {"approval.refund.USD": "500.00 lead", "sla.default_days": "10"}
    merged = merge_policy_settings(
        current, {"approval.write_off.USD": " 250.00 controller ", "sla.default_days": ""}
    )
    assert merged == {
        "approval.refund.USD": "500.00 lead",
        "approval.write_off.USD": "250.00 controller",
    }
    policy = approval_policy_from_settings(merged)
    threshold = policy.threshold(ApprovalAction.WRITE_OFF, "USD")
    assert threshold is not None
    assert threshold.limit == Money.of("250.00", "USD")
    assert threshold.role is Role.CONTROLLER


def test_replacing_policy_settings_drops_other_approval_and_sla_keys_only() -> None:
    current = {
        "approval.refund.USD": "500.00",
        "sla.duplicate": "3",
        "extension.max_days": "45",
        "calendar.country": "US",
    }
    merged = merge_policy_settings(current, {"sla.default_days": "7"}, replace=True)
    assert merged == {
        "calendar.country": "US",
        "extension.max_days": "45",
        "sla.default_days": "7",
    }


def test_a_merge_that_makes_an_invalid_policy_is_refused() -> None:
    with pytest.raises(ValidationError):
        merge_policy_settings({}, {"approval.refund.USD": "lots"})
    with pytest.raises(ValidationError):
        merge_policy_settings({}, {"sla.default_days": "400"})
    with pytest.raises(ValidationError):
        merge_policy_settings({}, {"calendar.country": "XX"})


def test_only_operations_keys_are_policy_settings() -> None:
    check_policy_keys({"approval.refund.USD": "1", "calendar.country": "MX"})
    with pytest.raises(ValidationError) as raised:
        check_policy_keys({"sla.default_days": "3", "account.receivable": "1200"})
    assert raised.value.field == "account.receivable"


def test_the_sla_calendar_is_mexico_unless_set() -> None:
    assert calendar_from_settings({}).country == "MX"
    assert calendar_from_settings({"calendar.country": "NONE"}).country is None
    german = calendar_from_settings({"calendar.country": "DE", "calendar.subdivision": "BY"})
    assert (german.country, german.subdivision) == ("DE", "BY")


def test_replacing_settings_blanks_the_keys_of_the_prefix_not_wanted() -> None:
    changes = replacing_settings(
        {"approval.refund.USD": "100.00 lead"},
        {"approval.refund.MXN": "2000.00 lead", "approval.refund.USD": "1.00", "sla.x": "1"},
        "approval.",
    )
    assert changes == {"approval.refund.USD": "100.00 lead", "approval.refund.MXN": ""}


@given(
    current=st.dictionaries(
        st.sampled_from(["sla.default_days", "sla.duplicate", "extension.max_days"]),
        st.integers(min_value=0, max_value=90).map(str),
    ),
    changes=st.dictionaries(
        st.sampled_from(["sla.default_days", "sla.quality", "extension.max_days"]),
        st.one_of(st.just(""), st.integers(min_value=0, max_value=90).map(str)),
    ),
)
def test_merged_settings_hold_every_change_and_no_blank_value(
    current: dict[str, str], changes: dict[str, str]
) -> None:
    merged = merge_policy_settings(current, changes)
    assert all(value.strip() for value in merged.values())
    for key, value in changes.items():
        assert merged.get(key, "") == value.strip()
    for key in current.keys() - changes.keys():
        assert merged[key] == current[key]


def test_roles_are_named_ignoring_case_and_spaces() -> None:
    assert parse_role(" Controller ") is Role.CONTROLLER
    assert parse_role(Role.AUDITOR) is Role.AUDITOR
    with pytest.raises(ValidationError, match="one of specialist, lead, controller, auditor"):
        parse_role("boss")


def test_anyone_may_change_policies_until_the_book_has_a_controller() -> None:
    check_controller("ana", frozenset(), book_has_controller=False, what="assign roles")
    check_controller("bo", {Role.CONTROLLER}, book_has_controller=True, what="assign roles")
    with pytest.raises(PermissionDenied, match="ana is not a controller; only a controller"):
        check_controller("ana", {Role.LEAD}, book_has_controller=True, what="assign roles")


def _extension(status: ExtensionStatus) -> PaymentExtension:
    return PaymentExtension(
        ExtensionId("EXT1"),
        DocumentId("D1"),
        CustomerId("C1"),
        dt.date(2026, 10, 31),
        dt.date(2026, 12, 15),
        "awaiting PO",
        "ana",
        dt.date(2026, 10, 20),
        status,
        approval_id=ApprovalId("APR1"),
        granted_by="bo" if status is ExtensionStatus.ACTIVE else None,
    )


def test_an_approved_extension_is_in_force_from_its_decision_date() -> None:
    approved = _extension(ExtensionStatus.ACTIVE)
    decided = dt.date(2026, 10, 27)
    assert not extension_in_force(approved, dt.date(2026, 10, 26), decided_on=decided)
    assert extension_in_force(approved, decided, decided_on=decided)
    assert extension_in_force(approved, dt.date(2026, 10, 20))


def test_a_pending_or_rejected_extension_is_never_in_force() -> None:
    for status in (ExtensionStatus.PENDING_APPROVAL, ExtensionStatus.REJECTED):
        assert not extension_in_force(_extension(status), dt.date(2027, 1, 1))
