"""Usage record and time entry rows, and the invoice (``document_id``) that billed each."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from o2c.book._codec import as_date, as_decimal, as_timestamp
from o2c.pricing import TimeEntry, UsageRecord
from o2c.store import Store

__all__ = [
    "TIME_ENTRY_COLUMNS",
    "UsageRow",
    "VoidState",
    "VoidedRow",
    "approved_unbilled_time_ids",
    "billed_time",
    "billed_usage",
    "changed_time",
    "changed_usage",
    "charged_events",
    "insert_time",
    "insert_usage",
    "mark_time_billed",
    "mark_usage_billed",
    "mark_void",
    "time_entry",
    "unbilled_time",
    "unbilled_usage",
    "unbilled_usage_of_items",
    "void_states",
    "voided",
]


def _count(store: Store, table: str) -> int:
    row = store.query_one(f"SELECT COUNT(*) FROM {table}")
    return int(row[0]) if row else 0


def insert_usage(
    store: Store, records: Sequence[UsageRecord], *, contract: str | None, now: str
) -> int:
    """Write usage records, skipping ids stored already; return how many were written.

    A record without ``received_at`` is taken as received ``now`` (the import time).
    """
    before = _count(store, "usage_records")
    store.executemany(
        "INSERT INTO usage_records (id, customer_id, contract_id, item, quantity,"
        " occurred_at, received_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        [
            (
                r.id,
                r.customer,
                contract,
                r.item,
                str(r.quantity),
                r.timestamp.astimezone(dt.UTC).isoformat(),
                r.received_at.astimezone(dt.UTC).isoformat() if r.received_at else now,
            )
            for r in records
        ],
    )
    return _count(store, "usage_records") - before


def _time_row(entry: TimeEntry, customer: str, contract: str | None) -> tuple[Any, ...]:
    # An entry is stored approved only when it is also billable; "not billable" in the
    # description is how the row keeps billable=False.
    return (
        entry.id,
        customer,
        contract,
        entry.person,
        entry.role,
        entry.date.isoformat(),
        str(entry.hours),
        1 if entry.approved and entry.billable else 0,
        "" if entry.billable else "not billable",
    )


#: Ids looked up per query when checking an import against stored rows.
_CHUNK = 500


def changed_usage(
    store: Store, records: Sequence[UsageRecord], *, contract: str | None
) -> list[str]:
    """The ids among ``records`` stored already with other content (customer, contract,
    item, quantity or time): a re-sent record that is not the same record."""
    given = {r.id: r for r in records}
    changed: list[str] = []
    ids = list(given)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for rid, customer, stored_contract, item, quantity, occurred in store.query(
            "SELECT id, customer_id, contract_id, item, quantity, occurred_at"
            f" FROM usage_records WHERE id IN ({marks})",
            chunk,
        ):
            record = given[str(rid)]
            if (
                str(customer) != record.customer
                or stored_contract != contract
                or str(item) != record.item
                or as_decimal(quantity) != record.quantity
                or as_timestamp(occurred) != record.timestamp.astimezone(dt.UTC)
            ):
                changed.append(str(rid))
    return sorted(changed)


def changed_time(
    store: Store, entries: Sequence[TimeEntry], *, customer: str, contract: str | None
) -> list[str]:
    """The ids among ``entries`` stored already with other content (customer, contract,
    person, role, date, hours, approval)."""
    given = {e.id: e for e in entries}
    changed: list[str] = []
    ids = list(given)
    for start in range(0, len(ids), _CHUNK):
        chunk = ids[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for row in store.query(
            "SELECT id, customer_id, contract_id, person, role, work_date, hours, approved,"
            f" description FROM time_entries WHERE id IN ({marks})",
            chunk,
        ):
            wanted = _time_row(given[str(row[0])], customer, contract)
            if (
                tuple(row[1:5]) != wanted[1:5]
                or as_date(row[5]) != given[str(row[0])].date
                or as_decimal(row[6]) != given[str(row[0])].hours
                or tuple(row[7:9]) != wanted[7:9]
            ):
                changed.append(str(row[0]))
    return sorted(changed)


def insert_time(
    store: Store, entries: Sequence[TimeEntry], *, customer: str, contract: str | None
) -> int:
    """Write time entries of ``customer``, skipping ids stored already; return how many."""
    before = _count(store, "time_entries")
    store.executemany(
        "INSERT INTO time_entries (id, customer_id, contract_id, person, role,"
        " work_date, hours, approved, description) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
        " ON CONFLICT (id) DO NOTHING",
        [_time_row(e, customer, contract) for e in entries],
    )
    return _count(store, "time_entries") - before


def billed_usage(store: Store, document_id: str) -> list[tuple[str, Decimal]]:
    """The (item, quantity) of each usage record invoice ``document_id`` billed, in the
    order they occurred (then by id), as the bill run took them as transactions."""
    return [
        (str(item), as_decimal(quantity))
        for item, quantity in store.query(
            "SELECT item, quantity FROM usage_records WHERE document_id = ?"
            " ORDER BY occurred_at, id",
            (document_id,),
        )
    ]


def billed_time(store: Store, document_id: str) -> list[TimeEntry]:
    """The time entries invoice ``document_id`` billed, by work date and id."""
    return [
        time_entry(r)
        for r in store.query(
            f"SELECT {TIME_ENTRY_COLUMNS} FROM time_entries WHERE document_id = ?"
            " ORDER BY work_date, id",
            (document_id,),
        )
    ]


# -- what the bill run reads and marks -------------------------------------------------

#: Ids per ``IN (...)`` list.
_CHUNK = 500

#: The columns :func:`time_entry` reads, in its order.
TIME_ENTRY_COLUMNS = "id, person, role, work_date, hours, approved, description"

#: An unbilled usage record as the bill run reads it: id, customer id, contract id (or
#: None), item, quantity, occurred at and received at (as stored).
UsageRow = tuple[Any, Any, Any, Any, Any, Any, Any]


def time_entry(row: Sequence[Any]) -> TimeEntry:
    """A stored time entry (a row of :data:`TIME_ENTRY_COLUMNS`)."""
    return TimeEntry(
        id=str(row[0]),
        person=str(row[1]),
        role=str(row[2]),
        date=as_date(row[3]),
        hours=as_decimal(row[4]),
        billable=str(row[6]) != "not billable",
        approved=bool(row[5]),
    )


def unbilled_time(store: Store, customer: str, contract: str) -> list[TimeEntry]:
    """The time entries of ``customer`` not billed yet, for ``contract`` or for no
    contract, by work date and id."""
    return [
        time_entry(r)
        for r in store.query(
            f"SELECT {TIME_ENTRY_COLUMNS} FROM time_entries"
            " WHERE document_id IS NULL AND voided_at IS NULL AND customer_id = ?"
            " AND (contract_id IS NULL OR contract_id = ?) ORDER BY work_date, id",
            (customer, contract),
        )
    ]


def approved_unbilled_time_ids(
    store: Store, customer: str, contract: str, start: dt.date, end: dt.date
) -> list[str]:
    """Ids of the approved, unbilled time entries of ``customer`` for ``contract`` (or
    for no contract) worked in ``[start, end)``."""
    return [
        str(r[0])
        for r in store.query(
            "SELECT id FROM time_entries WHERE document_id IS NULL AND voided_at IS NULL"
            " AND approved = 1"
            " AND customer_id = ? AND (contract_id IS NULL OR contract_id = ?)"
            " AND work_date >= ? AND work_date < ?",
            (customer, contract, start.isoformat(), end.isoformat()),
        )
    ]


def unbilled_usage(store: Store, customers: Sequence[str]) -> list[UsageRow]:
    """The usage records of these customers not billed yet (see :data:`UsageRow`)."""
    rows: list[UsageRow] = []
    for start in range(0, len(customers), _CHUNK):
        chunk = list(customers[start : start + _CHUNK])
        rows.extend(
            store.query(
                "SELECT id, customer_id, contract_id, item, quantity, occurred_at,"
                " received_at FROM usage_records WHERE document_id IS NULL AND"
                f" voided_at IS NULL AND customer_id IN ({', '.join('?' for _ in chunk)})",
                chunk,
            )
        )
    return rows


def unbilled_usage_customers(store: Store) -> list[str]:
    """The customers with usage records not billed yet, by id."""
    return [
        str(r[0])
        for r in store.query(
            "SELECT DISTINCT customer_id FROM usage_records WHERE document_id IS NULL"
            " AND voided_at IS NULL ORDER BY customer_id"
        )
    ]


def all_unbilled_time(store: Store) -> list[tuple[TimeEntry, str, str | None]]:
    """Every time entry not billed yet, with its customer and contract (or ``None``),
    by work date and id."""
    return [
        (time_entry(r), str(r[7]), None if r[8] is None else str(r[8]))
        for r in store.query(
            f"SELECT {TIME_ENTRY_COLUMNS}, customer_id, contract_id FROM time_entries"
            " WHERE document_id IS NULL AND voided_at IS NULL ORDER BY work_date, id"
        )
    ]


def mark_time_billed(store: Store, rows: Sequence[tuple[str, str]]) -> None:
    """Mark time entries as billed: ``(document id, entry id)`` pairs (an entry billed
    already keeps its invoice)."""
    store.executemany(
        "UPDATE time_entries SET document_id = ? WHERE id = ? AND document_id IS NULL"
        " AND voided_at IS NULL",
        rows,
    )


def mark_usage_billed(store: Store, rows: Sequence[tuple[str, str]]) -> None:
    """Mark usage records as billed: ``(document id, record id)`` pairs (a record billed
    already keeps its invoice)."""
    store.executemany(
        "UPDATE usage_records SET document_id = ? WHERE id = ? AND document_id IS NULL"
        " AND voided_at IS NULL",
        rows,
    )


def charged_events(
    store: Store, contract_id: str, period_start: str, items: Sequence[str]
) -> list[tuple[Any, ...]]:
    """The usage records of ``items`` charged per event on invoices of contract
    ``contract_id`` for the period starting ``period_start`` (ISO date): id, customer
    id, item, quantity, occurred at (as stored) and the invoice's id."""
    if not items:
        return []
    return list(
        store.query(
            "SELECT u.id, u.customer_id, u.item, u.quantity, u.occurred_at, u.document_id"
            " FROM usage_records u JOIN documents d ON d.id = u.document_id"
            " WHERE d.contract_id = ? AND d.period_start = ? AND d.run_key LIKE ?"
            f" AND u.item IN ({', '.join('?' for _ in items)})",
            (contract_id, period_start, "%:events:%", *items),
        )
    )


