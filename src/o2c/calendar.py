"""Billing periods and cycles, proration, payment terms and business days.

A :class:`Period` is a half-open date range ``[start, end)``. A :class:`BillingCycle`
cuts time into periods from an anchor date: every period starts the anchor plus a whole
number of cycles, computed from the anchor itself (never by chaining), so a monthly cycle
anchored on the 31st gives Jan 31, Feb 28 (29 in a leap year), Mar 31, Apr 30...

Proration (DESIGN.md, lesson 4) has one rule: the factor of a stub is the stub's days
over the days of the whole billing period it belongs to. :func:`proration_factor` returns
an exact :class:`~fractions.Fraction`, and :func:`prorate` applies it to money with one
named rounding.

Example:
    >>> import datetime as dt
    >>> cycle = BillingCycle(Cycle.MONTHLY, dt.date(2026, 1, 31))
    >>> [str(p) for p in cycle.periods(dt.date(2026, 1, 31), 3)]
    ['2026-01-31..2026-02-28', '2026-02-28..2026-03-31', '2026-03-31..2026-04-30']
    >>> PaymentTerms.parse("net 30").due_date(dt.date(2026, 10, 31))
    datetime.date(2026, 11, 30)
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterator
from fractions import Fraction
from typing import Final
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import attrs
from dateutil.relativedelta import relativedelta

from o2c.errors import ValidationError
from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = [
    "BillingCycle",
    "BusinessCalendar",
    "Cycle",
    "PaymentTerms",
    "Period",
    "TermsKind",
    "local_date",
    "parse_date",
    "prorate",
    "proration_factor",
    "zone",
]


def parse_date(value: object, field: str = "date") -> dt.date:
    """Return ``value`` as a date: a ``date`` or an ISO ``YYYY-MM-DD`` string.

    Raises:
        ValidationError: Not a date.
    """
    if isinstance(value, dt.datetime):
        raise ValidationError(field, value, "a date, not a datetime")
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    raise ValidationError(field, value, "a date as YYYY-MM-DD")


@functools.lru_cache(maxsize=256)
def zone(name: str) -> ZoneInfo:
    """Return the IANA time zone ``name`` (``"America/Mexico_City"``).

    Raises:
        ValidationError: Unknown zone.
    """
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        raise ValidationError(
            "time_zone", name, "an IANA time zone such as 'Europe/Berlin'"
        ) from None


def local_date(timestamp: dt.datetime, time_zone: str) -> dt.date:
    """Return the calendar date of an aware ``timestamp`` in ``time_zone``.

    Usage is bucketed into periods by this date, so a record at 23:30 in Mexico City on
    Oct 31 belongs to October even though it is Nov 1 in UTC (DESIGN.md, lesson 5).

    Raises:
        ValidationError: ``timestamp`` is naive.
    """
    if timestamp.tzinfo is None or timestamp.utcoffset() is None:
        raise ValidationError("timestamp", timestamp.isoformat(), "a time-zone aware timestamp")
    return timestamp.astimezone(zone(time_zone)).date()


@attrs.frozen(slots=True, order=True)
class Period:
    """The half-open date range ``[start, end)``.

    Attributes:
        start: First day in the period.
        end: First day after the period.
    """

    start: dt.date
    end: dt.date

    def __attrs_post_init__(self) -> None:
        if self.end <= self.start:
            raise ValidationError(
                "period", f"{self.start}..{self.end}", "an end date after the start date"
            )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        """Return the calendar month ``year-month``."""
        start = dt.date(year, month, 1)
        return cls(start, start + relativedelta(months=1))

    @classmethod
    def parse(cls, text: str) -> Period:
        """Parse ``2026-10`` (a month), ``2026-Q4``, ``2026`` or ``2026-10-01..2026-11-01``.

        Raises:
            ValidationError: The text is none of these.
        """
        value = text.strip() if isinstance(text, str) else ""
        try:
            if ".." in value:
                first, last = value.split("..", 1)
                return cls(dt.date.fromisoformat(first), dt.date.fromisoformat(last))
            if m := re.fullmatch(r"(\d{4})-(\d{2})", value):
                return cls.month(int(m[1]), int(m[2]))
            if m := re.fullmatch(r"(\d{4})-[Qq]([1-4])", value):
                start = dt.date(int(m[1]), 3 * int(m[2]) - 2, 1)
                return cls(start, start + relativedelta(months=3))
            if re.fullmatch(r"\d{4}", value):
                return cls(dt.date(int(value), 1, 1), dt.date(int(value) + 1, 1, 1))
        except ValueError:
            pass
        raise ValidationError("period", text, "YYYY-MM, YYYY-Qn, YYYY or YYYY-MM-DD..YYYY-MM-DD")

    @property
    def days(self) -> int:
        """Number of days in the period."""
        return (self.end - self.start).days

    @property
    def last_day(self) -> dt.date:
        """The last day inside the period."""
        return self.end - dt.timedelta(days=1)

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.start <= day < self.end

    def overlap(self, other: Period) -> Period | None:
        """The days both periods share, or ``None``."""
        start, end = max(self.start, other.start), min(self.end, other.end)
        return Period(start, end) if start < end else None

    @property
    def label(self) -> str:
        """``2026-10`` for a calendar month, else ``start..end``."""
        if self.start.day == 1 and self.end == self.start + relativedelta(months=1):
            return f"{self.start:%Y-%m}"
        return str(self)

    def __str__(self) -> str:
        return f"{self.start.isoformat()}..{self.end.isoformat()}"


class Cycle(enum.Enum):
    """How often a recurring charge is billed."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    YEARLY = "yearly"

    @property
    def step(self) -> relativedelta:
        """One cycle as a relative delta."""
        return _STEPS[self]

    def shift(self, anchor: dt.date, cycles: int) -> dt.date:
        """``anchor`` moved by ``cycles`` whole cycles (month ends clamp, then recover)."""
        step = _STEPS[self]
        return anchor + relativedelta(
            months=step.months * cycles, years=step.years * cycles, days=step.days * cycles
        )

    @classmethod
    def parse(cls, value: str | Cycle) -> Cycle:
        """Return the cycle named ``value`` (``"monthly"``...).

        Raises:
            ValidationError: Unknown cycle.
        """
        if isinstance(value, Cycle):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            names = ", ".join(c.value for c in cls)
            raise ValidationError("cycle", value, f"one of {names}") from None


