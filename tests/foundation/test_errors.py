"""The error hierarchy: one root, grouped by who must act, messages that name thing and value."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c import errors
from o2c.errors import (
    ApprovalRequired,
    Conflict,
    CurrencyMismatch,
    DuplicateCommand,
    InvalidState,
    InvariantViolation,
    NotFound,
    O2CError,
    PeriodClosed,
    PermissionDenied,
    SegregationOfDuties,
    StoreError,
    ValidationError,
)
from o2c.money import Money


def test_every_public_error_is_an_o2c_error() -> None:
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert issubclass(cls, O2CError), name


@pytest.mark.parametrize(
    ("cls", "builtin"),
    [
        (ValidationError, ValueError),
        (CurrencyMismatch, ValueError),
        (NotFound, LookupError),
        (PermissionDenied, PermissionError),
        (SegregationOfDuties, PermissionError),
        (InvariantViolation, AssertionError),
    ],
)
def test_errors_also_subclass_the_nearest_builtin(cls: type[O2CError], builtin: type) -> None:
    assert issubclass(cls, builtin)


def test_forbidden_transitions_share_a_base() -> None:
    assert issubclass(PeriodClosed, InvalidState)
    assert issubclass(SegregationOfDuties, PermissionDenied)


def test_validation_error_names_field_expected_and_value() -> None:
    err = ValidationError("lines[2].quantity", "-3", "a number >= 0")
    assert str(err) == "lines[2].quantity: expected a number >= 0, got '-3'"
    assert (err.field, err.value, err.expected) == ("lines[2].quantity", "-3", "a number >= 0")


def test_currency_mismatch_names_both_currencies_and_the_operation() -> None:
    with pytest.raises(CurrencyMismatch) as info:
        _ = Money.of("1.00", "USD") + Money.of("1.00", "MXN")
    assert str(info.value) == "cannot add USD and MXN amounts; convert one currency first"
    assert (info.value.left, info.value.right, info.value.operation) == ("USD", "MXN", "add")


def test_not_found_names_the_kind_and_the_key() -> None:
    assert str(NotFound("invoice", "INV-2026-000042")) == "invoice INV-2026-000042 not found"
    hinted = NotFound("customer", "C-9", hint="list customers with `o2c customer list`")
    assert str(hinted) == "customer C-9 not found; list customers with `o2c customer list`"
    assert (hinted.kind, hinted.key) == ("customer", "C-9")


def test_invalid_state_says_what_to_do_instead() -> None:
    err = InvalidState(
        "invoice INV-2026-000042 is already paid; issue a credit note instead",
        document_id="d-42",
    )
    assert "INV-2026-000042" in str(err)
    assert "credit note instead" in str(err)
    assert err.document_id == "d-42"


def test_period_closed_names_the_period_and_the_date() -> None:
    err = PeriodClosed("2026-09", dt.date(2026, 9, 30))
    assert str(err) == (
        "period 2026-09 is closed; cannot post on 2026-09-30; "
        "post the correction in the next open period"
    )


def test_approval_required_names_the_action_and_the_pending_request() -> None:
    pending = ApprovalRequired("refund", "APR-7", "800.00 USD is over 500.00 USD")
    assert str(pending) == "refund needs approval (800.00 USD is over 500.00 USD); pending as APR-7"


def test_segregation_of_duties_names_the_actor_and_the_request() -> None:
    err = SegregationOfDuties("ana", "APR-7")
    assert str(err).startswith("ana requested APR-7 and cannot approve it")
    assert (err.actor, err.approval_id) == ("ana", "APR-7")


def test_duplicate_command_names_the_key() -> None:
    assert str(DuplicateCommand("pay-123")) == (
        "idempotency key 'pay-123' was already used for a different command"
    )


def test_plain_message_errors_keep_their_message() -> None:
    for cls in (Conflict, StoreError, InvariantViolation, PermissionDenied):
        err = cls("invoice INV-2026-000042 was changed by another user; retry")
        assert (
            str(err) == err.message == "invoice INV-2026-000042 was changed by another user; retry"
        )