def unbilled_usage_of_items(
    store: Store, items: Sequence[str], customer: str | None = None
) -> list[UsageRow]:
    """The usage records of ``items`` not billed yet (of ``customer`` only, when given),
    as :func:`unbilled_usage` reads them."""
    rows: list[UsageRow] = []
    for start in range(0, len(items), _CHUNK):
        chunk = list(items[start : start + _CHUNK])
        sql = (
            "SELECT id, customer_id, contract_id, item, quantity, occurred_at, received_at"
            " FROM usage_records WHERE document_id IS NULL AND voided_at IS NULL AND"
            f" item IN ({', '.join('?' for _ in chunk)})"
        )
        params: list[str] = chunk
        if customer is not None:
            sql += " AND customer_id = ?"
            params = [*chunk, customer]
        rows.extend(store.query(sql, params))
    return rows


# -- taking a wrong record out before it is billed (void) -------------------------------

#: The tables a void marks, by what they hold.
_VOID_TABLES = {"usage": "usage_records", "time": "time_entries"}

#: A record a void looks at: id, the invoice id that billed it (or None), that invoice's
#: number (or None), voided at (or None), voided by and the void reason.
VoidState = tuple[str, str | None, str | None, Any, str | None, str | None]

#: A voided record as the list shows it: id, customer id, contract id (or None), item (a
#: time entry's role), quantity (hours), occurred at (a time entry's work date), voided
#: at, voided by, reason.
VoidedRow = tuple[Any, Any, Any, Any, Any, Any, Any, Any, Any]


