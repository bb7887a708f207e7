"""Key performance indicators of a billing team, as pure functions over plain records.

Each function takes small records (which the Book fills from SQL for a date range) and
returns a :class:`KpiValue`: the value, its unit, the formula in words and the numerator
and denominator it came from, so a manager can check the figure by hand. A KPI whose
denominator is zero is undefined: its value is ``None``, never a division error.

Values are rounded at one named point, :func:`_ratio`: rates to 4 decimals (``0.9167``
is 91.67 %), days and minutes to 2, half-up; money KPIs are exact sums of rounded amounts.

Example:
    >>> invoice_accuracy(["I-1", "I-2", "I-3"], [
    ...     Correction("I-2", "CN-1", dt.date(2026, 10, 9), billing_error=True)])
    KpiValue(name='invoice_accuracy', value=Decimal('0.6667'), unit='ratio', formula='invoices issued in the range, neither voided nor corrected for a billing-error reason by the report date / invoices issued in the range', numerator=Decimal('2'), denominator=Decimal('3'))
"""  # noqa: E501

from __future__ import annotations

import datetime as dt
import decimal
import enum
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Final, Protocol

import attrs

from o2c.calendar import BusinessCalendar, Period
from o2c.errors import CurrencyMismatch, ValidationError
from o2c.money import Currency, Money, sum_money

__all__ = [
    "CURRENCY_FREE",
    "DAYS",
    "MINUTES",
    "RATIO",
    "AgingItem",
    "Contact",
    "Correction",
    "DisputeDates",
    "DisputeTiming",
    "KpiInputs",
    "KpiValue",
    "RefundDates",
    "RefundTiming",
    "Statistic",
    "aging_profile",
    "aging_shares",
    "average_handle_time",
    "billing_exception_rate",
    "collection_effectiveness_index",
    "contacts_window",
    "current_receivables",
    "dispute_resolution_time",
    "dso",
    "first_contact_resolution",
    "invoice_accuracy",
    "kpi_currency",
    "kpi_period",
    "kpi_report",
    "refund_timing",
    "refund_turnaround",
    "sla_adherence",
    "unapplied_cash",
]

RATIO: Final = "ratio"
"""Unit of a rate: a share between 0 and 1."""
DAYS: Final = "days"
"""Unit of a duration in days."""
MINUTES: Final = "minutes"
"""Unit of a duration in minutes."""

#: KPIs of contacts (not money): the same in every currency's report, shown once.
CURRENCY_FREE: Final = frozenset({"first_contact_resolution", "average_handle_time"})

_PLACES: Final = {RATIO: Decimal("0.0001"), DAYS: Decimal("0.01"), MINUTES: Decimal("0.01")}


@attrs.frozen(slots=True)
class KpiValue:
    """One KPI figure and how it was computed.

    Attributes:
        name: The KPI's name (``"invoice_accuracy"``, ``"dso"``...).
        value: The figure, rounded; ``None`` when the KPI is undefined (nothing to divide by).
        unit: ``"ratio"``, ``"days"``, ``"minutes"`` or a currency code.
        formula: The formula in words.
        numerator: What was divided (or summed), exact.
        denominator: What it was divided by, exact; ``None`` for a plain sum or median.
    """

    name: str
    value: Decimal | None
    unit: str
    formula: str
    numerator: Decimal | None = None
    denominator: Decimal | None = None

    @property
    def is_defined(self) -> bool:
        """Whether the KPI has a value."""
        return self.value is not None

    def __str__(self) -> str:
        shown = "n/a" if self.value is None else f"{self.value} {self.unit}"
        parts = f" ({self.numerator} / {self.denominator})" if self.denominator is not None else ""
        return f"{self.name}: {shown}{parts}"


class Statistic(enum.Enum):
    """How durations are summarized."""

    MEAN = "mean"
    MEDIAN = "median"


