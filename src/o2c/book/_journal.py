"""The journal: writing balanced entries, reading them, the derived items and periods.

Use cases are functions ``(session, ...)``; :class:`JournalMixin` is their facade on the
Book. The rows are :mod:`o2c.book._tables.journal`'s.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from o2c.book._area import Area
from o2c.book._base import Touched
from o2c.book._fx_rates import keep_source_rates
from o2c.book._session import Session
from o2c.book._tables import journal as journal_table
from o2c.book._tables.journal import ENTRY_SQL as ENTRY_SQL
from o2c.book._tables.journal import LINE_SQL as LINE_SQL
from o2c.calendar import Period
from o2c.errors import InvalidState, ValidationError
from o2c.ids import EntryId
from o2c.ledger.items import CreditItem, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.ledger.periods import AccountingPeriods

__all__ = [
    "ENTRY_SQL",
    "LINE_SQL",
    "JournalMixin",
    "PeriodStatus",
    "accounting_periods",
    "close_period",
    "credit_item",
    "credit_items",
    "entry_rows",
    "journal",
    "list_periods",
    "new_entry_ids",
    "open_item",
    "open_items",
    "reopen_period",
    "write_entries",
]


class PeriodStatus:
    """One accounting month's state, as :meth:`Book.list_periods` reports it."""

    __slots__ = ("changed_at", "changed_by", "period", "status")

    def __init__(self, period: str, status: str, changed_by: str, changed_at: str) -> None:
        self.period = period
        self.status = status
        self.changed_by = changed_by
        self.changed_at = changed_at

    def __repr__(self) -> str:
        return f"PeriodStatus({self.period!r}, {self.status!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, PeriodStatus) and (self.period, self.status) == (
            other.period,
            other.status,
        )

    def __hash__(self) -> int:
        return hash((self.period, self.status))


def _month(value: Period | str | dt.date) -> Period:
    if isinstance(value, dt.date):
        return Period.month(value.year, value.month)
    period = value if isinstance(value, Period) else Period.parse(str(value))
    if period != Period.month(period.start.year, period.start.month):
        raise ValidationError("period", str(value), "a calendar month such as 2026-10")
    return period


# -- writing --------------------------------------------------------------------------


def accounting_periods(session: Session) -> AccountingPeriods:
    """The book's accounting months, with the closed ones."""
    return AccountingPeriods(
        frozenset(Period.parse(label) for label in journal_table.closed_months(session.store))
    )


def new_entry_ids(session: Session, count: int) -> list[EntryId]:
    """``count`` new journal entry ids, in order."""
    first = session.next_numbers("journal_entry", count)
    return [EntryId(f"JE{n:010d}") for n in range(first, first + count)]


def write_entries(
    session: Session,
    entries: Sequence[JournalEntry],
    *,
    item_dates: Mapping[str, tuple[dt.date, dt.date]] | None = None,
    periods: AccountingPeriods | None = None,
) -> None:
    """Store balanced entries (refusing any dated in a closed month).

    AR control lines carry their open item's date and due date, so aging is one
    scan over the lines; ``item_dates`` supplies them for items whose document entry
    is not in ``entries`` (looked up in the store otherwise).
    """
    if not entries:
        return
    rows, lines = entry_rows(session, entries, item_dates=item_dates, periods=periods)
    keep_source_rates(session, entries)
    journal_table.insert_entry_rows(session.store, rows, lines)


