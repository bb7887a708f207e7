"""Accounting periods: open or closed months; closed months accept no postings.

Periods are calendar months. A month is open until it is closed; closing is a
controller's decision the Book records. A posting dated in a closed month is refused with
:class:`~o2c.errors.PeriodClosed`; a correction that belongs to a closed month is posted
on the first day of the next open month instead (:meth:`AccountingPeriods.posting_date`).

Example:
    >>> import datetime as dt
    >>> periods = AccountingPeriods().close("2026-09").close("2026-10")
    >>> periods.is_open(dt.date(2026, 10, 15))
    False
    >>> periods.posting_date(dt.date(2026, 9, 30))
    datetime.date(2026, 11, 1)
    >>> periods.check_open(dt.date(2026, 10, 15))
    Traceback (most recent call last):
    ...
    o2c.errors.PeriodClosed: period 2026-10 is closed; cannot post on 2026-10-15; post the correction in the next open period
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import attrs

from o2c.calendar import Period
from o2c.errors import PeriodClosed, ValidationError
from o2c.ledger.journal import JournalEntry

__all__ = ["AccountingPeriods", "check_entries_open"]


def _month_of(day: dt.date) -> Period:
    return Period.month(day.year, day.month)


def _as_month(value: Period | str) -> Period:
    period = Period.parse(value) if isinstance(value, str) else value
    if not isinstance(period, Period) or period != _month_of(period.start):
        raise ValidationError("period", str(value), "a calendar month such as '2026-10'")
    return period


def _to_periods(periods: Iterable[Period]) -> frozenset[Period]:
    return frozenset(periods)


@attrs.frozen(slots=True)
class AccountingPeriods:
    """Which calendar months are closed.

    Attributes:
        closed: The closed months.
    """

    closed: frozenset[Period] = attrs.field(default=frozenset(), converter=_to_periods)

    def close(self, period: Period | str) -> AccountingPeriods:
        """Return periods with ``period`` (a month) closed as well."""
        return AccountingPeriods(self.closed | {_as_month(period)})

    def reopen(self, period: Period | str) -> AccountingPeriods:
        """Return periods with ``period`` open again."""
        return AccountingPeriods(self.closed - {_as_month(period)})

    def is_open(self, day: dt.date) -> bool:
        """Whether a posting may be dated ``day``."""
        return _month_of(day) not in self.closed

    def check_open(self, day: dt.date) -> None:
        """Refuse a posting dated in a closed month.

        Raises:
            PeriodClosed: The month of ``day`` is closed.
        """
        month = _month_of(day)
        if month in self.closed:
            raise PeriodClosed(month.label, day.isoformat())

    def next_open_date(self, day: dt.date) -> dt.date:
        """The first day on or after ``day`` in an open month."""
        while not self.is_open(day):
            day = _month_of(day).end
        return day

    def posting_date(self, day: dt.date) -> dt.date:
        """Where a correction meant for ``day`` is posted: ``day`` if open, else the
        first day of the next open month."""
        return self.next_open_date(day)


def check_entries_open(entries: Iterable[JournalEntry], periods: AccountingPeriods) -> None:
    """Refuse the batch if any entry is dated in a closed month (checked before writing).

    Raises:
        PeriodClosed: For the first such entry.
    """
    for entry in entries:
        periods.check_open(entry.date)
