"""The ``journal_entries``, ``journal_lines`` and ``periods`` tables.

An entry is stored from one of two forms: a balanced
:class:`~o2c.ledger.journal.JournalEntry` (:func:`entry_rows`) or, on the bill run's
compact path, the minor-unit postings of :func:`o2c.ledger.posting.post_invoice_minor`
(:func:`minor_entry_rows`); both write their rows through :func:`entry_row` and
:func:`line_row`. AR control lines carry their open item's date and due date, so aging
is one scan over the lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from o2c.book._codec import as_date, iso, money, opt_date
from o2c.ids import AccountCode, CustomerId, DocumentId, EntryId
from o2c.ledger.items import CreditItem, CreditKind, DocumentKind, OpenItem
from o2c.ledger.journal import EntryKind, JournalEntry, Posting
from o2c.money import Currency
from o2c.store import Store

__all__ = [
    "ENTRY_SQL",
    "LINE_SQL",
    "closed_months",
    "credit_items",
    "entry_row",
    "entry_rows",
    "insert_entry_rows",
    "insert_period",
    "item_dates",
    "line_row",
    "minor_entry_rows",
    "open_items",
    "period_rows",
    "period_status",
    "read_entries",
    "update_period",
]

ENTRY_SQL: Final = (
    "INSERT INTO journal_entries (id, entry_date, kind, source, reference, due_date, memo,"
    " reverses, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
LINE_SQL: Final = (
    "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_minor,"
    " customer_id, item, entry_date, item_date, item_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


# -- writing --------------------------------------------------------------------------


def entry_row(
    entry_id: str,
    day: str,
    kind: str,
    source: str,
    reference: str,
    due: str | None,
    memo: str,
    reverses: str | None,
    now: str,
    /,
) -> tuple[Any, ...]:
    """THE ``journal_entries`` row (the columns of :data:`ENTRY_SQL`, in order)."""
    return (entry_id, day, kind, source, reference, due, memo, reverses, now)


def line_row(
    entry_id: str,
    line_no: int,
    account: str,
    currency: str,
    amount_minor: int,
    customer: str | None,
    item: str | None,
    day: str,
    item_date: str | None,
    item_due: str | None,
    /,
) -> tuple[Any, ...]:
    """THE ``journal_lines`` row (the columns of :data:`LINE_SQL`, in order)."""
    return (
        entry_id,
        line_no,
        account,
        currency,
        amount_minor,
        customer,
        item,
        day,
        item_date,
        item_due,
    )


def entry_rows(
    entries: Sequence[JournalEntry],
    *,
    receivable: str,
    dates: Mapping[str, tuple[dt.date, dt.date]],
    now: str,
) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
    """The entry and line rows of balanced entries; AR lines (account ``receivable``)
    carry their item's ``(date, due date)`` from ``dates`` (the entry's date without)."""
    rows = []
    lines: list[tuple[Any, ...]] = []
    for entry in entries:
        day = entry.date.isoformat()
        rows.append(
            entry_row(
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
            if line.account == receivable:
                known = dates.get(line.item) if line.item is not None else None
                if known is not None:
                    item_date, item_due = known[0].isoformat(), known[1].isoformat()
                else:
                    item_date = item_due = day
            amount = line.amount
            lines.append(
                line_row(
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
    return rows, lines


def minor_entry_rows(
    entry_id: str,
    postings: Sequence[tuple[str, int]],
    *,
    day: str,
    kind: str,
    source: str,
    reference: str,
    due: str,
    customer: str,
    currency: str,
    now: str,
) -> tuple[tuple[Any, ...], list[tuple[Any, ...]]]:
    """The entry row and line rows of a document's minor-unit ``postings``
    (:func:`o2c.ledger.posting.post_invoice_minor`: the receivable first, on the
    customer and the document ``source`` as its open item, dated ``day`` and due
    ``due``); the same rows :func:`entry_rows` writes for the entry
    :func:`~o2c.ledger.posting.post_document` posts."""
    postings_iter = iter(postings)
    ar, gross = next(postings_iter)
    lines = [line_row(entry_id, 1, ar, currency, gross, customer, source, day, day, due)]
    n = 1
    for account, amount in postings_iter:
        n += 1
        lines.append(line_row(entry_id, n, account, currency, amount, None, None, day, None, None))
    return entry_row(entry_id, day, kind, source, reference, due, "", None, now), lines


def insert_entry_rows(
    store: Store, entries: Sequence[Sequence[Any]], lines: Sequence[Sequence[Any]]
) -> None:
    """Insert entry rows and line rows (of :func:`entry_rows` or :func:`minor_entry_rows`)."""
    if entries:
        store.executemany(ENTRY_SQL, entries)
    if lines:
        store.executemany(LINE_SQL, lines)


def item_dates(store: Store, items: Sequence[str]) -> dict[str, tuple[dt.date, dt.date]]:
    """The ``(issue date, due date)`` of the stored documents ``items`` that have one."""
    found: dict[str, tuple[dt.date, dt.date]] = {}
    for start in range(0, len(items), 500):
        chunk = items[start : start + 500]
        marks = ", ".join("?" for _ in chunk)
        for row in store.query(
            f"SELECT id, issue_date, due_date FROM documents WHERE id IN ({marks})", chunk
        ):
            if row[1] is not None:
                found[str(row[0])] = (as_date(row[1]), as_date(row[2] or row[1]))
    return found


# -- reading the journal --------------------------------------------------------------


def read_entries(
    store: Store,
    *,
    as_of: dt.date | None = None,
    source: str | None = None,
    customer: str | None = None,
) -> list[JournalEntry]:
    """The stored entries in posting order, optionally filtered (see ``Book.journal``)."""
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
    headers = store.query(
        "SELECT e.id, e.entry_date, e.kind, e.source, e.reference, e.due_date, e.memo,"
        f" e.reverses FROM journal_entries e{clause} ORDER BY e.id",
        params,
    )
    lines = store.query(
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


def open_items(
    store: Store,
    *,
    receivable: str,
    as_of: dt.date,
    document_ids: Sequence[str] | None = None,
    customer: str | None = None,
    include_settled: bool = False,
) -> list[OpenItem]:
    """The open items on the AR control account ``receivable`` as of a date, summed in
    SQL, sorted by customer, due date and number."""
    where = ["l.account = ?", "l.entry_date <= ?", "l.item IS NOT NULL"]
    params: list[str] = [receivable, as_of.isoformat()]
    if customer is not None:
        where.append("l.customer_id = ?")
        params.append(customer)
    if document_ids is not None:
        if not document_ids:
            return []
        where.append(f"l.item IN ({', '.join('?' for _ in document_ids)})")
        params.extend(document_ids)
    having = "" if include_settled else " HAVING SUM(l.amount_minor) <> 0"
    rows = store.query(
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
        for o in store.query(
            "SELECT e.source, e.kind, e.reference, l.amount_minor, e.entry_date, e.due_date"
            " FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id"
            f" WHERE e.source IN ({', '.join('?' for _ in chunk)})"
            " AND e.kind IN ('invoice', 'debit_note') AND l.account = ? AND l.item = e.source",
            [*chunk, receivable],
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


def credit_items(
    store: Store,
    *,
    unapplied: str,
    as_of: dt.date,
    sources: Sequence[str] | None = None,
    customer: str | None = None,
    include_used: bool = False,
) -> list[CreditItem]:
    """The credits on the unapplied cash account ``unapplied`` as of a date, summed in
    SQL, sorted by customer, date and source."""
    where = ["l.account = ?", "l.entry_date <= ?", "l.item IS NOT NULL"]
    params: list[str] = [unapplied, as_of.isoformat()]
    if customer is not None:
        where.append("l.customer_id = ?")
        params.append(customer)
    if sources is not None:
        if not sources:
            return []
        where.append(f"l.item IN ({', '.join('?' for _ in sources)})")
        params.extend(sources)
    having = "" if include_used else " HAVING SUM(l.amount_minor) <> 0"
    rows = store.query(
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
        for o in store.query(
            "SELECT e.source, e.kind, e.reference, -l.amount_minor, e.entry_date"
            " FROM journal_entries e JOIN journal_lines l ON l.entry_id = e.id"
            f" WHERE e.source IN ({', '.join('?' for _ in chunk)})"
            " AND e.kind IN ('payment', 'credit_note') AND l.account = ?"
            " AND l.item = e.source",
            [*chunk, unapplied],
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


# -- accounting periods ----------------------------------------------------------------


def closed_months(store: Store) -> list[str]:
    """The labels (``2026-09``) of the closed accounting months."""
    return [str(r[0]) for r in store.query("SELECT period FROM periods WHERE status = 'closed'")]


def period_status(store: Store, label: str) -> str | None:
    """The stored status of the month ``label`` (``None``: never closed, so open)."""
    row = store.query_one("SELECT status FROM periods WHERE period = ?", (label,))
    return None if row is None else str(row[0])


def insert_period(
    store: Store, label: str, start: str, end: str, status: str, who: str, now: str
) -> None:
    """Store a month's first status change."""
    store.execute(
        "INSERT INTO periods (period, start_date, end_date, status, changed_by,"
        " changed_at) VALUES (?, ?, ?, ?, ?, ?)",
        (label, start, end, status, who, now),
    )


