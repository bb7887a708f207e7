"""Bill runs, their run keys and the exceptions queue: ``bill_runs``, ``bill_run_items``
and ``exceptions``.

A run key (``"K-1:2026-10"``, ``"order:SO-7"``) settles once: its ``bill_run_items`` row
says which invoice billed it, so a re-run (or a resumed one) bills nothing twice. An
exceptions row is one (run key, reason): open until a run bills the run key or meets
another reason for it (a unique index keeps one open row per pair); it keeps the run key
in its ``run_key`` column and, as rows always did, at the head of its message
(``"K-1:2026-10: ..."``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Final, NamedTuple

from o2c.book._codec import as_date, as_timestamp
from o2c.calendar import Period
from o2c.store import Store

__all__ = [
    "CHUNK",
    "ExceptionRow",
    "QueueRow",
    "RunItemRow",
    "billed_keys",
    "exception_rows",
    "finish_run",
    "insert_exceptions",
    "insert_run_items",
    "invoiced_periods",
    "open_exceptions",
    "resolve_billed_exceptions",
    "resolve_exceptions",
    "seen_again",
    "start_run",
]

#: Ids per ``IN (...)`` list.
CHUNK: Final = 500

#: A ``bill_run_items`` row: run key, contract id, period start (ISO) and document id.
RunItemRow = tuple[str, str | None, str, str]

#: An exceptions row as a run puts it in the queue: run key, contract id, customer id,
#: problem code and message.
ExceptionRow = tuple[str, str | None, str, str, str]


class QueueRow(NamedTuple):
    """An exceptions row read back: what a run put in the queue and its life there."""

    run_key: str
    contract_id: str | None
    customer_id: str
    code: str
    message: str
    status: str
    bill_run_id: str | None
    raised_at: dt.datetime
    last_run_id: str | None
    last_seen_at: dt.datetime | None
    resolved_at: dt.datetime | None
    resolved_by_run: str | None


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


def heartbeat(store: Store, run_id: str, now: str) -> None:
    """Record that run ``run_id`` committed a batch at ``now`` (it is alive)."""
    store.execute("UPDATE bill_runs SET heartbeat_at = ? WHERE id = ?", (now, run_id))


def running_runs(store: Store) -> list[tuple[str, str, dt.datetime, dt.datetime | None]]:
    """The runs recorded as running: (id, actor, started at, last heartbeat or None)."""
    return [
        (str(r[0]), str(r[1]), as_timestamp(r[2]), None if r[3] is None else as_timestamp(r[3]))
        for r in store.query(
            "SELECT id, actor, started_at, heartbeat_at FROM bill_runs"
            " WHERE status = 'running' ORDER BY id"
        )
    ]


def fail_run(store: Store, run_id: str, *, now: str, note: str) -> None:
    """Record run ``run_id`` as failed (its process died), with why; its counts are what
    it committed."""
    store.execute(
        "UPDATE bill_runs SET status = 'failed', finished_at = ?, note = ?,"
        " invoices = (SELECT COUNT(*) FROM bill_run_items WHERE bill_run_id = ?)"
        " WHERE id = ? AND status = 'running'",
        (now, note, run_id, run_id),
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
    billed it started, that run's cut-off); start invoices (``...:start`` keys) do not
    count, they bill no usage."""
    runs: dict[str, list[tuple[dt.date, dt.datetime, dt.date]]] = {}
    for start in range(0, len(contract_ids), CHUNK):
        chunk = list(contract_ids[start : start + CHUNK])
        for cid, period_start, started, cut_off in store.query(
            "SELECT i.contract_id, i.period_start, b.started_at, b.cut_off"
            " FROM bill_run_items i JOIN bill_runs b ON b.id = i.bill_run_id"
            f" WHERE i.status = 'invoiced' AND i.contract_id IN ({_marks(len(chunk))})"
            # A start invoice (in advance, before the period ends) bills no usage.
            " AND i.run_key NOT LIKE '%:start'",
            chunk,
        ):
            runs.setdefault(str(cid), []).append(
                (as_date(period_start), as_timestamp(started), as_date(cut_off))
            )
    return runs


