"""Payments, allocations, refunds and write-offs: their rows.

Bank statement lines are stored as payments whose id is the line's bank reference, so
a statement imported twice finds its lines here (:func:`stored_payment_ids`). The bulk
paths (payment files, bank statements) write the compact form: row tuples in minor
units, laid out as :func:`payment_row` and :func:`allocation_row` lay out one value.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple

from o2c.book._codec import as_date, money
from o2c.ids import CustomerId, DocumentId, EntryId, PaymentId
from o2c.ledger.items import AllocationRecord
from o2c.ledger.payments import Allocation, Payment, PaymentMethod
from o2c.ledger.refunds import Refund
from o2c.ledger.writeoffs import WriteOff
from o2c.money import Currency
from o2c.store import Store

__all__ = [
    "CHUNK",
    "RefundRow",
    "WriteOffRow",
    "allocation_row",
    "changed_payments",
    "customer_of_payment",
    "get_allocation",
    "get_payment",
    "insert_allocation_rows",
    "insert_payment_rows",
    "insert_refund",
    "insert_write_off",
    "list_allocations",
    "list_payments",
    "mark_unallocated",
    "minor_allocation_row",
    "minor_payment_row",
    "payment_exists",
    "payment_row",
    "refund_rows",
    "stored_payment_ids",
    "write_off_rows",
    "write_offs_caused_by",
]

#: Ids per ``IN (...)`` query (well below SQLite's and PostgreSQL's parameter limits).
CHUNK: Final = 1000

_PAYMENT_COLUMNS: Final = (
    "id, customer_id, received_date, currency, amount_minor, reference, method"
)
_PAYMENT_INSERT: Final = (
    "INSERT INTO payments (id, customer_id, received_date, currency, amount_minor, method,"
    " reference, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
_ALLOCATION_COLUMNS: Final = (
    "id, source_id, document_id, customer_id, alloc_date, currency, amount_minor, reversed_by"
)
_ALLOCATION_INSERT: Final = (
    "INSERT INTO allocations (id, source_id, document_id, customer_id, alloc_date, currency,"
    " amount_minor, entry_id) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)


# -- payments ------------------------------------------------------------------------------


def payment_row(payment: Payment, created_at: str) -> tuple[Any, ...]:
    """The ``payments`` row of ``payment`` (the layout :func:`insert_payment_rows` takes)."""
    amount = payment.amount
    return minor_payment_row(
        payment.id,
        payment.customer,
        payment.date.isoformat(),
        amount.currency.code,
        amount.minor_units,
        payment.method.value,
        payment.reference,
        created_at,
    )


def minor_payment_row(
    payment_id: str,
    customer: str,
    day: str,
    currency: str,
    amount_minor: int,
    method: str,
    reference: str,
    created_at: str,
    /,
) -> tuple[Any, ...]:
    """THE ``payments`` row, from a payment's parts (the bulk paths' compact form)."""
    return (payment_id, customer, day, currency, amount_minor, method, reference, created_at)


def insert_payment_rows(store: Store, rows: Sequence[tuple[Any, ...]]) -> None:
    """Write ``payments`` rows laid out as :func:`payment_row`."""
    if rows:
        store.executemany(_PAYMENT_INSERT, rows)


def _payment(row: Sequence[Any]) -> Payment:
    return Payment(
        PaymentId(str(row[0])),
        CustomerId(str(row[1])),
        as_date(row[2]),
        money(row[4], Currency.of(str(row[3]))),
        str(row[5]),
        PaymentMethod(str(row[6])),
    )


def payment_exists(store: Store, payment_id: str) -> bool:
    """Whether a payment has id ``payment_id``."""
    return store.query_one("SELECT 1 FROM payments WHERE id = ?", (payment_id,)) is not None


def get_payment(store: Store, payment_id: str) -> Payment | None:
    """The payment ``payment_id``, or None."""
    row = store.query_one(f"SELECT {_PAYMENT_COLUMNS} FROM payments WHERE id = ?", (payment_id,))
    return None if row is None else _payment(row)


def list_payments(
    store: Store,
    *,
    customer: str | None = None,
    start: str | None = None,
    end: str | None = None,
    after: str | None = None,
    limit: int | None = None,
) -> list[Payment]:
    """Payments in id order, optionally filtered.

    ``start`` and ``end`` (ISO dates, both included) bound the received date; ``after``
    is a cursor (only ids after it); ``limit`` caps the rows read.
    """
    where: list[str] = []
    params: list[str | int] = []
    for clause, value in (
        ("customer_id = ?", customer),
        ("received_date >= ?", start),
        ("received_date <= ?", end),
        ("id > ?", after),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    sql = f"SELECT {_PAYMENT_COLUMNS} FROM payments"
    sql += (" WHERE " + " AND ".join(where) if where else "") + " ORDER BY id"
    if limit is not None:
        sql += " LIMIT ?"
        params.append(int(limit))
    return [_payment(r) for r in store.query(sql, params)]


def customer_of_payment(store: Store, payment_id: str) -> str | None:
    """The customer of payment ``payment_id``, or None."""
    row = store.query_one("SELECT customer_id FROM payments WHERE id = ?", (payment_id,))
    return None if row is None else str(row[0])


def stored_payment_ids(store: Store, ids: Sequence[str]) -> set[str]:
    """Which of ``ids`` are stored payments (or bank lines recorded as payments)."""
    found: set[str] = set()
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        found.update(
            str(r[0])
            for r in store.query(
                f"SELECT id FROM payments WHERE id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
        )
    return found


def changed_payments(store: Store, facts: Mapping[str, tuple[str, int, dt.date]]) -> list[str]:
    """The ids in ``facts`` (id -> currency, amount in minor units, date) stored as
    payments with another currency, amount or date: a bank line re-sent under a known
    reference that is not the same line."""
    ids = list(facts)
    changed: list[str] = []
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start : start + CHUNK]
        for pid, currency, minor, day in store.query(
            "SELECT id, currency, amount_minor, received_date FROM payments"
            f" WHERE id IN ({', '.join('?' for _ in chunk)})",
            chunk,
        ):
            if (str(currency), int(minor), as_date(day)) != facts[str(pid)]:
                changed.append(str(pid))
    return sorted(changed)


# -- allocations ---------------------------------------------------------------------------


def allocation_row(allocation: Allocation, entry_id: str) -> tuple[Any, ...]:
    """The ``allocations`` row of ``allocation`` posted as entry ``entry_id`` (its id)."""
    amount = allocation.amount
    return minor_allocation_row(
        entry_id,
        allocation.source,
        allocation.document_id,
        allocation.customer,
        allocation.date.isoformat(),
        amount.currency.code,
        amount.minor_units,
    )


def minor_allocation_row(
    entry_id: str,
    source: str,
    document_id: str,
    customer: str,
    day: str,
    currency: str,
    amount_minor: int,
    /,
) -> tuple[Any, ...]:
    """THE ``allocations`` row, from an allocation's parts; its id is its entry's."""
    return (entry_id, source, document_id, customer, day, currency, amount_minor, entry_id)


def insert_allocation_rows(store: Store, rows: Sequence[tuple[Any, ...]]) -> None:
    """Write ``allocations`` rows laid out as :func:`allocation_row`."""
    if rows:
        store.executemany(_ALLOCATION_INSERT, rows)


def _allocation(row: Sequence[Any]) -> AllocationRecord:
    return AllocationRecord(
        entry_id=EntryId(str(row[0])),
        date=as_date(row[4]),
        customer=CustomerId(str(row[3])),
        source=str(row[1]),
        document_id=DocumentId(str(row[2])),
        amount=money(row[6], Currency.of(str(row[5]))),
        unallocated_by=None if row[7] is None else EntryId(str(row[7])),
    )


def get_allocation(store: Store, allocation_id: str) -> AllocationRecord | None:
    """The allocation ``allocation_id`` (its journal entry id), or None."""
    row = store.query_one(
        f"SELECT {_ALLOCATION_COLUMNS} FROM allocations WHERE id = ?", (allocation_id,)
    )
    return None if row is None else _allocation(row)


def list_allocations(
    store: Store, *, document_id: str | None = None, source_id: str | None = None
) -> list[AllocationRecord]:
    """Allocations in id order, optionally to one document and/or of one source."""
    where = []
    params: list[str] = []
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    if source_id is not None:
        where.append("source_id = ?")
        params.append(source_id)
    sql = f"SELECT {_ALLOCATION_COLUMNS} FROM allocations"
    if where:
        sql += " WHERE " + " AND ".join(where)
    return [_allocation(r) for r in store.query(sql + " ORDER BY id", params)]


def mark_unallocated(store: Store, allocation_id: str, entry_id: str) -> None:
    """Record that entry ``entry_id`` undid allocation ``allocation_id``."""
    store.execute("UPDATE allocations SET reversed_by = ? WHERE id = ?", (entry_id, allocation_id))


# -- refunds -------------------------------------------------------------------------------


class RefundRow(NamedTuple):
    """A stored refund with its entry's memo and the approval that held it, if any."""

    id: str
    customer: str
    source: str
    date: dt.date
    amount_minor: int
    currency: Currency
    memo: str
    approval: Any


