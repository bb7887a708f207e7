"""Business hours: the clock SLAs of the service desk run on.

An SLA of "4 business hours" counts only the desk's working hours (09:00-18:00 by
default) on the book's working days (:class:`o2c.calendar.BusinessCalendar`: weekends and
public holidays do not count), in the book's time zone.
"""

from __future__ import annotations

import datetime as dt
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs

from o2c.calendar import BusinessCalendar
from o2c.errors import ValidationError

__all__ = ["BusinessHours", "parse_hours"]

#: How far ahead a deadline is looked for before the calendar is taken to have no
#: working time at all (ten years of days).
_HORIZON_DAYS: Final = 3660
_SECOND: Final = dt.timedelta(seconds=1)


def _zone(_instance: object, _attribute: object, value: str) -> None:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError("hours.zone", value, "an IANA time zone such as 'UTC'") from None


def _aware(field: str, value: dt.datetime) -> None:
    if not isinstance(value, dt.datetime) or value.utcoffset() is None:
        raise ValidationError(field, value, "a time-zone aware datetime")


@attrs.frozen(slots=True)
class BusinessHours:
    """Working hours on working days, in one time zone.

    Attributes:
        calendar: The working days (weekends and public holidays are not worked).
        opens: When the desk opens on a working day (local time).
        closes: When it closes (local time, after ``opens``).
        zone: The IANA time zone the hours are in (the book's).

    Example:
        >>> import datetime as dt
        >>> from o2c.calendar import BusinessCalendar
        >>> hours = BusinessHours(BusinessCalendar("MX"), zone="UTC")
        >>> fri = dt.datetime(2026, 9, 11, 16, 0, tzinfo=dt.UTC)   # Friday 16:00
        >>> hours.add(fri, dt.timedelta(hours=4))  # 2 h Friday, Monday 14 Sep 09:00 + 2 h
        datetime.datetime(2026, 9, 14, 11, 0, tzinfo=datetime.timezone.utc)
        >>> hours.seconds_between(fri, dt.datetime(2026, 9, 17, 10, 0, tzinfo=dt.UTC)) // 3600
        21
    """

    calendar: BusinessCalendar = attrs.field(factory=lambda: BusinessCalendar(None))
    opens: dt.time = dt.time(9, 0)
    closes: dt.time = dt.time(18, 0)
    zone: str = attrs.field(default="UTC", validator=_zone)

    def __attrs_post_init__(self) -> None:
        if self.opens.tzinfo is not None or self.closes.tzinfo is not None:
            raise ValidationError("hours.opens", self.opens, "a local time without a zone")
        if self.closes <= self.opens:
            raise ValidationError(
                "hours.closes", self.closes.isoformat(), f"a time after {self.opens.isoformat()}"
            )

    def _window(self, day: dt.date) -> tuple[dt.datetime, dt.datetime] | None:
        # The day's working window in UTC (UTC so that subtraction is exact across DST).
        if not self.calendar.is_business_day(day):
            return None
        tz = ZoneInfo(self.zone)
        start = dt.datetime.combine(day, self.opens, tz).astimezone(dt.UTC)
        end = dt.datetime.combine(day, self.closes, tz).astimezone(dt.UTC)
        return start, end

    def _local_day(self, at: dt.datetime) -> dt.date:
        return at.astimezone(ZoneInfo(self.zone)).date()

    def seconds_between(self, start: dt.datetime, end: dt.datetime) -> int:
        """Whole working seconds from ``start`` to ``end`` (0 when ``end`` is not later).

        Raises:
            ValidationError: A naive datetime.
        """
        _aware("start", start)
        _aware("end", end)
        if end <= start:
            return 0
        total = dt.timedelta(0)
        day, last = self._local_day(start), self._local_day(end)
        while day <= last:
            window = self._window(day)
            if window is not None:
                lo, hi = max(window[0], start), min(window[1], end)
                if hi > lo:
                    total += hi - lo
            day += dt.timedelta(days=1)
        return total // _SECOND

    def add(self, start: dt.datetime, duration: dt.timedelta) -> dt.datetime:
        """The moment ``duration`` of working time after ``start`` (in UTC).

        A zero duration is ``start`` itself; outside working hours the clock starts at
        the next opening.

        Raises:
            ValidationError: A naive ``start``, a negative duration, or a calendar without
                working time in the next ten years.
        """
        _aware("start", start)
        if duration < dt.timedelta(0):
            raise ValidationError("duration", duration, "a duration of zero or more")
        if not duration:
            return start.astimezone(dt.UTC)
        remaining = duration
        day = self._local_day(start)
        for _ in range(_HORIZON_DAYS):
            window = self._window(day)
            if window is not None:
                lo = max(window[0], start)
                if window[1] > lo:
                    available = window[1] - lo
                    if remaining <= available:
                        return lo + remaining
                    remaining -= available
            day += dt.timedelta(days=1)
        raise ValidationError("hours.calendar", self.calendar, "a calendar with working days")


def parse_hours(text: str) -> tuple[dt.time, dt.time]:
    """Opening and closing times from ``"09:00-18:00"``.

    Raises:
        ValidationError: Not two ``HH:MM`` times joined by ``-``, the first earlier.

    Example:
        >>> parse_hours("08:30-17:00")
        (datetime.time(8, 30), datetime.time(17, 0))
    """
    parts = text.split("-")
    try:
        if len(parts) != 2:
            raise ValueError(text)
        opens, closes = (dt.time.fromisoformat(p.strip()) for p in parts)
    except ValueError:
        raise ValidationError("servicedesk.hours", text, "opening-closing as HH:MM-HH:MM") from None
    if closes <= opens:
        raise ValidationError("servicedesk.hours", text, "a closing time after the opening time")
    return opens, closes
