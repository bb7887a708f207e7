"""Bill runs, their run keys and the exceptions queue: ``bill_runs``, ``bill_run_items``
and ``exceptions``.

A run key (``"K-1:2026-10"``, ``"order:SO-7"``) settles once: its ``bill_run_items`` row
says which invoice billed it, so a re-run (or a resumed one) bills nothing twice. An
exceptions row keeps the run key at the head of its message (``"K-1:2026-10: ..."``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final

from o2c.book._codec import as_date, as_timestamp
from o2c.calendar import Period
from o2c.store import Store

__all__ = [
    "CHUNK",
    "ExceptionRow",
    "RunItemRow",
    "billed_keys",
    "exception_rows",
    "finish_run",
    "insert_exceptions",
    "insert_run_items",
    "invoiced_periods",
    "start_run",
]

#: Ids per ``IN (...)`` list.
CHUNK: Final = 500

#: A ``bill_run_items`` row: run key, contract id, period start (ISO) and document id.
RunItemRow = tuple[str, str | None, str, str]

#: An exceptions row as the queue keeps it: run key, contract id, customer id, problem
#: code and message.
ExceptionRow = tuple[str, str | None, str, str, str]


def _marks(count: int) -> str:
    return ", ".join("?" for _ in range(count))


def start_run(
    store: Store, run_id: str, period: Period, cut_off: dt.date, actor: str, now: str
) -> None:
    """Record bill run ``run_id`` as running."""
    store.execute(
        "INSERT INTO bill_runs (id, period_start, period_end, cut_off, status, actor,"
        " started_at, invoices, exceptions, skipped) VALUES (?, ?, ?, ?, 'running', ?,"
        " ?, 0, 0, 0)",
        (
            run_id,
            period.start.isoformat(),
            period.last_day.isoformat(),
            cut_off.isoformat(),
            actor,
            now,
        ),
    )


def finish_run(
    store: Store, run_id: str, *, invoices: int, exceptions: int, skipped: int, now: str
) -> None:
    """Record bill run ``run_id`` as done, with its counts."""
    store.execute(
        "UPDATE bill_runs SET status = 'done', finished_at = ?, invoices = ?,"
        " exceptions = ?, skipped = ? WHERE id = ?",
        (now, invoices, exceptions, skipped, run_id),
    )


def billed_keys(store: Store, keys: Sequence[str]) -> set[str]:
    """The run keys among ``keys`` billed before (looked up by the run key index)."""
    found: set[str] = set()
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        found.update(
            str(r[0])
            for r in store.query(
                f"SELECT run_key FROM bill_run_items WHERE run_key IN ({_marks(len(chunk))})",
                chunk,
            )
        )
    return found


def insert_run_items(store: Store, run_id: str, items: Iterable[RunItemRow]) -> None:
    """Record run keys as invoiced by run ``run_id``."""
    store.executemany(
        "INSERT INTO bill_run_items (run_key, bill_run_id, contract_id, period_start,"
        " status, document_id) VALUES (?, ?, ?, ?, 'invoiced', ?)",
        [(key, run_id, contract, start, doc) for key, contract, start, doc in items],
    )


def invoiced_periods(
    store: Store, contract_ids: Sequence[str]
) -> dict[str, list[tuple[dt.date, dt.datetime, dt.date]]]:
    """Per contract, the invoiced contract periods: (period start, when the run that
    billed it started, that run's cut-off)."""
    runs: dict[str, list[tuple[dt.date, dt.datetime, dt.date]]] = {}
    for start in range(0, len(contract_ids), CHUNK):
        chunk = list(contract_ids[start : start + CHUNK])
        for cid, period_start, started, cut_off in store.query(
            "SELECT i.contract_id, i.period_start, b.started_at, b.cut_off"
            " FROM bill_run_items i JOIN bill_runs b ON b.id = i.bill_run_id"
            f" WHERE i.status = 'invoiced' AND i.contract_id IN ({_marks(len(chunk))})",
            chunk,
        ):
            runs.setdefault(str(cid), []).append(
                (as_date(period_start), as_timestamp(started), as_date(cut_off))
            )
    return runs


def insert_exceptions(store: Store, run_id: str, rows: Iterable[ExceptionRow], *, now: str) -> None:
    """Put candidates of run ``run_id`` in the exceptions queue, open."""
    store.executemany(
        "INSERT INTO exceptions (bill_run_id, contract_id, customer_id, code,"
        " message, status, created_at) VALUES (?, ?, ?, ?, ?, 'open', ?)",
        [
            (run_id, contract, customer, code, f"{key}: {message}", now)
            for key, contract, customer, code, message in rows
        ],
    )


def exception_rows(
    store: Store, *, status: str | None = None, bill_run: str | None = None
) -> list[ExceptionRow]:
    """The exceptions queue, oldest first, optionally of one status or bill run."""
    where = []
    params: list[str] = []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if bill_run is not None:
        where.append("bill_run_id = ?")
        params.append(bill_run)
    sql = "SELECT contract_id, customer_id, code, message FROM exceptions"
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    rows: list[ExceptionRow] = []
    for contract_id, customer_id, code, message in store.query(sql + " ORDER BY id", params):
        key, _, text = str(message).partition(": ")
        rows.append(
            (
                key,
                None if contract_id is None else str(contract_id),
                str(customer_id),
                str(code),
                text,
            )
        )
    return rows