_STEPS: Final = {
    Cycle.WEEKLY: relativedelta(days=7),
    Cycle.MONTHLY: relativedelta(months=1),
    Cycle.QUARTERLY: relativedelta(months=3),
    Cycle.YEARLY: relativedelta(years=1),
}
_MONTHS: Final = {Cycle.MONTHLY: 1, Cycle.QUARTERLY: 3, Cycle.YEARLY: 12}


@attrs.frozen(slots=True)
class BillingCycle:
    """A cycle and the anchor date its periods are counted from.

    Attributes:
        cycle: Weekly, monthly, quarterly or yearly.
        anchor: Any date on a period boundary, usually the contract start or the first
            billing day. Its day of month (29-31 clamp to short months) fixes every
            period's start.
    """

    cycle: Cycle
    anchor: dt.date

    def boundary(self, index: int) -> dt.date:
        """The start of the ``index``-th period from the anchor (negative goes back)."""
        return self.cycle.shift(self.anchor, index)

    def _index(self, day: dt.date) -> int:
        if self.cycle is Cycle.WEEKLY:
            guess = (day - self.anchor).days // 7
        else:
            months = (day.year - self.anchor.year) * 12 + day.month - self.anchor.month
            guess = months // _MONTHS[self.cycle]
        while self.boundary(guess) > day:
            guess -= 1
        while self.boundary(guess + 1) <= day:
            guess += 1
        return guess

    def period_containing(self, day: dt.date) -> Period:
        """The billing period that contains ``day``."""
        index = self._index(day)
        return Period(self.boundary(index), self.boundary(index + 1))

    def next_period(self, period: Period) -> Period:
        """The period right after ``period``."""
        return self.period_containing(period.end)

    def previous_period(self, period: Period) -> Period:
        """The period right before ``period``."""
        return self.period_containing(period.start - dt.timedelta(days=1))

    def periods(self, start: dt.date, count: int) -> tuple[Period, ...]:
        """``count`` consecutive periods from the one containing ``start``."""
        first = self._index(start)
        return tuple(
            Period(self.boundary(first + i), self.boundary(first + i + 1)) for i in range(count)
        )

    def pieces(self, span: Period) -> Iterator[tuple[Period, Period]]:
        """Cut ``span`` at period boundaries: yield ``(piece, whole_period)`` pairs.

        A piece is the part of ``span`` inside one billing period; the whole period is the
        proration denominator for that piece, also for a stub before the first anchor date
        (it belongs to the anchor-aligned period that contains it).
        """
        day = span.start
        while day < span.end:
            whole = self.period_containing(day)
            piece = Period(day, min(whole.end, span.end))
            yield piece, whole
            day = piece.end