def _ratio(numerator: Decimal, denominator: Decimal, unit: str) -> Decimal | None:
    """Divide and round to the unit's places (half-up); ``None`` when dividing by zero."""
    if denominator == 0:
        return None
    with decimal.localcontext() as ctx:
        ctx.prec = 34
        return (numerator / denominator).quantize(_PLACES[unit], decimal.ROUND_HALF_UP)


def _count(field: str, value: int) -> Decimal:
    if type(value) is not int or value < 0:
        raise ValidationError(field, value, "a whole number >= 0")
    return Decimal(value)


# -- invoice accuracy and billing exceptions ---------------------------------------------


@attrs.frozen(slots=True)
class Correction:
    """A credit or debit note that corrects an issued invoice.

    Attributes:
        invoice_id: The corrected invoice.
        document_id: The correcting note.
        issued_on: When the note was issued.
        billing_error: Whether its reason code is a billing error (wrong price, wrong
            quantity, duplicate, tax error...) rather than goodwill or a cancellation.
    """

    invoice_id: str
    document_id: str
    issued_on: dt.date
    billing_error: bool


INVOICE_ACCURACY: Final = (
    "invoices issued in the range, neither voided nor corrected for a billing-error reason "
    "by the report date / invoices issued in the range"
)


def invoice_accuracy(
    issued: Iterable[str],
    corrections: Iterable[Correction],
    *,
    as_of: dt.date | None = None,
    voided: Mapping[str, dt.date] | None = None,
) -> KpiValue:
    """Share of issued invoices not later corrected for a billing-error reason (nor voided).

    What happened to the range's invoices counts up to the report date ``as_of``: an
    October invoice corrected on Nov 5 is inaccurate in October's figure as of Nov 30.

    Args:
        issued: Ids of the invoices issued in the range (each counted once).
        corrections: Notes correcting invoices; only billing-error ones on or before
            ``as_of`` count; those of invoices outside ``issued`` are ignored.
        as_of: The report date; ``None`` counts every correction and void given.
        voided: Invoice id -> void date; a voided invoice was issued in error.
    """
    ids = frozenset(issued)
    marks = [(c.invoice_id, c.issued_on) for c in corrections if c.billing_error]
    marks.extend((voided or {}).items())
    wrong = {i for i, day in marks if i in ids and (as_of is None or day <= as_of)}
    numerator, denominator = Decimal(len(ids) - len(wrong)), Decimal(len(ids))
    return KpiValue(
        "invoice_accuracy",
        _ratio(numerator, denominator, RATIO),
        RATIO,
        INVOICE_ACCURACY,
        numerator,
        denominator,
    )


BILLING_EXCEPTION_RATE: Final = (
    "invoices the bill runs in the range put in the exceptions queue "
    "/ invoices the bill runs in the range tried to produce"
)


def billing_exception_rate(candidates: int, exceptions: int) -> KpiValue:
    """Share of bill-run candidates that failed validation and went to the exceptions queue.

    Args:
        candidates: Invoices the bill runs in the range tried to produce (valid or not).
        exceptions: Of those, how many went to the exceptions queue.

    Raises:
        ValidationError: A count is negative, or more exceptions than candidates.
    """
    den = _count("candidates", candidates)
    num = _count("exceptions", exceptions)
    if num > den:
        raise ValidationError("exceptions", exceptions, f"at most the {candidates} candidates")
    return KpiValue(
        "billing_exception_rate", _ratio(num, den, RATIO), RATIO, BILLING_EXCEPTION_RATE, num, den
    )


# -- receivables -------------------------------------------------------------------------

DSO: Final = "AR balance at the end of the range / credit sales in the range × days in the range"


def dso(ar_balance: Money, credit_sales: Money, days: int) -> KpiValue:
    """Days sales outstanding, simple (period) method.

    Args:
        ar_balance: Accounts receivable at the end of the range (open items, after
            unapplied cash is netted or not, as the caller reports it).
        credit_sales: Gross amount invoiced on credit in the range, less credit notes.
        days: Days in the range.

    Raises:
        ValidationError: ``days`` is not positive.
        CurrencyMismatch: The amounts are in different currencies.
    """
    if type(days) is not int or days <= 0:
        raise ValidationError("days", days, "a whole number of days > 0")
    if ar_balance.currency != credit_sales.currency:
        raise CurrencyMismatch(ar_balance.currency.code, credit_sales.currency.code, "divide")
    numerator = ar_balance.amount * days
    denominator = credit_sales.amount
    return KpiValue("dso", _ratio(numerator, denominator, DAYS), DAYS, DSO, numerator, denominator)


