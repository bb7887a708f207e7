"""Journal entries balance per currency and are corrected by reversal only."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.errors import InvariantViolation, ValidationError
from o2c.ids import AccountCode, CustomerId, EntryId
from o2c.ledger import EntryKind, JournalEntry, Posting, reverse_entry, trial_balance
from tests.ledger.conftest import money

D = dt.date(2026, 10, 1)


def _entry(*lines: Posting, entry_id: str = "E1") -> JournalEntry:
    return JournalEntry(EntryId(entry_id), D, EntryKind.PAYMENT, "P1", lines)


def test_entry_that_does_not_balance_per_currency_cannot_exist() -> None:
    # Balanced in total value but not per currency: 10 USD against 10 EUR.
    with pytest.raises(InvariantViolation, match="does not balance in EUR"):
        _entry(
            Posting(AccountCode("1000"), money("10.00")),
            Posting(AccountCode("2100"), money("-10.00", "EUR")),
        )


def test_entry_may_hold_several_currencies_each_balanced() -> None:
    entry = _entry(
        Posting(AccountCode("1000"), money("10.00")),
        Posting(AccountCode("2100"), money("-10.00"), CustomerId("C1"), "P1"),
        Posting(AccountCode("1000"), money("7", "JPY")),
        Posting(AccountCode("2100"), money("-7", "JPY"), CustomerId("C1"), "P1"),
    )
    assert {c.code for c in entry.currencies} == {"USD", "JPY"}


def test_posting_amount_must_be_rounded_to_minor_unit() -> None:
    with pytest.raises(ValidationError, match="rounded to 2 decimals"):
        Posting(AccountCode("1000"), money("10.005"))


def test_reversal_nets_every_account_to_zero() -> None:
    entry = _entry(
        Posting(AccountCode("1000"), money("10.00")),
        Posting(AccountCode("2100"), money("-10.00"), CustomerId("C1"), "P1"),
    )
    rev = reverse_entry(entry, entry_id=EntryId("E2"), date=D)
    assert rev.reverses == EntryId("E1")
    assert trial_balance([entry, rev], D).rows == ()


def test_reversal_cannot_predate_the_entry() -> None:
    entry = _entry(
        Posting(AccountCode("1000"), money("10.00")),
        Posting(AccountCode("2100"), money("-10.00"), CustomerId("C1"), "P1"),
    )
    with pytest.raises(ValidationError):
        reverse_entry(entry, entry_id=EntryId("E2"), date=D - dt.timedelta(days=1))
