"""Disputes, payment extensions and interaction notes (tables of the same names).

A dispute or an extension is stored whole as JSON in ``data``, with the columns that
aging, collections and the KPIs filter and sum on beside it; a note is stored as columns.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

from o2c.book._codec import as_json, as_timestamp
from o2c.book._tables.approvals import dump
from o2c.cases import (
    ApprovalRequest,
    Channel,
    Dispute,
    DisputeStatus,
    ExtensionStatus,
    InteractionNote,
    NoteId,
    NoteTarget,
    PaymentExtension,
)
from o2c.ids import CustomerId, DocumentId
from o2c.io import structure
from o2c.money import Money
from o2c.store import Store

__all__ = [
    "active_extensions",
    "disputed_totals",
    "extension_held_by",
    "get_dispute",
    "get_extension",
    "held_by_disputes",
    "insert_dispute",
    "insert_extension",
    "insert_note",
    "list_disputes",
    "list_extensions",
    "list_notes",
    "notes_matching",
    "notes_started_between",
    "overdue_disputes",
    "update_dispute",
    "update_extension",
]

# -- disputes ---------------------------------------------------------------------------


def _dispute(row: Sequence[Any]) -> Dispute:
    return structure(as_json(row[0]), Dispute)


def get_dispute(store: Store, dispute_id: str) -> Dispute | None:
    """The dispute ``dispute_id``, or None."""
    row = store.query_one("SELECT data FROM disputes WHERE id = ?", (dispute_id,))
    return None if row is None else _dispute(row)


def _resolved(dispute: Dispute) -> str | None:
    return None if dispute.resolved_on is None else dispute.resolved_on.isoformat()


def insert_dispute(store: Store, dispute: Dispute) -> None:
    """Store a new dispute."""
    store.execute(
        "INSERT INTO disputes (id, document_id, customer_id, currency, amount_minor,"
        " reason, status, opened_date, sla_due, resolved_date, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            dispute.id,
            dispute.document_id,
            dispute.customer_id,
            dispute.amount.currency.code,
            dispute.amount.minor_units,
            dispute.reason.value,
            dispute.status.value,
            dispute.opened_on.isoformat(),
            dispute.sla_due.isoformat(),
            _resolved(dispute),
            dump(dispute),
        ),
    )


def update_dispute(store: Store, dispute: Dispute) -> None:
    """Store the new state of a stored dispute (amount, status, resolution, history)."""
    store.execute(
        "UPDATE disputes SET amount_minor = ?, status = ?, resolved_date = ?, data = ?"
        " WHERE id = ?",
        (
            dispute.amount.minor_units,
            dispute.status.value,
            _resolved(dispute),
            dump(dispute),
            dispute.id,
        ),
    )


def held_by_disputes(store: Store, document_id: str, *, besides: str | None = None) -> int:
    """Minor units of ``document_id`` held by active disputes other than ``besides``."""
    rows = store.query(
        "SELECT COALESCE(SUM(amount_minor), 0) FROM disputes WHERE document_id = ?"
        " AND status <> 'resolved' AND id <> ?",
        (document_id, besides or ""),
    )
    return int(rows[0][0])


def list_disputes(
    store: Store,
    *,
    status: DisputeStatus | None = None,
    active: bool | None = None,
    customer: str | None = None,
    document_id: str | None = None,
    breached_on: dt.date | None = None,
) -> list[Dispute]:
    """Disputes in id order (oldest first), filtered as :meth:`o2c.Book.list_disputes`."""
    where: list[str] = []
    params: list[str] = []
    if breached_on is not None:
        where.append("status <> 'resolved' AND sla_due < ?")
        params.append(breached_on.isoformat())
    if status is not None:
        where.append("status = ?")
        params.append(status.value)
    if active is not None:
        where.append("status <> 'resolved'" if active else "status = 'resolved'")
    if customer is not None:
        where.append("customer_id = ?")
        params.append(customer)
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = store.query(f"SELECT data FROM disputes{clause} ORDER BY id", params)
    return [_dispute(r) for r in rows]


def overdue_disputes(store: Store, day: dt.date) -> list[Dispute]:
    """Open or investigating disputes whose SLA due date is before ``day``, in id order."""
    rows = store.query(
        "SELECT data FROM disputes WHERE status IN ('open', 'investigating')"
        " AND sla_due < ? ORDER BY id",
        (day.isoformat(),),
    )
    return [_dispute(r) for r in rows]


def disputed_totals(
    store: Store, day: dt.date, *, customer: str | None = None
) -> dict[DocumentId, Money]:
    """The amount under dispute on ``day`` per document (opened by then, not yet resolved)."""
    text = day.isoformat()
    where = "opened_date <= ? AND (resolved_date IS NULL OR resolved_date > ?)"
    params = [text, text]
    if customer is not None:
        where += " AND customer_id = ?"
        params.append(customer)
    rows = store.query(
        "SELECT document_id, currency, SUM(amount_minor) FROM disputes"
        f" WHERE {where} GROUP BY document_id, currency ORDER BY document_id",
        params,
    )
    return {DocumentId(str(d)): Money.from_minor(int(t), str(c)) for d, c, t in rows}


# -- payment extensions -----------------------------------------------------------------


def _extension(row: Sequence[Any]) -> PaymentExtension:
    return structure(as_json(row[0]), PaymentExtension)


def get_extension(store: Store, extension_id: str) -> PaymentExtension | None:
    """The extension ``extension_id``, or None."""
    row = store.query_one("SELECT data FROM extensions WHERE id = ?", (extension_id,))
    return None if row is None else _extension(row)


def extension_held_by(store: Store, approval_id: str) -> PaymentExtension | None:
    """The extension the approval request ``approval_id`` holds, or None."""
    row = store.query_one("SELECT data FROM extensions WHERE approval_id = ?", (approval_id,))
    return None if row is None else _extension(row)


def insert_extension(store: Store, extension: PaymentExtension) -> None:
    """Store a new extension."""
    store.execute(
        "INSERT INTO extensions (id, document_id, original_due, new_due, status,"
        " approval_id, data) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            extension.id,
            extension.document_id,
            extension.original_due.isoformat(),
            extension.new_due.isoformat(),
            extension.status.value,
            extension.approval_id,
            dump(extension),
        ),
    )


def update_extension(store: Store, extension: PaymentExtension) -> None:
    """Store the new status of a stored extension."""
    store.execute(
        "UPDATE extensions SET status = ?, data = ? WHERE id = ?",
        (extension.status.value, dump(extension), extension.id),
    )


def list_extensions(
    store: Store, *, document_id: str | None = None, status: ExtensionStatus | None = None
) -> list[PaymentExtension]:
    """Extensions in id order (oldest first), optionally of one document or status."""
    where: list[str] = []
    params: list[str] = []
    if document_id is not None:
        where.append("document_id = ?")
        params.append(document_id)
    if status is not None:
        where.append("status = ?")
        params.append(status.value)
    clause = (" WHERE " + " AND ".join(where)) if where else ""
    rows = store.query(f"SELECT data FROM extensions{clause} ORDER BY id", params)
    return [_extension(r) for r in rows]


def active_extensions(
    store: Store, *, customer: str | None = None
) -> list[tuple[PaymentExtension, ApprovalRequest | None]]:
    """Active extensions in id order, each with the approval request that held it."""
    where, params = "e.status = 'active'", []
    if customer is not None:
        where += " AND d.customer_id = ?"
        params.append(customer)
    rows = store.query(
        "SELECT e.data, a.data FROM extensions e JOIN documents d ON d.id = e.document_id"
        f" LEFT JOIN approvals a ON a.id = e.approval_id WHERE {where} ORDER BY e.id",
        params,
    )
    return [
        (
            _extension(row),
            None if row[1] is None else structure(as_json(row[1]), ApprovalRequest),
        )
        for row in rows
    ]


# -- interaction notes ------------------------------------------------------------------


def _utc(value: dt.datetime) -> str:
    """An aware time as UTC ISO text, so text comparison orders it on SQLite too."""
    return value.astimezone(dt.UTC).isoformat()


def insert_note(
    store: Store,
    note: InteractionNote,
    *,
    document_id: str | None,
    dispute_id: str | None,
    created_at: str,
) -> None:
    """Store a new note about a customer (and the invoice or dispute it is about)."""
    seconds = 0 if note.handle_time is None else int(note.handle_time.total_seconds())
    store.execute(
        "INSERT INTO notes (id, customer_id, document_id, dispute_id, channel, summary,"
        " first_contact_resolution, handle_seconds, actor, created_at, started_at,"
        " ended_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            note.id,
            note.customer,
            document_id,
            dispute_id,
            note.channel.value,
            note.summary,
            int(note.first_contact_resolution),
            seconds,
            note.author,
            created_at,
            _utc(note.started),
            None if note.ended is None else _utc(note.ended),
        ),
    )


def notes_matching(store: Store, where: str, params: Sequence[str]) -> list[InteractionNote]:
    """Notes whose row (``n``) matches the condition ``where``, in the order they started.

    ``where`` is a fixed condition of this layer's callers, never user text.
    """
    rows = store.query(
        "SELECT n.id, n.customer_id, n.document_id, n.dispute_id, n.channel, n.summary,"
        " n.actor, n.started_at, n.ended_at, n.first_contact_resolution, n.created_at"
        f" FROM notes n WHERE {where} ORDER BY n.started_at, n.id",
        params,
    )
    notes = []
    for r in rows:
        if r[3] is not None:
            kind, ref = NoteTarget.DISPUTE, str(r[3])
        elif r[2] is not None:
            kind, ref = NoteTarget.INVOICE, str(r[2])
        else:
            kind, ref = NoteTarget.CUSTOMER, str(r[1])
        notes.append(
            InteractionNote(
                NoteId(str(r[0])),
                kind,
                ref,
                Channel(str(r[4])),
                str(r[5]),
                str(r[6]),
                as_timestamp(r[7] if r[7] is not None else r[10]),
                None if r[8] is None else as_timestamp(r[8]),
                bool(r[9]),
                customer_id=CustomerId(str(r[1])),
            )
        )
    return notes


def list_notes(
    store: Store,
    *,
    note_id: str | None = None,
    customer: str | None = None,
    document_id: str | None = None,
    dispute_id: str | None = None,
) -> list[InteractionNote]:
    """Notes in the order they started, of one id, customer, document or dispute."""
    where, params = ["1 = 1"], []
    if note_id is not None:
        where.append("n.id = ?")
        params.append(note_id)
    if customer is not None:
        where.append("n.customer_id = ?")
        params.append(customer)
    if document_id is not None:
        where.append("n.document_id = ?")
        params.append(document_id)
    if dispute_id is not None:
        where.append("n.dispute_id = ?")
        params.append(dispute_id)
    return notes_matching(store, " AND ".join(where), params)


def notes_started_between(
    store: Store, start: dt.datetime, end: dt.datetime
) -> list[InteractionNote]:
    """Notes that started at or after ``start`` and before ``end`` (aware times)."""
    return notes_matching(store, "n.started_at >= ? AND n.started_at < ?", [_utc(start), _utc(end)])