def _void_table(kind: str) -> str:
    # The table name comes from this fixed map, never from input.
    return _VOID_TABLES[kind]


def void_states(store: Store, kind: str, ids: Sequence[str]) -> dict[str, VoidState]:
    """What a void of these ``kind`` (``"usage"`` or ``"time"``) records finds, by id
    (an id the book does not hold is missing from the result)."""
    table = _void_table(kind)
    found: dict[str, VoidState] = {}
    unique = list(dict.fromkeys(ids))
    for start in range(0, len(unique), _CHUNK):
        chunk = unique[start : start + _CHUNK]
        marks = ", ".join("?" for _ in chunk)
        for rid, doc, number, at, by, reason in store.query(
            "SELECT r.id, r.document_id, d.number, r.voided_at, r.voided_by, r.void_reason"
            f" FROM {table} r LEFT JOIN documents d ON d.id = r.document_id"
            f" WHERE r.id IN ({marks})",
            chunk,
        ):
            found[str(rid)] = (
                str(rid),
                None if doc is None else str(doc),
                None if number is None else str(number),
                at,
                None if by is None else str(by),
                None if reason is None else str(reason),
            )
    return found


def mark_void(
    store: Store, kind: str, ids: Sequence[str], *, actor: str, reason: str, now: str
) -> int:
    """Mark unbilled, not yet voided ``kind`` records void; return how many were marked
    (a record billed or voided meanwhile is left as it is)."""
    table = _void_table(kind)
    before = _voided_count(store, table)
    store.executemany(
        f"UPDATE {table} SET voided_at = ?, voided_by = ?, void_reason = ?"
        " WHERE id = ? AND document_id IS NULL AND voided_at IS NULL",
        [(now, actor, reason, rid) for rid in ids],
    )
    return _voided_count(store, table) - before


def _voided_count(store: Store, table: str) -> int:
    row = store.query_one(f"SELECT COUNT(*) FROM {table} WHERE voided_at IS NOT NULL")
    return int(row[0]) if row else 0


def voided(store: Store, kind: str, customer: str | None = None) -> list[VoidedRow]:
    """The voided ``kind`` records (of ``customer`` only, when given), by voided at and
    id (see :data:`VoidedRow`)."""
    if kind == "usage":
        columns = "id, customer_id, contract_id, item, quantity, occurred_at"
    else:
        columns = "id, customer_id, contract_id, role, hours, work_date"
    sql = (
        f"SELECT {columns}, voided_at, voided_by, void_reason FROM {_void_table(kind)}"
        " WHERE voided_at IS NOT NULL"
    )
    params: list[str] = []
    if customer is not None:
        sql += " AND customer_id = ?"
        params.append(customer)
    return list(store.query(sql + " ORDER BY voided_at, id", params))
