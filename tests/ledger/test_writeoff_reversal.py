"""Reversing a write-off (o2c.ledger.writeoffs.reverse_write_off): the opposite postings."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest

from o2c.errors import ValidationError
from o2c.ids import CustomerId, EntryId
from o2c.ledger.accounts import DEFAULT_CHART
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.ledger.writeoffs import reverse_write_off, unreversed_write_offs
from o2c.money import Money

OCT5 = dt.date(2026, 10, 5)
OCT9 = dt.date(2026, 10, 9)


def usd(text: str) -> Money:
    return Money.of(text, "USD")


def _written_off() -> JournalEntry:
    """The tolerance write-off of 0.03 on D-1: Dr rounding, Cr AR."""
    return JournalEntry(
        id=EntryId("E1"),
        date=OCT5,
        kind=EntryKind.WRITE_OFF,
        source="WO1",
        lines=(
            Posting(DEFAULT_CHART.rounding.code, usd("0.03")),
            Posting(DEFAULT_CHART.receivable.code, usd("-0.03"), CustomerId("C1"), "D-1"),
        ),
        reference="INV-1",
    )


def test_reversal_of_a_0_03_write_off_debits_ar_and_credits_rounding() -> None:
    entry = _written_off()
    back = reverse_write_off(entry, entry_id=EntryId("E2"), date=OCT9, reason="undone")
    assert (back.kind, back.reverses, back.source, back.date) == (
        EntryKind.REVERSAL,
        EntryId("E1"),
        "WO1",
        OCT9,
    )
    assert {(p.account, p.amount, p.item) for p in back.lines} == {
        (DEFAULT_CHART.rounding.code, usd("-0.03"), None),
        (DEFAULT_CHART.receivable.code, usd("0.03"), "D-1"),
    }
    assert unreversed_write_offs([entry]) == [entry]
    assert unreversed_write_offs([entry, back]) == []


def test_only_a_write_off_entry_is_reversed_as_one() -> None:
    entry = attrs.evolve(_written_off(), kind=EntryKind.ALLOCATION)
    with pytest.raises(ValidationError):
        reverse_write_off(entry, entry_id=EntryId("E2"), date=OCT9, reason="undone")


def test_reversal_needs_a_reason_and_a_date_on_or_after_the_write_off() -> None:
    entry = _written_off()
    with pytest.raises(ValidationError):
        reverse_write_off(entry, entry_id=EntryId("E2"), date=OCT9, reason=" ")
    with pytest.raises(ValidationError):
        reverse_write_off(entry, entry_id=EntryId("E2"), date=dt.date(2026, 10, 1), reason="x")