def insert_refund(
    store: Store, refund: Refund, *, day: dt.date, method: str, entry_id: str, created_at: str
) -> None:
    """Write the ``refunds`` row of a refund paid out on ``day`` by entry ``entry_id``."""
    store.execute(
        "INSERT INTO refunds (id, customer_id, source_id, refund_date, currency,"
        " amount_minor, method, entry_id, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            refund.id,
            refund.customer,
            refund.source,
            day.isoformat(),
            refund.amount.currency.code,
            refund.amount.minor_units,
            method,
            entry_id,
            created_at,
        ),
    )


def _dated(
    table: str,
    column: str,
    customer: str | None,
    start: str | None,
    end: str | None,
    limit: int | None,
) -> tuple[str, str, list[str | int]]:
    """The WHERE and LIMIT of a dated list (``start`` and ``end`` both included)."""
    where: list[str] = []
    params: list[str | int] = []
    for clause, value in (
        (f"{table}.customer_id = ?", customer),
        (f"{table}.{column} >= ?", start),
        (f"{table}.{column} <= ?", end),
    ):
        if value is not None:
            where.append(clause)
            params.append(value)
    tail = ""
    if limit is not None:
        tail = " LIMIT ?"
        params.append(int(limit))
    return (" WHERE " + " AND ".join(where) if where else ""), tail, params