def update_period(store: Store, label: str, status: str, who: str, now: str) -> None:
    """Store a later status change of a month."""
    store.execute(
        "UPDATE periods SET status = ?, changed_by = ?, changed_at = ? WHERE period = ?",
        (status, who, now, label),
    )


def period_rows(store: Store) -> list[tuple[str, str, str, str]]:
    """``(period, status, changed_by, changed_at)`` of every month ever changed, in order."""
    return [
        (str(r[0]), str(r[1]), str(r[2]), str(r[3]))
        for r in store.query(
            "SELECT period, status, changed_by, changed_at FROM periods ORDER BY period"
        )
    ]


def receivable_steps(
    store: Store, receivable: str, items: Sequence[str]
) -> list[tuple[str, str, str, str, int]]:
    """What the AR control account holds on each of ``items``, by posting date: rows
    ``(item, customer, currency, ISO posting date, net minor units)``."""
    found: list[tuple[str, str, str, str, int]] = []
    for start in range(0, len(items), _ITEM_CHUNK):
        chunk = items[start : start + _ITEM_CHUNK]
        # By item alone: the planner then takes the item index (filtering on the
        # account in SQL made SQLite scan every AR line by the account index).
        for item, account, customer, code, day, total in store.query(
            "SELECT item, account, MIN(customer_id), currency, entry_date,"
            f" SUM(amount_minor) FROM journal_lines WHERE item IN ({', '.join('?' for _ in chunk)})"
            " GROUP BY item, account, currency, entry_date",
            chunk,
        ):
            if account == receivable:
                found.append(
                    (str(item), str(customer or ""), str(code), _iso_text(day), int(total))
                )
    return found