CEI: Final = (
    "(AR at the start + credit sales - AR at the end) "
    "/ (AR at the start + credit sales - current (not yet due) AR at the end)"
)


def collection_effectiveness_index(
    begin_ar: Money, credit_sales: Money, end_ar: Money, end_current_ar: Money
) -> KpiValue:
    """Collection effectiveness index: what was collected of what could have been.

    Args:
        begin_ar: AR at the start of the range.
        credit_sales: Credit sales in the range.
        end_ar: AR at the end of the range.
        end_current_ar: The part of ``end_ar`` not yet due at the end of the range
            (per effective, extended, due dates).

    Raises:
        CurrencyMismatch: The amounts are in different currencies.
        ValidationError: The current AR is more than the total AR.
    """
    if end_current_ar > end_ar:
        raise ValidationError("end_current_ar", str(end_current_ar), f"at most the end AR {end_ar}")
    available = begin_ar + credit_sales
    numerator = (available - end_ar).amount
    denominator = (available - end_current_ar).amount
    return KpiValue(
        "collection_effectiveness_index",
        _ratio(numerator, denominator, RATIO),
        RATIO,
        CEI,
        numerator,
        denominator,
    )


@attrs.frozen(slots=True)
class AgingItem:
    """An open receivable for the aging profile.

    Attributes:
        amount: The open amount (disputed part included).
        due_on: The effective due date (the extended one when an extension is active).
        disputed: The part of ``amount`` under an active dispute.
    """

    amount: Money
    due_on: dt.date
    disputed: Money | None = None


AGING_BUCKETS: Final = ("current", "1_30", "31_60", "61_90", "over_90", "disputed")
AGING: Final = "open amount in the bucket / all open amounts"


def aging_profile(
    items: Iterable[AgingItem], as_of: dt.date, currency: str
) -> tuple[KpiValue, ...]:
    """Share of the open receivables in each age bucket as of ``as_of``.

    An item's age is ``as_of - due_on`` in days, with its effective (extended) due date:
    0 or less is current, then 1-30, 31-60, 61-90 and over 90 days past due. Disputed
    parts are taken out of their age bucket into their own ``disputed`` bucket, so the
    six shares add up to the whole.

    Returns:
        One value per bucket, named ``aging_current``, ``aging_1_30``... ``aging_disputed``;
        the numerator is the bucket's amount, the denominator the total.

    Raises:
        CurrencyMismatch: An amount is not in ``currency``.
        ValidationError: A disputed part exceeds its item.
    """
    cur = Currency.of(currency)
    totals = dict.fromkeys(AGING_BUCKETS, Money.zero(cur))
    for item in items:
        disputed = item.disputed if item.disputed is not None else Money.zero(cur)
        if abs(disputed) > abs(item.amount):
            raise ValidationError(
                "aging.disputed", str(disputed), f"at most the open amount {item.amount}"
            )
        age = (as_of - item.due_on).days
        bucket = (
            "current"
            if age <= 0
            else "1_30"
            if age <= 30
            else "31_60"
            if age <= 60
            else "61_90"
            if age <= 90
            else "over_90"
        )
        totals[bucket] = sum_money([totals[bucket], item.amount - disputed], cur)
        totals["disputed"] = sum_money([totals["disputed"], disputed], cur)
    return aging_shares([(f"aging_{name}", amount) for name, amount in totals.items()])


