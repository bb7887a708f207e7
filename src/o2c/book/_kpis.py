"""The KPI report on the book: load :class:`o2c.kpi.KpiInputs` for a range, then compute.

The figures are the pure :mod:`o2c.kpi` functions'; here the book loads what they read
through the tables layer (``o2c.book._tables.reports``), with the aging of
:mod:`o2c.book._reports` (disputed amounts apart, extensions honoured).
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from o2c.billing import ReasonCode
from o2c.book._area import Area
from o2c.book._disputes import disputed_amounts
from o2c.book._extensions import extended_due_dates_on
from o2c.book._journal import credit_items
from o2c.book._reports import aging
from o2c.book._session import Session
from o2c.book._tables import cases as cases_table
from o2c.book._tables import reports as reports_table
from o2c.errors import ValidationError
from o2c.ids import DocumentId
from o2c.kpi import (
    AGING_BUCKETS,
    AgingItem,
    Correction,
    DisputeTiming,
    KpiInputs,
    KpiValue,
    contacts_window,
    current_receivables,
    kpi_currency,
    kpi_period,
    kpi_report,
    refund_timing,
)
from o2c.ledger import CreditKind
from o2c.ledger.aging import DEFAULT_BUCKETS
from o2c.money import Currency, Money

__all__ = ["AGING_NAMES", "KpisMixin", "kpi_inputs", "kpis", "kpis_by_currency"]

#: The aging profile's KPI names: the default buckets (current, 1-30 ... 90+) and disputed.
AGING_NAMES: Final = tuple(f"aging_{name}" for name in AGING_BUCKETS)


def report_date(session: Session, last: dt.date, as_of: dt.date | None) -> dt.date:
    """The date invoice accuracy counts corrections and voids up to: ``as_of``, else
    today, but never before the range's last day (a month's figure as of its own end)."""
    if as_of is not None:
        return as_of
    return max(session.today(), last)


def kpi_end(start: dt.date, end: dt.date | None, through: dt.date | None) -> dt.date:
    """The exclusive end of a KPI range given as ``end`` (exclusive) or ``through`` (inclusive).

    ``through`` is the last day, included, as the CLI's ``--to`` and every list's ``end``;
    ``end`` is the first day after, as ``Book.kpis`` always took it. Exactly one is given.

    Raises:
        ValidationError: Both or neither are given.

    Example:
        >>> kpi_end(dt.date(2026, 10, 1), None, dt.date(2026, 10, 31))
        datetime.date(2026, 11, 1)
    """
    if end is not None and through is not None:
        raise ValidationError(
            "through",
            through.isoformat(),
            "either end (the first day after) or through (the last day, included), not both",
        )
    if through is not None:
        return through + dt.timedelta(days=1)
    if end is None:
        raise ValidationError(
            "end", start.isoformat(), "end (the first day after) or through (the last day)"
        )
    return end


def kpi_inputs(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    currency: Currency | str | None = None,
    as_of: dt.date | None = None,
) -> KpiInputs:
    """Load what :func:`o2c.kpi.kpi_report` reads for ``[start, end)``; see the facade."""
    period = kpi_period(start, end)
    store = session.store
    cur = kpi_currency(
        currency, [] if currency is not None else reports_table.book_currencies(store)
    )
    code = cur.code
    last = period.last_day
    reported = report_date(session, last, as_of)
    corrections = [
        Correction(r.invoice, r.note, r.issued, ReasonCode.parse(r.reason).is_billing_error)
        for r in reports_table.corrections_of_invoices(store, code, start, end, up_to=reported)
    ]
    candidates, exceptions = reports_table.bill_run_counts(store, code, start, last)
    receivable = session.chart.receivable.code
    # Aging and AR in SQL; current AR (not yet due by effective dates) is the current
    # bucket plus the disputed parts of current items, which aging keeps apart.
    aged = aging(session, last, buckets=DEFAULT_BUCKETS).total(cur)
    disputed = disputed_amounts(session, last)
    extended = extended_due_dates_on(session, last)
    under_dispute = [
        AgingItem(
            Money.from_minor(i.open_minor, cur),
            extended.get(DocumentId(i.document), i.due_date),
            disputed[DocumentId(i.document)],
        )
        for i in reports_table.case_items(store, receivable=receivable, as_of=last)
        if i.currency == code and DocumentId(i.document) in disputed
    ]
    unapplied = tuple(
        c.unapplied
        for c in credit_items(session, as_of=last)
        if c.kind is CreditKind.PAYMENT and c.currency == cur
    )
    since, until = contacts_window(period)
    contacts = cases_table.notes_started_between(store, since, until)
    return KpiInputs(
        period=period,
        currency=code,
        issued=tuple(reports_table.invoices_issued(store, code, start, end)),
        corrections=tuple(corrections),
        voided=tuple(reports_table.invoices_voided(store, code, start, end, up_to=reported)),
        as_of=reported,
        candidates=candidates,
        exceptions=exceptions,
        begin_ar=Money.from_minor(
            reports_table.receivable_before(store, receivable, code, start), cur
        ),
        end_ar=aged.total,
        end_current_ar=current_receivables(aged.buckets[0], under_dispute, last),
        credit_sales=Money.from_minor(reports_table.credit_sales(store, code, start, end), cur),
        aging=tuple(zip(AGING_NAMES, (*aged.buckets, aged.disputed), strict=True)),
        unapplied=unapplied,
        refunds=tuple(
            refund_timing(r.id, r.paid_on, r.requested_on, credit_on=r.credit_on)
            for r in reports_table.refunds_paid(store, code, start, end)
        ),
        disputes=tuple(
            DisputeTiming(*row) for row in reports_table.dispute_timings(store, code, start, end)
        ),
        contacts=tuple(contacts),
    )


def kpis(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    currency: Currency | str | None = None,
    as_of: dt.date | None = None,
) -> tuple[KpiValue, ...]:
    """Every KPI of the operations guide over ``[start, end)``, in one read transaction."""
    with session.store.transaction(write=False):
        inputs = kpi_inputs(session, start, end, currency=currency, as_of=as_of)
    return kpi_report(inputs)


def kpis_by_currency(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    as_of: dt.date | None = None,
) -> dict[str, tuple[KpiValue, ...]]:
    """Every KPI over ``[start, end)`` once per currency of the book, by code (sorted).

    The money KPIs cannot be added across currencies, so a book that bills in MXN and USD
    gets one report per currency, all read in one transaction.
    """
    with session.store.transaction(write=False):
        codes = reports_table.book_currencies(session.store)
        inputs = [kpi_inputs(session, start, end, currency=c, as_of=as_of) for c in codes]
    return {i.currency: kpi_report(i) for i in inputs}


class KpisMixin(Area):
    """The KPI report."""

    def kpi_inputs(
        self,
        start: dt.date,
        end: dt.date | None = None,
        *,
        through: dt.date | None = None,
        currency: Currency | str | None = None,
        as_of: dt.date | None = None,
    ) -> KpiInputs:
        """Load what :func:`o2c.kpi.kpi_report` reads for the range ``[start, end)``.

        Give the range's end one of two ways: ``through``, the last day **included**
        (the convention of the CLI's ``--to`` and of every list's and export's ``end``),
        or ``end``, the first day *after* the range (what this method always took, kept
        for existing callers): ``through=date(2026, 10, 31)`` and
        ``end=date(2026, 11, 1)`` are the same October.

        Args:
            start: First day of the range.
            end: First day after the range (``2026-11-01`` for October); exclusive.
            through: Last day of the range (``2026-10-31`` for October); inclusive.
            currency: The currency of the money KPIs; the book's only currency by default.
            as_of: The report date: invoice accuracy counts the corrections and voids of
                the range's invoices up to it (an October invoice corrected on Nov 5 is
                inaccurate as of Nov 30). Today by default, never before the range's
                last day.

        Raises:
            ValidationError: ``end`` is not after ``start``, both or neither of ``end``
                and ``through`` are given, or no currency was given in a book with several.
        """
        last = kpi_end(start, end, through)
        return kpi_inputs(self._session, start, last, currency=currency, as_of=as_of)

    def kpis(
        self,
        start: dt.date,
        end: dt.date | None = None,
        *,
        through: dt.date | None = None,
        currency: Currency | str | None = None,
        as_of: dt.date | None = None,
    ) -> tuple[KpiValue, ...]:
        """Every KPI of the operations guide over ``[start, end)``, from the book itself.

        The range ends at ``through`` (the last day, included) or before ``end`` (the
        first day after): see :meth:`kpi_inputs` for both, for what is loaded and for
        ``as_of`` (the report date); :func:`o2c.kpi.kpi_report` gives the order. Each
        value carries its formula, numerator and denominator.

        Example:
            >>> import datetime as dt
            >>> from o2c import Book
            >>> with Book.open(":memory:", create=True) as book:
            ...     october = book.kpis(dt.date(2026, 10, 1), through=dt.date(2026, 10, 31),
            ...                         currency="USD")
            ...     same = book.kpis(dt.date(2026, 10, 1), dt.date(2026, 11, 1), currency="USD")
            >>> october == same
            True
        """
        last = kpi_end(start, end, through)
        return kpis(self._session, start, last, currency=currency, as_of=as_of)

    def kpis_by_currency(
        self,
        start: dt.date,
        end: dt.date | None = None,
        *,
        through: dt.date | None = None,
        as_of: dt.date | None = None,
    ) -> dict[str, tuple[KpiValue, ...]]:
        """:meth:`kpis` once per currency of the book, by currency code (sorted).

        What a multi-currency book reports instead of asking for ``currency``: the
        non-money KPIs (accuracy, turnaround) are counted within each currency's
        documents, as :meth:`kpis` with ``currency=`` counts them.

        The range ends at ``through`` (included) or before ``end``, as for :meth:`kpis`.

        Raises:
            ValidationError: ``end`` is not after ``start``, or both or neither of ``end``
                and ``through`` are given.
        """
        last = kpi_end(start, end, through)
        return kpis_by_currency(self._session, start, last, as_of=as_of)