def proration_factor(piece: Period, whole: Period) -> Fraction:
    """The exact share of ``whole`` that ``piece`` covers, by days.

    Raises:
        ValidationError: ``piece`` is not inside ``whole``.
    """
    if piece.start < whole.start or piece.end > whole.end:
        raise ValidationError("piece", str(piece), f"a range inside {whole}")
    return Fraction(piece.days, whole.days)


def prorate(
    amount: Money, piece: Period, whole: Period, rounding: Rounding = DEFAULT_ROUNDING
) -> Money:
    """``amount`` × days(piece) / days(whole), rounded to the minor unit.

    Example:
        >>> import datetime as dt
        >>> from o2c.money import Money
        >>> october = Period.month(2026, 10)
        >>> str(prorate(Money.of("31.00", "USD"), Period(dt.date(2026, 10, 17), october.end),
        ...     october))
        '15.00 USD'
    """
    factor = proration_factor(piece, whole)
    exact = amount.amount * factor.numerator / factor.denominator
    return Money(exact, amount.currency).round(rounding)


class TermsKind(enum.Enum):
    """How a due date follows from the document date."""

    NET = "net"
    END_OF_MONTH = "eom"
    DAY_OF_NEXT_MONTH = "day_of_next_month"


@attrs.frozen(slots=True)
class PaymentTerms:
    """Payment terms: net N days, end of month + N days, or day D of the next month.

    Attributes:
        kind: Which rule.
        days: N for ``NET`` and ``END_OF_MONTH``; D (1-31) for ``DAY_OF_NEXT_MONTH``.
    """

    kind: TermsKind
    days: int = attrs.field()

    @days.validator
    def _check_days(self, _attribute: object, value: int) -> None:
        limit = 31 if self.kind is TermsKind.DAY_OF_NEXT_MONTH else 3650
        low = 1 if self.kind is TermsKind.DAY_OF_NEXT_MONTH else 0
        if not isinstance(value, int) or not low <= value <= limit:
            raise ValidationError("payment_terms.days", value, f"a whole number {low}-{limit}")

    @classmethod
    def parse(cls, text: str) -> PaymentTerms:
        """Parse ``"net 30"``, ``"due on receipt"``, ``"eom+15"`` or ``"day 10 of next month"``.

        Raises:
            ValidationError: Unknown form.
        """
        value = " ".join(str(text).strip().lower().split())
        if value in ("due on receipt", "receipt", "immediate"):
            return cls(TermsKind.NET, 0)
        if m := re.fullmatch(r"net ?(\d+)", value):
            return cls(TermsKind.NET, int(m[1]))
        if m := re.fullmatch(r"eom ?(?:\+ ?(\d+))?|end of month(?: ?\+ ?(\d+))?", value):
            return cls(TermsKind.END_OF_MONTH, int(m[1] or m[2] or 0))
        if m := re.fullmatch(r"day (\d+) of next month", value):
            return cls(TermsKind.DAY_OF_NEXT_MONTH, int(m[1]))
        raise ValidationError(
            "payment_terms",
            text,
            "'net N', 'due on receipt', 'eom+N' or 'day D of next month'",
        )

    def due_date(self, document_date: dt.date) -> dt.date:
        """The due date of a document dated ``document_date``."""
        if self.kind is TermsKind.NET:
            return document_date + dt.timedelta(days=self.days)
        if self.kind is TermsKind.END_OF_MONTH:
            end = document_date + relativedelta(day=31)
            return end + dt.timedelta(days=self.days)
        return document_date + relativedelta(months=1, day=self.days)

    def __str__(self) -> str:
        if self.kind is TermsKind.NET:
            return "due on receipt" if self.days == 0 else f"net {self.days}"
        if self.kind is TermsKind.END_OF_MONTH:
            return f"eom+{self.days}"
        return f"day {self.days} of next month"