def refund_rows(
    store: Store,
    *,
    customer: str | None = None,
    start: str | None = None,
    end: str | None = None,
    limit: int | None = None,
) -> list[RefundRow]:
    """Refunds paid out, in id order, with the data of the approval that held each.

    ``start`` and ``end`` (ISO dates, both included) bound the refund date.
    """
    sql = (
        "SELECT r.id, r.customer_id, r.source_id, r.refund_date, r.currency, r.amount_minor,"
        " e.memo, a.data FROM refunds r JOIN journal_entries e ON e.id = r.entry_id"
        " LEFT JOIN approvals a ON a.result_id = r.id AND a.status = 'approved'"
    )
    where, tail, params = _dated("r", "refund_date", customer, start, end, limit)
    sql += where
    return [
        RefundRow(
            str(rid),
            str(cust),
            str(source),
            as_date(day),
            int(minor),
            Currency.of(str(code)),
            str(memo),
            held,
        )
        for rid, cust, source, day, code, minor, memo, held in store.query(
            sql + " ORDER BY r.id" + tail, params
        )
    ]


# -- write-offs ----------------------------------------------------------------------------


class WriteOffRow(NamedTuple):
    """A stored write-off with its entry's memo and who requested and approved it."""

    id: str
    customer: str
    document_id: str
    date: dt.date
    amount_minor: int
    currency: Currency
    reason: str
    memo: str
    requested_by: str | None
    approved_by: str | None


def insert_write_off(
    store: Store,
    write_off: WriteOff,
    *,
    entry_id: str,
    created_at: str,
    allocation_id: str | None = None,
) -> None:
    """Write the ``write_offs`` row of ``write_off`` posted as entry ``entry_id``;
    ``allocation_id`` is the allocation whose cash caused a tolerance write-off."""
    store.execute(
        "INSERT INTO write_offs (id, document_id, customer_id, write_off_date, currency,"
        " amount_minor, reason, entry_id, created_at, allocation_id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            write_off.id,
            write_off.document_id,
            write_off.customer,
            write_off.date.isoformat(),
            write_off.amount.currency.code,
            write_off.amount.minor_units,
            write_off.reason.value,
            entry_id,
            created_at,
            allocation_id,
        ),
    )


def write_offs_caused_by(store: Store, allocation_id: str) -> list[str]:
    """The ids of the tolerance write-offs the allocation ``allocation_id`` caused."""
    rows = store.query(
        "SELECT id FROM write_offs WHERE allocation_id = ? ORDER BY id", (allocation_id,)
    )
    return [str(row[0]) for row in rows]


def write_off_rows(
    store: Store,
    *,
    customer: str | None = None,
    start: str | None = None,
    end: str | None = None,
    limit: int | None = None,
) -> list[WriteOffRow]:
    """Write-offs posted, in id order, with who requested and approved a held one.

    ``start`` and ``end`` (ISO dates, both included) bound the write-off date.
    """
    sql = (
        "SELECT w.id, w.customer_id, w.document_id, w.write_off_date, w.currency,"
        " w.amount_minor, w.reason, e.memo, a.requested_by, a.decided_by FROM write_offs w"
        " JOIN journal_entries e ON e.id = w.entry_id"
        " LEFT JOIN approvals a ON a.result_id = w.id AND a.status = 'approved'"
    )
    where, tail, params = _dated("w", "write_off_date", customer, start, end, limit)
    sql += where
    return [
        WriteOffRow(
            str(wid),
            str(cust),
            str(doc),
            as_date(day),
            int(minor),
            Currency.of(str(code)),
            str(reason),
            str(memo),
            None if asked is None else str(asked),
            None if approver is None else str(approver),
        )
        for wid, cust, doc, day, code, minor, reason, memo, asked, approver in store.query(
            sql + " ORDER BY w.id" + tail, params
        )
    ]