def aging_shares(buckets: Sequence[tuple[str, Money]]) -> tuple[KpiValue, ...]:
    """Share of each already-aged bucket in their total.

    Use it on bucket totals computed elsewhere (in SQL, or a row of
    :func:`o2c.ledger.aging`: its bucket amounts and its disputed column), so the
    profile agrees with the aging report to the cent.

    Args:
        buckets: ``(name, amount)`` pairs in one currency, in display order.

    Raises:
        CurrencyMismatch: The amounts are in different currencies.

    Example:
        >>> [str(k) for k in aging_shares([("current", Money.of("75.00", "USD")),
        ...                                ("1-30", Money.of("25.00", "USD"))])]
        ['current: 0.7500 ratio (75.00 / 100.00)', '1-30: 0.2500 ratio (25.00 / 100.00)']
    """
    if not buckets:
        return ()
    total = sum_money((amount for _, amount in buckets), buckets[0][1].currency).amount
    return tuple(
        KpiValue(name, _ratio(amount.amount, total, RATIO), RATIO, AGING, amount.amount, total)
        for name, amount in buckets
    )


def current_receivables(current: Money, disputed: Iterable[AgingItem], as_of: dt.date) -> Money:
    """The AR not yet due as of ``as_of`` (by effective due dates), disputed parts included.

    The aging report keeps disputed parts out of its buckets, so its current bucket
    misses them; the collection effectiveness index counts them as current while their
    item is not due. ``disputed`` holds the items with a disputed part; each adds that
    part (at most its open amount) when its effective due date is ``as_of`` or later.

    Raises:
        CurrencyMismatch: An amount is not in the currency of ``current``.

    Example:
        >>> usd = Currency.of("USD")
        >>> str(current_receivables(Money.of("100.00", usd), [
        ...     AgingItem(Money.of("50.00", usd), dt.date(2026, 11, 5), Money.of("80.00", usd)),
        ...     AgingItem(Money.of("30.00", usd), dt.date(2026, 10, 1), Money.of("30.00", usd)),
        ... ], dt.date(2026, 10, 31)))
        '150.00 USD'
    """
    parts = [current]
    for item in disputed:
        if item.disputed is None or item.due_on < as_of:
            continue
        part = item.disputed.min(item.amount)
        if part.is_positive:
            parts.append(part)
    return sum_money(parts, current.currency)


UNAPPLIED_CASH: Final = "sum of payment amounts received and not yet allocated to open items"


def unapplied_cash(amounts: Iterable[Money], currency: str) -> KpiValue:
    """Cash received but not applied to any invoice, as of the end of the range.

    Args:
        amounts: The unapplied part of each payment.
        currency: Their currency (the KPI's unit).

    Raises:
        CurrencyMismatch: An amount is in another currency.
    """
    total = sum_money(amounts, currency)
    return KpiValue(
        "unapplied_cash", total.amount, total.currency.code, UNAPPLIED_CASH, total.amount
    )


# -- durations ---------------------------------------------------------------------------


def _summarize(
    name: str, durations: list[Decimal], statistic: Statistic, unit: str, formula: str
) -> KpiValue:
    if statistic is Statistic.MEAN:
        total, count = sum(durations, Decimal(0)), Decimal(len(durations))
        return KpiValue(
            f"{name}_mean", _ratio(total, count, unit), unit, f"{formula}; mean", total, count
        )
    if not durations:
        return KpiValue(f"{name}_median", None, unit, f"{formula}; median")
    ordered = sorted(durations)
    middle = len(ordered) // 2
    median = ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return KpiValue(
        f"{name}_median", _ratio(median, Decimal(1), unit), unit, f"{formula}; median", median
    )


@attrs.frozen(slots=True)
class RefundTiming:
    """When a refund was requested and when it was paid out.

    Attributes:
        refund_id: The refund.
        requested_on: When the customer (or a specialist) asked for it.
        paid_on: When it was paid, ``None`` while pending.
    """

    refund_id: str
    requested_on: dt.date
    paid_on: dt.date | None = None


class RefundDates(Protocol):
    """What the refund KPI reads; a :class:`~o2c.ledger.Refund` has it."""

    @property
    def requested_on(self) -> dt.date: ...
    @property
    def paid_on(self) -> dt.date | None: ...