def entry_rows(
    session: Session,
    entries: Sequence[JournalEntry],
    *,
    item_dates: Mapping[str, tuple[dt.date, dt.date]] | None = None,
    periods: AccountingPeriods | None = None,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The ``journal_entries`` and ``journal_lines`` rows :func:`write_entries` stores."""
    if not entries:
        return [], []
    checker = periods or accounting_periods(session)
    if checker.closed:
        for entry in entries:
            checker.check_open(entry.date)
    ar = session.chart.receivable.code
    known: dict[str, tuple[dt.date, dt.date]] = dict(item_dates or {})
    for entry in entries:
        if entry.kind is EntryKind.INVOICE or entry.kind is EntryKind.DEBIT_NOTE:
            known[entry.source] = (entry.date, entry.due_date or entry.date)
    missing = {
        line.item
        for entry in entries
        for line in entry.lines
        if line.account == ar and line.item is not None and line.item not in known
    }
    if missing:
        known.update(journal_table.item_dates(session.store, sorted(missing)))
    return journal_table.entry_rows(
        entries, receivable=ar, dates=known, now=session.now().isoformat()
    )


# -- reading the journal ----------------------------------------------------------------


def journal(
    session: Session,
    *,
    as_of: dt.date | None = None,
    source: str | None = None,
    customer: str | None = None,
) -> list[JournalEntry]:
    """The journal entries in posting order, optionally filtered (``Book.journal``)."""
    return journal_table.read_entries(session.store, as_of=as_of, source=source, customer=customer)


def open_items(
    session: Session,
    *,
    as_of: dt.date,
    document_ids: Sequence[str] | None = None,
    customer: str | None = None,
    include_settled: bool = False,
) -> list[OpenItem]:
    """Invoices and debit notes with something open as of a date (all of them with
    ``include_settled``), computed in SQL."""
    return journal_table.open_items(
        session.store,
        receivable=session.chart.receivable.code,
        as_of=as_of,
        document_ids=document_ids,
        customer=customer,
        include_settled=include_settled,
    )


def open_item(session: Session, document_id: str, as_of: dt.date) -> OpenItem | None:
    """The open item of one document as of a date (settled or not), if it posted."""
    found = open_items(session, as_of=as_of, document_ids=[document_id], include_settled=True)
    return found[0] if found else None


def credit_items(
    session: Session,
    *,
    as_of: dt.date,
    sources: Sequence[str] | None = None,
    customer: str | None = None,
    include_used: bool = False,
) -> list[CreditItem]:
    """Unapplied payments and credit notes as of a date (all of them with
    ``include_used``), computed in SQL."""
    return journal_table.credit_items(
        session.store,
        unapplied=session.chart.unapplied.code,
        as_of=as_of,
        sources=sources,
        customer=customer,
        include_used=include_used,
    )


def credit_item(session: Session, source: str, as_of: dt.date) -> CreditItem | None:
    """The credit of one payment or credit note as of a date (used up or not)."""
    found = credit_items(session, as_of=as_of, sources=[source], include_used=True)
    return found[0] if found else None


# -- accounting periods ----------------------------------------------------------------


def close_period(
    session: Session, period: Period | str, *, actor: str | None, idempotency_key: str | None
) -> PeriodStatus:
    """Close an accounting month (``Book.close_period``)."""
    return _set_period(session, _month(period), "closed", "close_period", actor, idempotency_key)


def reopen_period(
    session: Session, period: Period | str, *, actor: str | None, idempotency_key: str | None
) -> PeriodStatus:
    """Reopen a closed accounting month (``Book.reopen_period``)."""
    return _set_period(session, _month(period), "open", "reopen_period", actor, idempotency_key)


def _set_period(
    session: Session,
    month: Period,
    status: str,
    command: str,
    actor: str | None,
    key: str | None,
) -> PeriodStatus:
    who = session.who(actor)
    store = session.store

    def body(touched: Touched) -> dict[str, Any]:
        stored = journal_table.period_status(store, month.label)
        current = "open" if stored is None else stored
        if current == status:
            raise InvalidState(f"period {month.label} is already {status}")
        if status == "closed":
            # Revenue recognition due in the month must have run (issue 21).
            from o2c.book._revrec import check_recognized

            check_recognized(session, month)
        now = session.now().isoformat()
        if stored is None:
            journal_table.insert_period(
                store,
                month.label,
                month.start.isoformat(),
                month.last_day.isoformat(),
                status,
                who,
                now,
            )
        else:
            journal_table.update_period(store, month.label, status, who, now)
        touched.add(month.label)
        return {"period": month.label, "status": status, "by": who, "at": now}

    result = session.run(command, actor=who, key=key, args={"period": month.label}, body=body)
    return PeriodStatus(result["period"], result["status"], result["by"], result["at"])


def list_periods(session: Session) -> list[PeriodStatus]:
    """The months that were ever closed or reopened, in order (others are open)."""
    return [PeriodStatus(*row) for row in journal_table.period_rows(session.store)]


class JournalMixin(Area):
    """Journal storage, accounting periods and the derived open items and credits."""

    # -- public ------------------------------------------------------------------------

    def journal(
        self,
        *,
        as_of: dt.date | None = None,
        source: str | None = None,
        customer: str | None = None,
    ) -> list[JournalEntry]:
        """The journal entries in posting order, optionally filtered.

        Args:
            as_of: Only entries dated on or before this date.
            source: Only entries of this document, payment, refund or write-off.
            customer: Only entries with a line of this customer.
        """
        return journal(self._session, as_of=as_of, source=source, customer=customer)

    def open_items(
        self, *, as_of: dt.date | None = None, customer: str | None = None
    ) -> list[OpenItem]:
        """Invoices and debit notes with something open as of a date, computed in SQL.

        Args:
            as_of: The date (today by default).
            customer: Only this customer's items.
        """
        return open_items(self._session, as_of=as_of or self._session.today(), customer=customer)

    def credits(
        self, *, as_of: dt.date | None = None, customer: str | None = None
    ) -> list[CreditItem]:
        """Unapplied payments and credit notes with what is left of each, as of a date."""
        return credit_items(self._session, as_of=as_of or self._session.today(), customer=customer)

    # -- accounting periods ----------------------------------------------------------

    def close_period(
        self, period: Period | str, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> PeriodStatus:
        """Close an accounting month: no posting may be dated in it afterwards.

        Args:
            period: The month (``"2026-09"`` or a month :class:`~o2c.calendar.Period`).
            actor: Who closes it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: The month is closed already.
        """
        return close_period(self._session, period, actor=actor, idempotency_key=idempotency_key)

    def reopen_period(
        self, period: Period | str, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> PeriodStatus:
        """Reopen a closed accounting month.

        Raises:
            InvalidState: The month is not closed.
        """
        return reopen_period(self._session, period, actor=actor, idempotency_key=idempotency_key)

    def list_periods(self) -> list[PeriodStatus]:
        """The months that were ever closed or reopened, in order (others are open)."""
        return list_periods(self._session)


def entries_touching(entries: Iterable[JournalEntry], item: str) -> list[JournalEntry]:
    """The entries with a line on ``item`` (a document, payment or credit note id)."""
    return [e for e in entries if any(line.item == item for line in e.lines)]