def settled_by_payments(store: Store, receivable: str, item: str, as_of: dt.date) -> int:
    """Minor units allocations (less unallocations) took off ``item`` on the AR control
    account ``receivable`` up to ``as_of``: what the customer's payments settled on it."""
    row = store.query_one(
        "SELECT COALESCE(SUM(l.amount_minor), 0) FROM journal_lines l"
        " JOIN journal_entries e ON e.id = l.entry_id"
        " WHERE l.item = ? AND l.account = ? AND l.entry_date <= ?"
        " AND e.kind IN ('allocation', 'unallocation')",
        (item, receivable, as_of.isoformat()),
    )
    return 0 if row is None else -int(row[0])


def account_steps(
    store: Store, account: str, items: Sequence[str]
) -> list[tuple[str, str, str, str, int]]:
    """What ``account`` (AR control or unapplied cash) holds on each of ``items``, by
    posting date: rows ``(item, customer, currency, ISO posting date, net minor units)``,
    the dated history the every-date limits check (:mod:`o2c.ledger.limits`)."""
    return receivable_steps(store, account, items)


def item_heads(
    store: Store, items: Sequence[str]
) -> list[tuple[str, str | None, str | None, str | None]]:
    """The ``(document id, ISO issue date, ISO due date, posted reference)`` of the
    stored documents ``items`` (the reference of their invoice or debit note entry)."""
    found: list[tuple[str, str | None, str | None, str | None]] = []
    for start in range(0, len(items), _ITEM_CHUNK):
        chunk = items[start : start + _ITEM_CHUNK]
        for doc, issued, due, reference in store.query(
            "SELECT d.id, d.issue_date, d.due_date, e.reference FROM documents d"
            " LEFT JOIN journal_entries e ON e.source = d.id"
            " AND e.kind IN ('invoice', 'debit_note')"
            f" WHERE d.id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            found.append(
                (
                    str(doc),
                    None if issued is None else _iso_text(issued),
                    None if due is None else _iso_text(due),
                    None if reference is None else str(reference),
                )
            )
    return found


_ITEM_CHUNK: Final = 1000


def _iso_text(value: object) -> str:
    """A stored date as ISO text (ISO dates order as the dates do)."""
    return value if isinstance(value, str) else as_date(value).isoformat()