REFUND_TURNAROUND: Final = (
    "calendar days from request (or, for a refund no approval held, from the day its "
    "credit arose) to payment, over refunds paid in the range"
)


def refund_turnaround(
    refunds: Iterable[RefundDates], *, statistic: Statistic = Statistic.MEAN
) -> KpiValue:
    """Calendar days from a refund's request to its payment; pending refunds are left out.

    Args:
        refunds: Refunds paid in the range (pending ones are skipped).
        statistic: Mean (``refund_turnaround_mean``) or median
            (``refund_turnaround_median``).
    """
    days = [Decimal((r.paid_on - r.requested_on).days) for r in refunds if r.paid_on is not None]
    return _summarize("refund_turnaround", days, statistic, DAYS, REFUND_TURNAROUND)


class DisputeDates(Protocol):
    """What the dispute KPIs read; a :class:`~o2c.cases.Dispute` has it."""

    @property
    def opened_on(self) -> dt.date: ...
    @property
    def sla_due(self) -> dt.date: ...
    @property
    def resolved_on(self) -> dt.date | None: ...


@attrs.frozen(slots=True)
class DisputeTiming:
    """The dates of a dispute, as a flat record.

    Attributes:
        dispute_id: The dispute.
        opened_on: When it was opened.
        sla_due: Its SLA due date.
        resolved_on: When it was resolved, ``None`` while active.
    """

    dispute_id: str
    opened_on: dt.date
    sla_due: dt.date
    resolved_on: dt.date | None = None


DISPUTE_RESOLUTION_TIME: Final = (
    "days from opening to resolution, over disputes resolved in the range"
)


def dispute_resolution_time(
    disputes: Iterable[DisputeDates],
    *,
    statistic: Statistic = Statistic.MEAN,
    calendar: BusinessCalendar | None = None,
) -> KpiValue:
    """Days from a dispute's opening to its resolution; active disputes are left out.

    Args:
        disputes: Disputes resolved in the range (active ones are skipped).
        statistic: Mean or median.
        calendar: Count business days of this calendar instead of calendar days.
    """
    days = [
        Decimal(
            calendar.business_days_between(d.opened_on, d.resolved_on)
            if calendar is not None
            else (d.resolved_on - d.opened_on).days
        )
        for d in disputes
        if d.resolved_on is not None
    ]
    unit_text = "business days" if calendar is not None else "calendar days"
    return _summarize(
        "dispute_resolution_time",
        days,
        statistic,
        DAYS,
        DISPUTE_RESOLUTION_TIME.replace("days", unit_text, 1),
    )


SLA_ADHERENCE: Final = (
    "disputes resolved on or before their SLA due date "
    "/ disputes whose SLA outcome is known (resolved, or still active past the due date)"
)


def sla_adherence(disputes: Iterable[DisputeDates], as_of: dt.date) -> KpiValue:
    """Share of disputes resolved within their SLA.

    A dispute resolved on or before its due date met its SLA; one resolved later, or
    still active after its due date as of ``as_of``, missed it; an active dispute not yet
    due is not counted yet. Resolutions after ``as_of`` are treated as not yet happened.

    Args:
        disputes: Disputes whose SLA falls due in the range, or that were resolved in it.
        as_of: The report date (usually the last day of the range).
    """
    met = missed = 0
    for d in disputes:
        resolved = d.resolved_on if d.resolved_on is not None and d.resolved_on <= as_of else None
        if resolved is not None:
            if resolved <= d.sla_due:
                met += 1
            else:
                missed += 1
        elif as_of > d.sla_due:
            missed += 1
    num, den = Decimal(met), Decimal(met + missed)
    return KpiValue("sla_adherence", _ratio(num, den, RATIO), RATIO, SLA_ADHERENCE, num, den)


# -- contacts ----------------------------------------------------------------------------