@functools.cache
def _holiday_countries() -> dict[str, frozenset[str]]:
    # holidays is imported when a calendar names a country (it takes ~30 ms to import).
    import holidays as _holidays

    return {
        code: frozenset(subdivisions)
        for code, subdivisions in _holidays.list_supported_countries().items()
    }


def _check_country(_instance: object, _attribute: object, country: str | None) -> None:
    if country is not None and country not in _holiday_countries():
        raise ValidationError(
            "country", country, "a country code the holidays package knows, such as 'MX'"
        )


def _check_subdivision(instance: BusinessCalendar, _attribute: object, value: str | None) -> None:
    if value is None:
        return
    if instance.country is None:
        raise ValidationError("subdivision", value, "no subdivision without a country")
    known = _holiday_countries()[instance.country]
    if value not in known:
        sample = ", ".join(sorted(known)[:4]) or "none"
        raise ValidationError(
            "subdivision", value, f"a subdivision of {instance.country} ({sample}...)"
        )


@functools.lru_cache(maxsize=64)
def _public_holidays(country: str, subdivision: str | None, year: int) -> frozenset[dt.date]:
    import holidays as _holidays

    return frozenset(_holidays.country_holidays(country, subdiv=subdivision, years=year).keys())


@attrs.frozen(slots=True)
class BusinessCalendar:
    """Working days: weekdays that are not public holidays of a country.

    Public holidays come from the ``holidays`` package (Mexico, the EU states, the US and
    many more); ``extra_holidays`` adds company closures.

    Attributes:
        country: ISO 3166 country code, e.g. ``"MX"``; ``None`` for weekends only.
        subdivision: State or province code, when holidays differ by region (``"BY"``
            for Bavaria in ``"DE"``).
        extra_holidays: Further non-working dates.
        weekend: Weekday numbers that are not worked (Monday is 0).

    Raises:
        ValidationError: The country, or the subdivision of that country, is not one the
            ``holidays`` package knows.

    Example:
        >>> import datetime as dt
        >>> mx = BusinessCalendar("MX")
        >>> mx.add_business_days(dt.date(2026, 9, 14), 3)  # Sep 16 is Independence Day
        datetime.date(2026, 9, 18)
    """

    country: str | None = attrs.field(default="MX", validator=_check_country)
    subdivision: str | None = attrs.field(default=None, validator=_check_subdivision)
    extra_holidays: frozenset[dt.date] = frozenset()
    weekend: frozenset[int] = frozenset({5, 6})

    def is_business_day(self, day: dt.date) -> bool:
        """Whether ``day`` is a working day."""
        if day.weekday() in self.weekend or day in self.extra_holidays:
            return False
        if self.country is None:
            return True
        return day not in _public_holidays(self.country, self.subdivision, day.year)

    def add_business_days(self, day: dt.date, count: int) -> dt.date:
        """The date ``count`` working days after ``day`` (before, if negative)."""
        step = 1 if count >= 0 else -1
        remaining = abs(count)
        while remaining:
            day += dt.timedelta(days=step)
            if self.is_business_day(day):
                remaining -= 1
        return day

    def business_days_between(self, start: dt.date, end: dt.date) -> int:
        """Working days in ``(start, end]``; negative when ``end`` is before ``start``."""
        if end < start:
            return -self.business_days_between(end, start)
        return sum(
            1
            for n in range(1, (end - start).days + 1)
            if self.is_business_day(start + dt.timedelta(days=n))
        )

    def roll_forward(self, day: dt.date) -> dt.date:
        """``day`` itself if it is a working day, else the next one."""
        while not self.is_business_day(day):
            day += dt.timedelta(days=1)
        return day