def open_exceptions(store: Store, keys: Sequence[str]) -> dict[tuple[str, str], int]:
    """The open queue rows of run keys ``keys``: ``{(run key, code): row id}``."""
    found: dict[tuple[str, str], int] = {}
    for start in range(0, len(keys), CHUNK):
        chunk = list(keys[start : start + CHUNK])
        for row_id, key, code in store.query(
            "SELECT id, run_key, code FROM exceptions WHERE status = 'open'"
            f" AND run_key IN ({_marks(len(chunk))})",
            chunk,
        ):
            found[(str(key), str(code))] = int(row_id)
    return found


def insert_exceptions(store: Store, run_id: str, rows: Iterable[ExceptionRow], *, now: str) -> None:
    """Put candidates of run ``run_id`` in the exceptions queue, open, raised and last
    seen now by that run."""
    store.executemany(
        "INSERT INTO exceptions (bill_run_id, contract_id, customer_id, code,"
        " message, status, created_at, run_key, last_run_id, last_seen_at)"
        " VALUES (?, ?, ?, ?, ?, 'open', ?, ?, ?, ?)",
        [
            (run_id, contract, customer, code, f"{key}: {message}", now, key, run_id, now)
            for key, contract, customer, code, message in rows
        ],
    )


def seen_again(store: Store, run_id: str, rows: Iterable[tuple[int, str]], *, now: str) -> None:
    """Record that run ``run_id`` met open queue rows again: ``(row id, message with its
    run key)`` per row; the message is the latest run's."""
    store.executemany(
        "UPDATE exceptions SET last_run_id = ?, last_seen_at = ?, message = ? WHERE id = ?",
        [(run_id, now, message, row_id) for row_id, message in rows],
    )


def resolve_exceptions(store: Store, run_id: str, ids: Sequence[int], *, now: str) -> None:
    """Mark open queue rows ``ids`` resolved by run ``run_id``."""
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        store.execute(
            "UPDATE exceptions SET status = 'resolved', resolved_at = ?, resolved_by_run = ?"
            f" WHERE status = 'open' AND id IN ({_marks(len(chunk))})",
            [now, run_id, *chunk],
        )


def resolve_billed_exceptions(store: Store, *, now: str) -> None:
    """Mark resolved every open queue row whose run key a run has billed since, by that
    run (few rows are open; each looks its run key up in ``bill_run_items``)."""
    store.execute(
        "UPDATE exceptions SET status = 'resolved', resolved_at = ?,"
        " resolved_by_run = (SELECT i.bill_run_id FROM bill_run_items i"
        " WHERE i.run_key = exceptions.run_key)"
        " WHERE status = 'open' AND EXISTS (SELECT 1 FROM bill_run_items i"
        " WHERE i.run_key = exceptions.run_key)",
        (now,),
    )


def exception_rows(
    store: Store, *, status: str | None = None, bill_run: str | None = None
) -> list[QueueRow]:
    """The exceptions queue, oldest first, optionally of one status or bill run (the run
    that raised a row or saw it last)."""
    where = []
    params: list[str] = []
    if status is not None:
        where.append("status = ?")
        params.append(status)
    if bill_run is not None:
        where.append("(bill_run_id = ? OR last_run_id = ?)")
        params.extend((bill_run, bill_run))
    sql = (
        "SELECT contract_id, customer_id, code, message, run_key, status, bill_run_id,"
        " created_at, last_run_id, last_seen_at, resolved_at, resolved_by_run FROM exceptions"
    )
    sql += (" WHERE " + " AND ".join(where)) if where else ""
    rows: list[QueueRow] = []
    for (
        contract_id,
        customer_id,
        code,
        message,
        run_key,
        row_status,
        raised_by,
        raised_at,
        last_run,
        last_seen,
        resolved_at,
        resolved_by,
    ) in store.query(sql + " ORDER BY id", params):
        key, _, text = str(message).partition(": ")
        rows.append(
            QueueRow(
                key if run_key is None else str(run_key),
                None if contract_id is None else str(contract_id),
                str(customer_id),
                str(code),
                text,
                str(row_status),
                _text(raised_by),
                as_timestamp(raised_at),
                _text(last_run),
                None if last_seen is None else as_timestamp(last_seen),
                None if resolved_at is None else as_timestamp(resolved_at),
                _text(resolved_by),
            )
        )
    return rows


def _text(value: object) -> str | None:
    return None if value is None else str(value)