class Contact(Protocol):
    """What the contact KPIs read; an :class:`~o2c.cases.InteractionNote` has it."""

    @property
    def started(self) -> dt.datetime: ...
    @property
    def ended(self) -> dt.datetime | None: ...
    @property
    def first_contact_resolution(self) -> bool: ...


FIRST_CONTACT_RESOLUTION: Final = (
    "contacts in the range flagged as resolved at first contact / contacts in the range"
)


def first_contact_resolution(contacts: Iterable[Contact]) -> KpiValue:
    """Share of contacts that settled the customer's matter with no follow-up.

    Args:
        contacts: Interaction notes started in the range.
    """
    flags = [c.first_contact_resolution for c in contacts]
    num, den = Decimal(sum(flags)), Decimal(len(flags))
    return KpiValue(
        "first_contact_resolution",
        _ratio(num, den, RATIO),
        RATIO,
        FIRST_CONTACT_RESOLUTION,
        num,
        den,
    )


AVERAGE_HANDLE_TIME: Final = (
    "sum of (ended - started) in minutes / contacts with an end time, over contacts "
    "started in the range"
)


def average_handle_time(contacts: Iterable[Contact]) -> KpiValue:
    """Mean minutes a contact took, over contacts with an end time.

    Args:
        contacts: Interaction notes started in the range (those without an end are
            skipped).
    """
    durations = [c.ended - c.started for c in contacts if c.ended is not None]
    # timedelta to exact minutes: microseconds are integers, so no float is involved.
    micros = sum((d.days * 86_400 + d.seconds) * 1_000_000 + d.microseconds for d in durations)
    with decimal.localcontext() as ctx:
        ctx.prec = 34
        num = Decimal(micros) / Decimal(60_000_000)
    den = Decimal(len(durations))
    return KpiValue(
        "average_handle_time", _ratio(num, den, MINUTES), MINUTES, AVERAGE_HANDLE_TIME, num, den
    )


# -- the report over a date range --------------------------------------------------------


def kpi_period(start: dt.date, end: dt.date) -> Period:
    """The report range ``[start, end)``.

    Raises:
        ValidationError: ``end`` is not after ``start``.
    """
    if end <= start:
        raise ValidationError("end", end, f"a date after {start}")
    return Period(start, end)


def kpi_currency(currency: Currency | str | None, book_currencies: Sequence[str]) -> Currency:
    """The currency of the money KPIs: ``currency``, or the book's only one.

    Raises:
        ValidationError: No currency was given and the book has none or several.

    Example:
        >>> kpi_currency(None, ["MXN"]).code
        'MXN'
    """
    if currency is not None:
        return Currency.of(currency) if isinstance(currency, str) else currency
    codes = list(book_currencies)
    if len(codes) != 1:
        raise ValidationError("currency", None, f"the currency of the KPIs (the book has {codes})")
    return Currency.of(codes[0])


#: How far around the range interaction notes are loaded: a note's day is read in its
#: own time zone, which may be a day off the UTC day.
CONTACTS_MARGIN: Final = dt.timedelta(days=1)


def contacts_window(period: Period) -> tuple[dt.datetime, dt.datetime]:
    """The UTC start times ``[since, until)`` of the notes to load for ``period``.

    One day wider on each side than the range (see :data:`CONTACTS_MARGIN`);
    :func:`kpi_report` then keeps the notes whose start day is in the range.
    """
    since = dt.datetime.combine(period.start - CONTACTS_MARGIN, dt.time(), dt.UTC)
    until = dt.datetime.combine(period.end + CONTACTS_MARGIN, dt.time(), dt.UTC)
    return since, until


def refund_timing(
    refund_id: str,
    paid_on: dt.date,
    requested_on: dt.date | None = None,
    *,
    credit_on: dt.date | None = None,
) -> RefundTiming:
    """A paid refund's timing: from its approval request when one held it, else from the
    day its credit arose (``credit_on``: the payment or credit note the customer was owed
    from), else (unknown) the day it was paid.
    """
    start = requested_on or (paid_on if credit_on is None else min(credit_on, paid_on))
    return RefundTiming(refund_id, start, paid_on)


