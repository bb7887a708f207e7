"""Closed periods refuse postings; corrections go into the next open period."""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.calendar import Period
from o2c.errors import PeriodClosed, ValidationError
from o2c.ids import EntryId
from o2c.ledger import AccountingPeriods, check_entries_open, post_document
from tests.ledger.conftest import invoice


def test_posting_dated_in_a_closed_period_is_refused() -> None:
    periods = AccountingPeriods().close("2026-09")
    entry = post_document(
        invoice("D1", "C1", dt.date(2026, 9, 30), dt.date(2026, 10, 30), "10.00"),
        entry_id=EntryId("E1"),
    )
    with pytest.raises(PeriodClosed) as caught:
        check_entries_open([entry], periods)
    assert caught.value.period == "2026-09"
    periods.check_open(dt.date(2026, 10, 1))


def test_correction_for_a_closed_period_goes_to_the_next_open_one() -> None:
    periods = AccountingPeriods().close("2026-09").close(Period.month(2026, 10))
    assert periods.posting_date(dt.date(2026, 9, 15)) == dt.date(2026, 11, 1)
    assert periods.posting_date(dt.date(2026, 11, 15)) == dt.date(2026, 11, 15)
    assert periods.reopen("2026-10").posting_date(dt.date(2026, 9, 15)) == dt.date(2026, 10, 1)


def test_only_calendar_months_can_be_closed() -> None:
    with pytest.raises(ValidationError, match="calendar month"):
        AccountingPeriods().close("2026-Q4")
