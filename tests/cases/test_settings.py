"""Approval and SLA policies as book settings."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from o2c.cases import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalThreshold,
    DisputeReason,
    ExtensionPolicy,
    Role,
    SlaPolicy,
    approval_policy_from_settings,
    approval_policy_settings,
    sla_policy_from_settings,
    sla_policy_settings,
)
from o2c.errors import ValidationError
from o2c.money import Money


def test_approval_settings_read_thresholds_roles_and_the_extension_limit() -> None:
    policy = approval_policy_from_settings(
        {
            "approval.refund.USD": "500.00",
            "approval.write_off.MXN": "0 controller",
            "approval.credit_note.USD": "1000.00 any",
            "extension.max_days": "45",
            "extension.role": "controller",
            "account.receivable": "1200",
        }
    )
    assert policy == ApprovalPolicy(
        [
            ApprovalThreshold(ApprovalAction.REFUND, Money.of("500.00", "USD"), Role.LEAD),
            ApprovalThreshold(ApprovalAction.WRITE_OFF, Money.of(0, "MXN"), Role.CONTROLLER),
            ApprovalThreshold(ApprovalAction.CREDIT_NOTE, Money.of("1000.00", "USD"), None),
        ],
        ExtensionPolicy(45, Role.CONTROLLER),
    )


def test_empty_settings_give_the_default_policies() -> None:
    assert approval_policy_from_settings({}) == ApprovalPolicy()
    assert sla_policy_from_settings({}) == SlaPolicy()


@pytest.mark.parametrize(
    ("key", "value"),
    [
        ("approval.refund.USD", "lots"),
        ("approval.refund.XYZ", "5"),
        ("approval.refund.USD", "5 boss"),
        ("approval.gift.USD", "5"),
        ("extension.max_days", "-1"),
        ("sla.unknown", "3"),
        ("sla.duplicate", "three"),
    ],
)
def test_bad_setting_names_its_key(key: str, value: str) -> None:
    read = sla_policy_from_settings if key.startswith("sla.") else approval_policy_from_settings
    with pytest.raises(ValidationError) as info:
        read({key: value})
    assert info.value.field == key


def test_sla_settings_read_default_and_per_reason_days() -> None:
    policy = sla_policy_from_settings({"sla.default_days": "8", "sla.duplicate": "3"})
    assert policy == SlaPolicy(8, {DisputeReason.DUPLICATE: 3})


roles = st.sampled_from([*Role, None])
thresholds = st.lists(
    st.tuples(st.sampled_from(ApprovalAction), st.sampled_from(["USD", "MXN", "JPY"])),
    unique=True,
    max_size=6,
)


@given(thresholds, st.integers(0, 10**7), roles, st.integers(0, 400), roles)
def test_approval_settings_round_trip(
    keys: list[tuple[ApprovalAction, str]],
    cents: int,
    role: Role | None,
    days: int,
    extension_role: Role | None,
) -> None:
    policy = ApprovalPolicy(
        [ApprovalThreshold(a, Money.from_minor(cents, cur), role) for a, cur in keys],
        ExtensionPolicy(days, extension_role),
    )
    assert approval_policy_from_settings(approval_policy_settings(policy)) == policy


@given(st.integers(0, 366), st.dictionaries(st.sampled_from(DisputeReason), st.integers(0, 366)))
def test_sla_settings_round_trip(default: int, by_reason: dict[DisputeReason, int]) -> None:
    policy = SlaPolicy(default, by_reason)
    assert sla_policy_from_settings(sla_policy_settings(policy)) == policy