def _money_or_zero(value: Money | None, currency: str) -> Money:
    return Money.zero(currency) if value is None else value


@attrs.frozen(slots=True, kw_only=True)
class KpiInputs:
    """Everything :func:`kpi_report` reads for one date range, as the Book loads it.

    Collections may hold more than the range (the report selects by date, see each
    field); amounts default to zero in ``currency``.

    Attributes:
        period: The report range ``[start, end)``; the report date is its last day.
        currency: The book's currency.
        issued: Ids of the invoices issued in the range.
        corrections: Correcting notes of those invoices, up to the report date.
        voided: Those invoices voided, with the void date, up to the report date.
        as_of: The report date of invoice accuracy (``None``: the range's last day).
        candidates: Invoices the bill runs in the range tried to produce.
        exceptions: Of those, how many went to the exceptions queue.
        begin_ar: AR at the start of the range.
        end_ar: AR at the end of the range.
        end_current_ar: The part of ``end_ar`` not yet due (effective due dates).
        credit_sales: Invoiced in the range less credit notes.
        aging: Aging bucket totals at the end of the range, disputed bucket included.
        unapplied: Unapplied part of each payment at the end of the range.
        refunds: Refunds; those paid in the range count.
        disputes: Disputes; resolution time reads those resolved in the range, SLA
            adherence those due or resolved in the range.
        contacts: Interaction notes; those started in the range count.
    """

    period: Period
    currency: str
    issued: tuple[str, ...] = ()
    corrections: tuple[Correction, ...] = ()
    voided: tuple[tuple[str, dt.date], ...] = ()
    as_of: dt.date | None = None
    candidates: int = 0
    exceptions: int = 0
    begin_ar: Money | None = None
    end_ar: Money | None = None
    end_current_ar: Money | None = None
    credit_sales: Money | None = None
    aging: tuple[tuple[str, Money], ...] = ()
    unapplied: tuple[Money, ...] = ()
    refunds: tuple[RefundDates, ...] = ()
    disputes: tuple[DisputeDates, ...] = ()
    contacts: tuple[Contact, ...] = ()


def kpi_report(inputs: KpiInputs) -> tuple[KpiValue, ...]:
    """Every KPI of the operations guide over ``inputs.period``, in a fixed order.

    Returns:
        Accuracy, exception rate, DSO, CEI, aging shares, unapplied cash, refund and
        dispute times (mean, median), SLA adherence, FCR and average handle time.
    """
    period, cur = inputs.period, inputs.currency
    as_of = period.last_day
    end_ar = _money_or_zero(inputs.end_ar, cur)
    sales = _money_or_zero(inputs.credit_sales, cur)
    refunds = [r for r in inputs.refunds if r.paid_on is not None and r.paid_on in period]
    resolved = [d for d in inputs.disputes if d.resolved_on is not None and d.resolved_on in period]
    sla = [
        d
        for d in inputs.disputes
        if d.sla_due in period or (d.resolved_on is not None and d.resolved_on in period)
    ]
    contacts = [c for c in inputs.contacts if c.started.date() in period]
    return (
        invoice_accuracy(
            inputs.issued,
            inputs.corrections,
            as_of=inputs.as_of or as_of,
            voided=dict(inputs.voided),
        ),
        billing_exception_rate(inputs.candidates, inputs.exceptions),
        dso(end_ar, sales, period.days),
        collection_effectiveness_index(
            _money_or_zero(inputs.begin_ar, cur),
            sales,
            end_ar,
            _money_or_zero(inputs.end_current_ar, cur),
        ),
        *aging_shares(inputs.aging),
        unapplied_cash(inputs.unapplied, cur),
        refund_turnaround(refunds),
        refund_turnaround(refunds, statistic=Statistic.MEDIAN),
        dispute_resolution_time(resolved),
        dispute_resolution_time(resolved, statistic=Statistic.MEDIAN),
        sla_adherence(sla, as_of),
        first_contact_resolution(contacts),
        average_handle_time(contacts),
    )
