"""Interaction notes: validation and handle time."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.cases import Channel, InteractionNote, NoteId, NoteTarget
from o2c.errors import ValidationError
from o2c.ids import CustomerId

START = dt.datetime(2026, 10, 5, 9, 0, tzinfo=dt.UTC)


def _note(**changes: object) -> InteractionNote:
    fields: dict[str, object] = {
        "id": NoteId("N-1"),
        "target_kind": NoteTarget.DISPUTE,
        "target_id": "D-1",
        "channel": Channel.CHAT,
        "summary": "agreed to credit line 2",
        "author": "ana",
        "started": START,
        "ended": START + dt.timedelta(minutes=8),
        "first_contact_resolution": True,
    }
    fields.update(changes)
    return InteractionNote(**fields)  # type: ignore[arg-type]


def test_handle_time_is_end_minus_start() -> None:
    assert _note().handle_time == dt.timedelta(minutes=8)
    assert _note(ended=None).handle_time is None


def test_note_cannot_end_before_it_starts() -> None:
    with pytest.raises(ValidationError, match=r"note\.ended"):
        _note(ended=START - dt.timedelta(seconds=1))


def test_note_times_must_be_time_zone_aware() -> None:
    with pytest.raises(ValidationError, match=r"note\.started"):
        _note(started=dt.datetime(2026, 10, 5, 9, 0), ended=None)


def test_note_needs_a_summary_and_an_author() -> None:
    with pytest.raises(ValidationError, match=r"note\.summary"):
        _note(summary=" ")
    with pytest.raises(ValidationError, match=r"note\.author"):
        _note(author="")


def test_note_knows_its_customer() -> None:
    assert _note().customer is None
    assert _note(customer_id=CustomerId("C-1")).customer == "C-1"
    assert _note(target_kind=NoteTarget.CUSTOMER, target_id="C-2").customer == "C-2"
    with pytest.raises(ValidationError, match=r"note\.customer_id"):
        _note(target_kind=NoteTarget.CUSTOMER, target_id="C-2", customer_id=CustomerId("C-1"))
