"""Interaction notes on the Book: contacts about a customer, an invoice or a dispute."""

from __future__ import annotations

import datetime as dt
from typing import Any

from o2c.book import _lookups as lookups
from o2c.book._approval_requests import new_id
from o2c.book._disputes import get_dispute
from o2c.book._session import Session, Touched
from o2c.book._tables import cases as cases_table
from o2c.cases import Channel, InteractionNote, NoteId, NoteTarget
from o2c.ids import CustomerId

__all__ = ["add_note", "list_notes"]


def add_note(
    session: Session,
    target: NoteTarget | str,
    target_id: str,
    *,
    channel: Channel | str,
    summary: str,
    started: dt.datetime | None = None,
    ended: dt.datetime | None = None,
    first_contact_resolution: bool = False,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> InteractionNote:
    """Record a contact; see :meth:`o2c.Book.add_note`."""
    kind = NoteTarget(target) if isinstance(target, str) else target
    how = Channel(channel) if isinstance(channel, str) else channel

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        start = started or session.now()
        document_id = dispute_id = None
        if kind is NoteTarget.CUSTOMER:
            lookups.require_customer(session, target_id)
            customer, ref = target_id, target_id
        elif kind is NoteTarget.INVOICE:
            doc = lookups.load_for_update(session, target_id)
            customer, ref = doc.customer.customer_id, doc.id
            document_id = doc.id
        else:
            dispute = get_dispute(session, target_id)
            customer, ref = dispute.customer_id, dispute.id
            document_id, dispute_id = dispute.document_id, dispute.id
        note = InteractionNote(
            NoteId(new_id(session, "note", "NT")),
            kind,
            ref,
            how,
            summary,
            who,
            start,
            ended,
            first_contact_resolution,
            customer_id=CustomerId(customer),
        )
        cases_table.insert_note(
            session.store,
            note,
            document_id=document_id,
            dispute_id=dispute_id,
            created_at=session.now().isoformat(),
        )
        touched.add(note.id, ref)
        return {"id": note.id}

    result = session.run(
        "add_note",
        actor=actor,
        key=idempotency_key,
        args={
            "target": kind,
            "target_id": target_id,
            "channel": how,
            "summary": summary,
            "started": started,
            "ended": ended,
            "first_contact_resolution": first_contact_resolution,
        },
        body=body,
    )
    [note] = cases_table.list_notes(session.store, note_id=result["id"])
    return note


def list_notes(
    session: Session,
    *,
    customer: str | None = None,
    document: str | None = None,
    dispute: str | None = None,
) -> list[InteractionNote]:
    """Interaction notes in the order they started, of a customer, invoice or dispute."""
    return cases_table.list_notes(
        session.store,
        customer=customer,
        document_id=None if document is None else lookups.document_id(session, document),
        dispute_id=dispute,
    )
