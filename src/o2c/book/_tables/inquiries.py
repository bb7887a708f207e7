"""The service desk's tables: inquiries, their events, links, CSAT scores and audits.

An inquiry is stored whole as JSON in ``data``, with the columns reports filter on beside
it. Each change appends an event with the next ``seq`` of the inquiry: two agents changing
one inquiry at once collide on the event's primary key instead of losing a change.
A contact event names the interaction note (``notes``) that records it.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Sequence
from typing import Any

from o2c.book._codec import as_json, as_timestamp
from o2c.book._tables.approvals import dump
from o2c.cases import Channel, NoteId
from o2c.io import structure
from o2c.servicedesk import (
    Contact,
    CsatRating,
    Inquiry,
    InquiryId,
    InquiryLink,
    InquiryStatus,
    LinkKind,
    QualityAudit,
)
from o2c.store import Store

__all__ = [
    "append_event",
    "contacts_of",
    "count_invoices_issued",
    "get_inquiry",
    "get_rating",
    "inquiries_linked_to",
    "insert_audit",
    "insert_inquiry",
    "insert_link",
    "insert_rating",
    "links_of",
    "list_audits",
    "list_events",
    "list_inquiries",
    "ratings_of",
    "update_inquiry",
]


def _utc(value: dt.datetime | None) -> str | None:
    return None if value is None else value.astimezone(dt.UTC).isoformat()


def _columns(inq: Inquiry) -> tuple[Any, ...]:
    return (
        inq.customer_id,
        inq.channel.value,
        inq.category.value,
        inq.priority.value,
        inq.status.value,
        inq.team,
        inq.assignee,
        _utc(inq.opened_at),
        _utc(inq.first_response_at),
        _utc(inq.resolved_at),
        _utc(inq.closed_at),
        _utc(inq.first_response_due),
        _utc(inq.resolution_due),
        None if inq.root_cause is None else inq.root_cause.value,
        dump(inq),
    )


def insert_inquiry(store: Store, inquiry: Inquiry) -> None:
    """Store a new inquiry."""
    store.execute(
        "INSERT INTO inquiries (customer_id, channel, category, priority, status, team,"
        " assignee, opened_at, first_response_at, resolved_at, closed_at,"
        " first_response_due, resolution_due, root_cause, data, id)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (*_columns(inquiry), inquiry.id),
    )


def update_inquiry(store: Store, inquiry: Inquiry) -> None:
    """Store the new state of an inquiry."""
    store.execute(
        "UPDATE inquiries SET customer_id = ?, channel = ?, category = ?, priority = ?,"
        " status = ?, team = ?, assignee = ?, opened_at = ?, first_response_at = ?,"
        " resolved_at = ?, closed_at = ?, first_response_due = ?, resolution_due = ?,"
        " root_cause = ?, data = ? WHERE id = ?",
        (*_columns(inquiry), inquiry.id),
    )


def _inquiry(row: Sequence[Any]) -> Inquiry:
    return structure(as_json(row[0]), Inquiry)


def get_inquiry(store: Store, inquiry_id: str) -> Inquiry | None:
    """The inquiry ``inquiry_id``, or None."""
    row = store.query_one("SELECT data FROM inquiries WHERE id = ?", (inquiry_id,))
    return None if row is None else _inquiry(row)


def list_inquiries(
    store: Store,
    *,
    customer: str | None = None,
    statuses: Sequence[InquiryStatus] = (),
    assignee: str | None = None,
    opened_before: dt.datetime | None = None,
    opened_from: dt.datetime | None = None,
    active_or_opened_from: bool = False,
) -> list[Inquiry]:
    """Inquiries in the order they were opened, filtered.

    ``active_or_opened_from``: keep those opened from ``opened_from`` and, whenever they
    were opened, those still active (a report's cohort plus its backlog).
    """
    where, params = ["1 = 1"], []
    if customer is not None:
        where.append("customer_id = ?")
        params.append(customer)
    if statuses:
        where.append(f"status IN ({', '.join('?' for _ in statuses)})")
        params.extend(s.value for s in statuses)
    if assignee is not None:
        where.append("assignee = ?")
        params.append(assignee)
    if opened_before is not None:
        where.append("opened_at < ?")
        params.append(str(_utc(opened_before)))
    if opened_from is not None:
        if active_or_opened_from:
            active = ", ".join(f"'{value}'" for value in sorted(_ACTIVE_VALUES))
            where.append(f"(opened_at >= ? OR status IN ({active}))")
        else:
            where.append("opened_at >= ?")
        params.append(str(_utc(opened_from)))
    rows = store.query(
        f"SELECT data FROM inquiries WHERE {' AND '.join(where)} ORDER BY opened_at, id", params
    )
    return [_inquiry(r) for r in rows]


_ACTIVE_VALUES = frozenset(
    s.value for s in InquiryStatus if s not in (InquiryStatus.RESOLVED, InquiryStatus.CLOSED)
)

# -- events and contacts ----------------------------------------------------------------


def append_event(
    store: Store,
    inquiry: Inquiry,
    kind: str,
    *,
    at: dt.datetime,
    actor: str,
    note_id: str | None = None,
    detail: dict[str, Any] | None = None,
) -> int:
    """Append the next event of ``inquiry`` (its status after the event); return its seq."""
    row = store.query_one(
        "SELECT COALESCE(MAX(seq), 0) FROM inquiry_events WHERE inquiry_id = ?", (inquiry.id,)
    )
    seq = int(row[0] if row is not None else 0) + 1
    store.execute(
        "INSERT INTO inquiry_events (inquiry_id, seq, kind, at, actor, status, note_id, data)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        (
            inquiry.id,
            seq,
            kind,
            _utc(at),
            actor,
            inquiry.status.value,
            note_id,
            json.dumps(detail or {}, sort_keys=True, separators=(",", ":")),
        ),
    )
    return seq


def list_events(store: Store, inquiry_id: str) -> list[dict[str, Any]]:
    """The events of an inquiry, in order: seq, kind, at, actor, status, note and detail."""
    rows = store.query(
        "SELECT seq, kind, at, actor, status, note_id, data FROM inquiry_events"
        " WHERE inquiry_id = ? ORDER BY seq",
        (inquiry_id,),
    )
    return [
        {
            "seq": int(r[0]),
            "kind": str(r[1]),
            "at": as_timestamp(r[2]),
            "actor": str(r[3]),
            "status": str(r[4]),
            "note": None if r[5] is None else str(r[5]),
            "detail": as_json(r[6]),
        }
        for r in rows
    ]


def contacts_of(store: Store, inquiry_ids: Sequence[str] | None = None) -> list[Contact]:
    """The agents' contacts (with their notes) of some inquiries, or of all, in order."""
    sql = (
        "SELECT e.inquiry_id, n.id, n.actor, n.channel, n.started_at, n.ended_at, n.summary,"
        " n.created_at FROM inquiry_events e JOIN notes n ON n.id = e.note_id"
    )
    params: list[str] = []
    if inquiry_ids is not None:
        if not inquiry_ids:
            return []
        sql += f" WHERE e.inquiry_id IN ({', '.join('?' for _ in inquiry_ids)})"
        params.extend(inquiry_ids)
    rows = store.query(sql + " ORDER BY n.started_at, n.id", params)
    return [
        Contact(
            InquiryId(str(r[0])),
            NoteId(str(r[1])),
            str(r[2]),
            Channel(str(r[3])),
            as_timestamp(r[4] if r[4] is not None else r[7]),
            None if r[5] is None else as_timestamp(r[5]),
            str(r[6]),
        )
        for r in rows
    ]


# -- links ------------------------------------------------------------------------------


def insert_link(store: Store, link: InquiryLink) -> None:
    """Link an inquiry to what it is about or spawned (once)."""
    row = store.query_one(
        "SELECT COALESCE(MAX(seq), 0) FROM inquiry_links WHERE inquiry_id = ?", (link.inquiry_id,)
    )
    seq = int(row[0] if row is not None else 0) + 1
    store.execute(
        "INSERT INTO inquiry_links (inquiry_id, seq, kind, target_id, spawned, linked_at)"
        " VALUES (?, ?, ?, ?, ?, ?)",
        (
            link.inquiry_id,
            seq,
            link.kind.value,
            link.target_id,
            int(link.spawned),
            _utc(link.linked_at),
        ),
    )


def _link(row: Sequence[Any]) -> InquiryLink:
    return InquiryLink(
        InquiryId(str(row[0])),
        LinkKind(str(row[1])),
        str(row[2]),
        bool(row[3]),
        as_timestamp(row[4]),
    )


def links_of(store: Store, inquiry_id: str) -> list[InquiryLink]:
    """What an inquiry is about and what it spawned, in the order they were linked."""
    rows = store.query(
        "SELECT inquiry_id, kind, target_id, spawned, linked_at FROM inquiry_links"
        " WHERE inquiry_id = ? ORDER BY seq",
        (inquiry_id,),
    )
    return [_link(r) for r in rows]


def inquiries_linked_to(store: Store, kind: LinkKind, target_id: str) -> list[InquiryLink]:
    """The links to one dispute, document, refund... from every inquiry."""
    rows = store.query(
        "SELECT inquiry_id, kind, target_id, spawned, linked_at FROM inquiry_links"
        " WHERE kind = ? AND target_id = ? ORDER BY linked_at, inquiry_id",
        (kind.value, target_id),
    )
    return [_link(r) for r in rows]


# -- CSAT and audits --------------------------------------------------------------------


def insert_rating(store: Store, rating: CsatRating) -> None:
    """Store the CSAT answer of an inquiry."""
    store.execute(
        "INSERT INTO inquiry_ratings (inquiry_id, score, comment, rated_at, recorded_by)"
        " VALUES (?, ?, ?, ?, ?)",
        (
            rating.inquiry_id,
            rating.score,
            rating.comment,
            _utc(rating.rated_at),
            rating.recorded_by,
        ),
    )


def _rating(row: Sequence[Any]) -> CsatRating:
    return CsatRating(
        InquiryId(str(row[0])), int(row[1]), str(row[2]), as_timestamp(row[3]), str(row[4])
    )


def get_rating(store: Store, inquiry_id: str) -> CsatRating | None:
    """The CSAT answer of an inquiry, or None."""
    row = store.query_one(
        "SELECT inquiry_id, score, comment, rated_at, recorded_by FROM inquiry_ratings"
        " WHERE inquiry_id = ?",
        (inquiry_id,),
    )
    return None if row is None else _rating(row)


def ratings_of(store: Store, inquiry_ids: Sequence[str]) -> dict[InquiryId, CsatRating]:
    """The CSAT answers of some inquiries, by inquiry."""
    if not inquiry_ids:
        return {}
    rows = store.query(
        "SELECT inquiry_id, score, comment, rated_at, recorded_by FROM inquiry_ratings"
        f" WHERE inquiry_id IN ({', '.join('?' for _ in inquiry_ids)})",
        list(inquiry_ids),
    )
    return {r.inquiry_id: r for r in map(_rating, rows)}


def insert_audit(store: Store, audit: QualityAudit) -> None:
    """Store a quality audit of a contact."""
    store.execute(
        "INSERT INTO inquiry_audits (id, inquiry_id, note_id, auditor, score, feedback,"
        " audited_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            audit.id,
            audit.inquiry_id,
            audit.note_id,
            audit.auditor,
            audit.score,
            audit.feedback,
            _utc(audit.audited_at),
        ),
    )


def list_audits(store: Store, inquiry_id: str | None = None) -> list[QualityAudit]:
    """Quality audits (of one inquiry), oldest first."""
    sql = "SELECT id, inquiry_id, note_id, auditor, score, feedback, audited_at FROM inquiry_audits"
    params: tuple[str, ...] = ()
    if inquiry_id is not None:
        sql += " WHERE inquiry_id = ?"
        params = (inquiry_id,)
    rows = store.query(sql + " ORDER BY audited_at, id", params)
    return [
        QualityAudit(
            str(r[0]),
            InquiryId(str(r[1])),
            NoteId(str(r[2])),
            str(r[3]),
            int(r[4]),
            str(r[5]),
            as_timestamp(r[6]),
        )
        for r in rows
    ]


def count_invoices_issued(store: Store, start: dt.date, end: dt.date) -> int:
    """Invoices issued (or issued and later voided) dated ``start`` to before ``end``."""
    row = store.query_one(
        "SELECT COUNT(*) FROM documents WHERE kind = 'invoice' AND status <> 'draft'"
        " AND issue_date >= ? AND issue_date < ?",
        (start.isoformat(), end.isoformat()),
    )
    return 0 if row is None else int(row[0])
