"""The journal in the store: writing balanced entries, reading them and the derived items."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from o2c.book._base import BookBase, Touched
from o2c.book._codec import as_date, iso, money, opt_date
from o2c.calendar import Period
from o2c.errors import InvalidState, ValidationError
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger.items import CreditItem, CreditKind, DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.ledger.periods import AccountingPeriods
from o2c.money import Currency

__all__ = ["ENTRY_SQL", "LINE_SQL", "JournalMixin", "PeriodStatus"]

_DOC_KINDS: Final = ("invoice", "debit_note")
_CREDIT_KINDS: Final = ("payment", "credit_note")

ENTRY_SQL: Final = (
    "INSERT INTO journal_entries (id, entry_date, kind, source, reference, due_date, memo,"
    " reverses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LINE_SQL: Final = (
    "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_minor,"
    " customer_id, item, entry_date, item_date, item_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


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


class JournalMixin(BookBase):
    """Journal storage, accounting periods and the derived open items and credits."""

    # -- writing ----------------------------------------------------------------------

    def _accounting_periods(self) -> AccountingPeriods:
        rows = self._store.query("SELECT period FROM periods WHERE status = 'closed'")
        return AccountingPeriods(frozenset(Period.parse(str(r[0])) for r in rows))

    def _new_entry_ids(self, count: int) -> list[EntryId]:
        first = self._next_numbers("journal_entry", count)
        return [EntryId(f"JE{n:010d}") for n in range(first, first + count)]

    def _write_entries(
        self,
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
        entry_rows, line_rows = self._entry_rows(entries, item_dates=item_dates, periods=periods)
        self._store.executemany(ENTRY_SQL, entry_rows)
        self._store.executemany(LINE_SQL, line_rows)

    def _entry_rows(
        self,
        entries: Sequence[JournalEntry],
        *,
        item_dates: Mapping[str, tuple[dt.date, dt.date]] | None = None,
        periods: AccountingPeriods | None = None,
    ) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        """The ``journal_entries`` and ``journal_lines`` rows :meth:`_write_entries` stores."""
        if not entries:
            return [], []
        checker = periods or self._accounting_periods()
        if checker.closed:
            for entry in entries:
                checker.check_open(entry.date)
        ar = self._chart.receivable.code
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
            known.update(self._item_dates(sorted(missing)))
        now = self._now().isoformat()
        entry_rows = []
        line_rows: list[tuple[Any, ...]] = []
        for entry in entries:
            day = entry.date.isoformat()
            entry_rows.append(
                (
                    entry.id,
                    day,
                    entry.kind.value,
                    entry.source,
                    entry.reference,
                    iso(entry.due_date),
                    entry.memo,
                    entry.reverses,
                    now,
                )
            )
            for n, line in enumerate(entry.lines, start=1):
                item_date = item_due = None
                if line.account == ar:
                    # Every AR line carries its item's dates (aging reads only those lines).
                    dates = known.get(line.item) if line.item is not None else None
                    if dates is not None:
                        item_date, item_due = dates[0].isoformat(), dates[1].isoformat()
                    else:
                        item_date = item_due = day
                amount = line.amount
                line_rows.append(
                    (
                        entry.id,
                        n,
                        line.account,
                        amount.currency.code,
                        amount.minor_units,
                        line.customer,
                        line.item,
                        day,
                        item_date,
                        item_due,
                    )
                )
        return entry_rows, line_rows

    def _item_dates(self, items: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]]:
        found: dict[str, tuple[dt.date, dt.date]] = {}
        for start in range(0, len(items), 500):
            chunk = items[start : start + 500]
            marks = ", ".join("?" for _ in chunk)
            for row in self._store.query(
                f"SELECT id, issue_date, due_date FROM documents WHERE id IN ({marks})", chunk
            ):
                if row[1] is not None:
                    found[str(row[0])] = (as_date(row[1]), as_date(row[2] or row[1]))
        return found

    # -- reading the journal --------------------------------------------------------------

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
        where = []
        params: list[str] = []
        if as_of is not None:
            where.append("e.entry_date <= ?")
            params.append(as_of.isoformat())
        if source is not None:
            where.append("e.source = ?")
            params.append(source)
        if customer is not None:
            where.append("e.id IN (SELECT entry_id FROM journal_lines WHERE customer_id = ?)")
            params.append(customer)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        headers = self._store.query(
            "SELECT e.id, e.entry_date, e.kind, e.source, e.reference, e.due_date, e.memo,"
            f" e.reverses FROM journal_entries e{clause} ORDER BY e.id",
            params,
        )
        lines = self._store.query(
            "SELECT l.entry_id, l.account, l.currency, l.amount_minor, l.customer_id, l.item"
            f" FROM journal_lines l JOIN journal_entries e ON e.id = l.entry_id{clause}"
            " ORDER BY l.entry_id, l.line_no",
            params,
        )
        by_entry: dict[str, list[Posting]] = {}
        currencies: dict[str, Currency] = {}
        for row in lines:
            code = str(row[2])
            cur = currencies.get(code) or currencies.setdefault(code, Currency.of(code))
            by_entry.setdefault(str(row[0]), []).append(
                Posting(
                    AccountCode(str(row[1])),
                    money(row[3], cur),
                    None if row[4] is None else CustomerId(str(row[4])),
                    None if row[5] is None else str(row[5]),
                )
            )
        return [
            JournalEntry(
                id=EntryId(str(h[0])),
                date=as_date(h[1]),
                kind=EntryKind(str(h[2])),
                source=str(h[3]),
                lines=tuple(by_entry[str(h[0])]),
                reference=str(h[4]),
                due_date=opt_date(h[5]),
                memo=str(h[6]),
                reverses=None if h[7] is None else EntryId(str(h[7])),
            )
            for h in headers
        ]

    # -- derived items from SQL -------------------------------------------------------------

    def _open_items_sql(
        self,
        *,
        as_of: dt.date,
        document_ids: Sequence[str] | None = None,
        customer: str | None = None,
        include_settled: bool = False,
    ) -> list[OpenItem]:
        where = ["l.account = ?", "l.entry_date <= ?", "l.item IS NOT NULL"]
        params: list[str] = [self._chart.receivable.code, as_of.isoformat()]
        if customer is not None:
            where.append("l.customer_id = ?")
            params.append(customer)
        if document_ids is not None:
            if not document_ids:
                return []
            where.append(f"l.item IN ({', '.join('?' for _ in document_ids)})")
            params.extend(document_ids)
        having = "" if include_settled else " HAVING SUM(l.amount_minor) <> 0"
        rows = self._store.query(
            "SELECT l.item, MIN(l.customer_id), l.currency, SUM(l.amount_minor),"
            " MIN(l.item_date), MIN(l.item_due)"
            f" FROM journal_lines l WHERE {' AND '.join(where)}"
            f" GROUP BY l.item, l.currency{having}",
            params,
        )
        if not rows:
            return []
        ids = [str(r[0]) for r in rows]
        origin: dict[str, tuple[str, str, int, object, object]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for o in self._store.query(
                "SELECT e.source, e.kind, e.reference, l.amount_minor, e.entry_date, e.due_date"
                " FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id"
                f" WHERE e.source IN ({', '.join('?' for _ in chunk)})"
                " AND e.kind IN ('invoice', 'debit_note') AND l.account = ? AND l.item = e.source",
                [*chunk, self._chart.receivable.code],
            ):
                origin[str(o[0])] = (str(o[1]), str(o[2]), int(o[3]), o[4], o[5])
        items = []
        for r in rows:
            item = str(r[0])
            cur = Currency.of(str(r[2]))
            first = origin.get(item)
            if first is not None:
                kind, number, original = DocumentKind(first[0]), first[1] or item, first[2]
                doc_date = as_date(first[3])
                due = as_date(first[4]) if first[4] is not None else doc_date
            else:
                kind, number, original = DocumentKind.INVOICE, item, 0
                doc_date = as_date(r[4]) if r[4] is not None else as_of
                due = as_date(r[5]) if r[5] is not None else doc_date
            items.append(
                OpenItem(
                    document_id=DocumentId(item),
                    number=number,
                    kind=kind,
                    customer=CustomerId(str(r[1] or "")),
                    currency=cur,
                    document_date=doc_date,
                    due_date=due,
                    original=money(original, cur),
                    open=money(r[3], cur),
                )
            )
        items.sort(key=lambda i: (i.customer, i.due_date, i.number, i.document_id))
        return items

    def _open_item(self, document_id: str, as_of: dt.date) -> OpenItem | None:
        found = self._open_items_sql(as_of=as_of, document_ids=[document_id], include_settled=True)
        return found[0] if found else None

    def _credit_items_sql(
        self,
        *,
        as_of: dt.date,
        sources: Sequence[str] | None = None,
        customer: str | None = None,
        include_used: bool = False,
    ) -> list[CreditItem]:
        where = ["l.account = ?", "l.entry_date <= ?", "l.item IS NOT NULL"]
        params: list[str] = [self._chart.unapplied.code, as_of.isoformat()]
        if customer is not None:
            where.append("l.customer_id = ?")
            params.append(customer)
        if sources is not None:
            if not sources:
                return []
            where.append(f"l.item IN ({', '.join('?' for _ in sources)})")
            params.extend(sources)
        having = "" if include_used else " HAVING SUM(l.amount_minor) <> 0"
        rows = self._store.query(
            "SELECT l.item, MIN(l.customer_id), l.currency, -SUM(l.amount_minor),"
            " MIN(l.entry_date)"
            f" FROM journal_lines l WHERE {' AND '.join(where)}"
            f" GROUP BY l.item, l.currency{having}",
            params,
        )
        if not rows:
            return []
        ids = [str(r[0]) for r in rows]
        origin: dict[str, tuple[str, str, int, object]] = {}
        for start in range(0, len(ids), 500):
            chunk = ids[start : start + 500]
            for o in self._store.query(
                "SELECT e.source, e.kind, e.reference, -l.amount_minor, e.entry_date"
                " FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id"
                f" WHERE e.source IN ({', '.join('?' for _ in chunk)})"
                " AND e.kind IN ('payment', 'credit_note') AND l.account = ?"
                " AND l.item = e.source",
                [*chunk, self._chart.unapplied.code],
            ):
                origin[str(o[0])] = (str(o[1]), str(o[2]), int(o[3]), o[4])
        credits = []
        for r in rows:
            source = str(r[0])
            cur = Currency.of(str(r[2]))
            first = origin.get(source)
            if first is not None:
                kind, reference, original, day = (
                    CreditKind(first[0]),
                    first[1],
                    first[2],
                    as_date(first[3]),
                )
            else:
                kind, reference, original, day = CreditKind.PAYMENT, source, 0, as_date(r[4])
            credits.append(
                CreditItem(
                    source=source,
                    kind=kind,
                    customer=CustomerId(str(r[1] or "")),
                    currency=cur,
                    date=day,
                    reference=reference,
                    original=money(original, cur),
                    unapplied=money(r[3], cur),
                )
            )
        credits.sort(key=lambda c: (c.customer, c.date, c.source))
        return credits

    def _credit_item(self, source: str, as_of: dt.date) -> CreditItem | None:
        found = self._credit_items_sql(as_of=as_of, sources=[source], include_used=True)
        return found[0] if found else None

    def open_items(
        self, *, as_of: dt.date | None = None, customer: str | None = None
    ) -> list[OpenItem]:
        """Invoices and debit notes with something open as of a date, computed in SQL.

        Args:
            as_of: The date (today by default).
            customer: Only this customer's items.
        """
        return self._open_items_sql(as_of=as_of or self._today(), customer=customer)

    def credits(
        self, *, as_of: dt.date | None = None, customer: str | None = None
    ) -> list[CreditItem]:
        """Unapplied payments and credit notes with what is left of each, as of a date."""
        return self._credit_items_sql(as_of=as_of or self._today(), customer=customer)

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
        month = _month(period)
        return self._set_period(month, "closed", "close_period", actor, idempotency_key)

    def reopen_period(
        self, period: Period | str, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> PeriodStatus:
        """Reopen a closed accounting month.

        Raises:
            InvalidState: The month is not closed.
        """
        month = _month(period)
        return self._set_period(month, "open", "reopen_period", actor, idempotency_key)

    def _set_period(
        self, month: Period, status: str, command: str, actor: str | None, key: str | None
    ) -> PeriodStatus:
        who = self._who(actor)

        def body(touched: Touched) -> dict[str, Any]:
            row = self._store.query_one(
                "SELECT status FROM periods WHERE period = ?", (month.label,)
            )
            current = "open" if row is None else str(row[0])
            if current == status:
                raise InvalidState(f"period {month.label} is already {status}")
            now = self._now().isoformat()
            if row is None:
                self._store.execute(
                    "INSERT INTO periods (period, start_date, end_date, status, changed_by,"
                    " changed_at) VALUES (?, ?, ?, ?, ?, ?)",
                    (
                        month.label,
                        month.start.isoformat(),
                        month.last_day.isoformat(),
                        status,
                        who,
                        now,
                    ),
                )
            else:
                self._store.execute(
                    "UPDATE periods SET status = ?, changed_by = ?, changed_at = ?"
                    " WHERE period = ?",
                    (status, who, now, month.label),
                )
            touched.add(month.label)
            return {"period": month.label, "status": status, "by": who, "at": now}

        result = self._run(command, actor=who, key=key, args={"period": month.label}, body=body)
        return PeriodStatus(result["period"], result["status"], result["by"], result["at"])

    def list_periods(self) -> list[PeriodStatus]:
        """The months that were ever closed or reopened, in order (others are open)."""
        return [
            PeriodStatus(str(r[0]), str(r[1]), str(r[2]), str(r[3]))
            for r in self._store.query(
                "SELECT period, status, changed_by, changed_at FROM periods ORDER BY period"
            )
        ]


def entries_touching(entries: Iterable[JournalEntry], item: str) -> list[JournalEntry]:
    """The entries with a line on ``item`` (a document, payment or credit note id)."""
    return [e for e in entries if any(line.item == item for line in e.lines)]
