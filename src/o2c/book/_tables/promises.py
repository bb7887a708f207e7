"""Promise rows: the promises to pay, their items, and the payments that count towards one.

A promise is one ``promises`` row and one ``promise_items`` row per promised item. Its
outcome is not stored: :func:`receipts` reads the payments that count towards it as of a
date, and :func:`o2c.credit.promise_outcome` judges it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, Final

from o2c.book._codec import as_date
from o2c.credit import PromiseId, PromiseReceipt, PromiseToPay
from o2c.ids import CustomerId, DocumentId
from o2c.money import Money
from o2c.store import Store

__all__ = ["insert_promise", "list_promises", "receipts"]

_COLUMNS: Final = (
    "p.id, p.customer_id, p.currency, p.amount_minor, p.promised_on, p.taken_on,"
    " p.grace_days, p.taken_by, p.note_id"
)


def insert_promise(store: Store, promise: PromiseToPay, *, created_at: str) -> None:
    """Write a new promise and its items."""
    store.execute(
        "INSERT INTO promises (id, customer_id, currency, amount_minor, promised_on,"
        " taken_on, grace_days, taken_by, note_id, created_at)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            promise.id,
            promise.customer_id,
            promise.currency.code,
            promise.amount.minor_units,
            promise.promised_on.isoformat(),
            promise.taken_on.isoformat(),
            promise.grace_days,
            promise.taken_by,
            promise.note_id,
            created_at,
        ),
    )
    store.executemany(
        "INSERT INTO promise_items (promise_id, document_id) VALUES (?, ?)",
        [(promise.id, doc) for doc in promise.documents],
    )


def list_promises(
    store: Store,
    *,
    promise_id: str | None = None,
    customer: str | None = None,
    document: str | None = None,
    live_on: dt.date | None = None,
) -> list[PromiseToPay]:
    """Promises by id (the order they were taken), filtered.

    Args:
        store: The store.
        promise_id: Only this one.
        customer: Only this customer's.
        document: Only those covering this document (an id).
        live_on: Only those taken on or before this day whose grace may not have ended
            by it (a superset: the caller checks each deadline).
    """
    where: list[str] = []
    params: list[Any] = []
    if promise_id is not None:
        where.append("p.id = ?")
        params.append(promise_id)
    if customer is not None:
        where.append("p.customer_id = ?")
        params.append(customer)
    if document is not None:
        where.append("p.id IN (SELECT promise_id FROM promise_items WHERE document_id = ?)")
        params.append(document)
    if live_on is not None:
        row = store.query_one("SELECT MAX(grace_days) FROM promises")
        longest = int(row[0]) if row is not None and row[0] is not None else 0
        where.append("p.taken_on <= ? AND p.promised_on >= ?")
        params += [live_on.isoformat(), (live_on - dt.timedelta(days=longest)).isoformat()]
    rows = store.query(
        f"SELECT {_COLUMNS} FROM promises p WHERE {' AND '.join(where) or '1 = 1'} ORDER BY p.id",
        params,
    )
    if not rows:
        return []
    items = _items(store, [str(r[0]) for r in rows])
    return [
        PromiseToPay(
            PromiseId(str(pid)),
            CustomerId(str(cust)),
            Money.from_minor(int(amount), str(code)),
            promised_on=as_date(promised),
            taken_on=as_date(taken),
            taken_by=str(by),
            documents=[doc for doc, _ in items[str(pid)]],
            note_id=str(note),
            grace_days=int(grace),
            numbers=[number for _, number in items[str(pid)]],
        )
        for pid, cust, code, amount, promised, taken, grace, by, note in rows
    ]


def _items(store: Store, ids: Sequence[str]) -> dict[str, list[tuple[DocumentId, str]]]:
    found: dict[str, list[tuple[DocumentId, str]]] = {i: [] for i in ids}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for pid, doc, number in store.query(
            "SELECT i.promise_id, i.document_id, d.number FROM promise_items i"
            " JOIN documents d ON d.id = i.document_id"
            f" WHERE i.promise_id IN ({','.join('?' * len(chunk))})"
            " ORDER BY i.promise_id, d.due_date, d.number",
            list(chunk),
        ):
            found[str(pid)].append((DocumentId(str(doc)), str(number or doc)))
    return found


def receipts(store: Store, promise: PromiseToPay, as_of: dt.date) -> list[PromiseReceipt]:
    """The customer's payments received from the day ``promise`` was taken to ``as_of``,
    each with the part that counts towards it as of ``as_of``: its amount less what was
    allocated to items the promise does not cover (and not undone by then) and less what
    was refunded from it.
    """
    day = as_of.isoformat()
    rows = store.query(
        "SELECT p.id, p.received_date, p.amount_minor"
        " - COALESCE((SELECT SUM(a.amount_minor) FROM allocations a"
        "   LEFT JOIN journal_entries r ON r.id = a.reversed_by"
        "   WHERE a.source_id = p.id AND a.alloc_date <= ?"
        "   AND (r.id IS NULL OR r.entry_date > ?)"
        "   AND a.document_id NOT IN"
        "   (SELECT document_id FROM promise_items WHERE promise_id = ?)), 0)"
        " - COALESCE((SELECT SUM(f.amount_minor) FROM refunds f"
        "   WHERE f.source_id = p.id AND f.refund_date <= ?), 0)"
        " FROM payments p WHERE p.customer_id = ? AND p.currency = ?"
        " AND p.received_date >= ? AND p.received_date <= ? ORDER BY p.received_date, p.id",
        (
            day,
            day,
            promise.id,
            day,
            promise.customer_id,
            promise.currency.code,
            promise.taken_on.isoformat(),
            day,
        ),
    )
    return [
        PromiseReceipt(
            str(pid), as_date(received), Money.from_minor(int(counted), promise.currency)
        )
        for pid, received, counted in rows
        if int(counted) > 0
    ]
