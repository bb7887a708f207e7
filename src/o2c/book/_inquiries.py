"""The service desk on the Book: inquiries from opening to close, with their contacts.

Each command loads the inquiry, moves it with the pure state machine of
:mod:`o2c.servicedesk`, stores it and appends one event, in one transaction. A contact is
an interaction note of the book (it shows in the customer's notes) that the inquiry's
event names. SLA due times are set when the inquiry opens, in the desk's business hours
(``servicedesk.*`` settings, the book's working days and time zone).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from typing import Any

from o2c.book import _lookups as lookups
from o2c.book._approval_requests import new_id
from o2c.book._disputes import get_dispute
from o2c.book._payments import get_payment
from o2c.book._policies import business_calendar
from o2c.book._session import Session, Touched
from o2c.book._tables import cases as cases_table
from o2c.book._tables import inquiries as table
from o2c.book._tables import settings as settings_table
from o2c.cases import Channel, InteractionNote, NoteId, NoteTarget
from o2c.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from o2c.ids import CustomerId, DocumentId
from o2c.servicedesk import (
    ACTIVE,
    SERVICE_DESK_PREFIX,
    BusinessHours,
    CsatRating,
    Inquiry,
    InquiryCategory,
    InquiryId,
    InquiryLink,
    InquiryMove,
    InquiryMoveRefused,
    InquirySlaPolicy,
    InquiryStatus,
    LinkKind,
    Priority,
    QualityAudit,
    RootCause,
    assign,
    close,
    escalate,
    hours_from_settings,
    reopen,
    resolve,
    respond,
    sla_breaches,
    sla_policy_from_settings,
)

__all__ = [
    "ContactInput",
    "assign_inquiry",
    "audit_contact",
    "close_inquiry",
    "desk_settings",
    "escalate_overdue_inquiries",
    "get_inquiry",
    "link",
    "open_inquiry",
    "rate_inquiry",
    "reopen_inquiry",
    "resolve_inquiry",
    "respond_to_inquiry",
    "service_desk_policy",
    "set_service_desk_settings",
    "step",
]

#: A contact as a command takes it: channel (None: the inquiry's), start, end, summary.
ContactInput = tuple[Channel | str | None, dt.datetime | None, dt.datetime | None, str]


def desk_settings(session: Session) -> dict[str, str]:
    """The ``servicedesk.*`` settings of the book."""
    return settings_table.with_prefix(session.store, SERVICE_DESK_PREFIX)


def service_desk_policy(session: Session) -> tuple[InquirySlaPolicy, BusinessHours]:
    """The SLA targets and the business hours they are measured in."""
    found = desk_settings(session)
    hours = hours_from_settings(found, business_calendar(session), zone=session.timezone().key)
    return sla_policy_from_settings(found), hours


def set_service_desk_settings(
    session: Session, settings: Mapping[str, str], *, actor: str | None = None
) -> dict[str, str]:
    """Change ``servicedesk.*`` settings (an empty value removes a key); return them all.

    Raises:
        ValidationError: A key outside ``servicedesk.`` or a value that does not parse
            (nothing changes).
    """
    for key in settings:
        if not key.startswith(SERVICE_DESK_PREFIX):
            raise ValidationError(key, settings[key], "a servicedesk. key")
    merged = {**desk_settings(session), **settings}
    merged = {k: v for k, v in merged.items() if v.strip()}
    sla_policy_from_settings(merged)
    hours_from_settings(merged, business_calendar(session))
    known = {SERVICE_DESK_PREFIX + "hours"}
    for key in merged:
        if key not in known and not key.startswith(SERVICE_DESK_PREFIX + "sla."):
            raise ValidationError(key, merged[key], "servicedesk.hours or servicedesk.sla.*")

    def body(touched: Touched) -> dict[str, Any]:
        settings_table.delete_with_prefix(session.store, SERVICE_DESK_PREFIX)
        for key, value in sorted(merged.items()):
            session.set_setting(key, value)
        touched.extend(sorted(settings))
        return {}

    session.run(
        "set_service_desk_settings",
        actor=actor,
        key=None,
        args={"settings": dict(settings)},
        body=body,
    )
    return desk_settings(session)


def get_inquiry(session: Session, inquiry_id: str) -> Inquiry:
    """The inquiry with this id.

    Raises:
        NotFound: No such inquiry.
    """
    found = table.get_inquiry(session.store, inquiry_id)
    if found is None:
        raise NotFound("inquiry", inquiry_id, hint="list them with list_inquiries()")
    return found


def link(session: Session, inquiry: Inquiry, kind: LinkKind, target: str, *, spawned: bool) -> None:
    """Link ``inquiry`` to what it is about or spawned (inside a command)."""
    table.insert_link(session.store, InquiryLink(inquiry.id, kind, target, spawned, session.now()))


def open_inquiry(
    session: Session,
    customer: str,
    *,
    subject: str,
    channel: Channel | str,
    category: InquiryCategory | str,
    priority: Priority | str = Priority.NORMAL,
    documents: Iterable[str] = (),
    dispute: str | None = None,
    payment: str | None = None,
    team: str = "billing",
    assignee: str | None = None,
    opened_at: dt.datetime | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """Open an inquiry; see :meth:`o2c.Book.open_inquiry`."""
    how = Channel(channel)
    what = InquiryCategory(category)
    urgency = Priority(priority)
    names = tuple(documents)

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        at = opened_at or session.now()
        lookups.require_customer(session, customer)
        doc_ids = []
        for name in names:
            doc = lookups.load_for_update(session, name)
            if doc.customer.customer_id != customer:
                raise ValidationError("documents", name, f"a document of customer {customer}")
            doc_ids.append(DocumentId(doc.id))
        if dispute is not None and get_dispute(session, dispute).customer_id != customer:
            raise ValidationError("dispute", dispute, f"a dispute of customer {customer}")
        if payment is not None:
            get_payment(session, payment)
        policy, hours = service_desk_policy(session)
        response_due, resolution_due = policy.due(hours, what, urgency, at)
        inquiry = Inquiry(
            InquiryId(new_id(session, "inquiry", "INQ")),
            CustomerId(customer),
            subject,
            how,
            what,
            urgency,
            at,
            who,
            response_due,
            resolution_due,
            team=team,
            assignee=assignee,
            documents=tuple(doc_ids),
            dispute_id=dispute,
            payment_id=payment,
        )
        table.insert_inquiry(session.store, inquiry)
        for doc_id in dict.fromkeys(doc_ids):
            link(session, inquiry, LinkKind.DOCUMENT, doc_id, spawned=False)
        if dispute is not None:
            link(session, inquiry, LinkKind.DISPUTE, dispute, spawned=False)
        if payment is not None:
            link(session, inquiry, LinkKind.PAYMENT, payment, spawned=False)
        table.append_event(session.store, inquiry, "opened", at=at, actor=who)
        touched.add(inquiry.id, customer, *doc_ids)
        return {"id": inquiry.id}

    result = session.run(
        "open_inquiry",
        actor=actor,
        key=idempotency_key,
        args={
            "customer": customer,
            "subject": subject,
            "channel": how,
            "category": what,
            "priority": urgency,
            "documents": list(names),
            "dispute": dispute,
            "payment": payment,
            "team": team,
            "assignee": assignee,
            "opened_at": opened_at,
        },
        body=body,
    )
    return get_inquiry(session, result["id"])


def _record_contact(
    session: Session, inquiry: Inquiry, contact: ContactInput, who: str, moment: dt.datetime
) -> InteractionNote:
    channel, started, ended, summary = contact
    how = inquiry.channel if channel is None else Channel(channel)
    if inquiry.dispute_id is not None:
        kind, ref = NoteTarget.DISPUTE, inquiry.dispute_id
    elif inquiry.documents:
        kind, ref = NoteTarget.INVOICE, str(inquiry.documents[0])
    else:
        kind, ref = NoteTarget.CUSTOMER, str(inquiry.customer_id)
    note = InteractionNote(
        NoteId(new_id(session, "note", "NT")),
        kind,
        ref,
        how,
        f"[{inquiry.id}] {summary}",
        who,
        started or moment,
        ended,
        customer_id=inquiry.customer_id,
    )
    cases_table.insert_note(
        session.store,
        note,
        document_id=str(inquiry.documents[0]) if inquiry.documents else None,
        dispute_id=inquiry.dispute_id,
        created_at=session.now().isoformat(),
    )
    return note


def step(
    session: Session,
    command: str,
    inquiry_id: str,
    move: Callable[[Inquiry, str, dt.datetime], Inquiry],
    *,
    event: str,
    args: Mapping[str, object],
    actor: str | None,
    idempotency_key: str | None,
    at: dt.datetime | None = None,
    contact: ContactInput | None = None,
    detail: dict[str, Any] | None = None,
) -> Inquiry:
    """Run one move of an inquiry as the command ``command``: load, move, store, event.

    ``move`` gets the inquiry, the actor and the moment (``at``, or the clock's now read
    once inside the transaction, so that a retried idempotency key carries the same
    arguments); ``contact`` records an interaction note the event names (starting at the
    moment unless it says when).
    """

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        moment = at or session.now()
        moved = move(get_inquiry(session, inquiry_id), who, moment)
        note_id = None
        if contact is not None:
            note = _record_contact(session, moved, contact, who, moment)
            note_id = note.id
            touched.add(note.id)
        table.update_inquiry(session.store, moved)
        table.append_event(
            session.store,
            moved,
            event,
            at=moment,
            actor=who,
            note_id=note_id,
            detail=detail,
        )
        touched.add(moved.id)
        return {"id": moved.id}

    session.run(command, actor=actor, key=idempotency_key, args=args, body=body)
    return get_inquiry(session, inquiry_id)


def respond_to_inquiry(
    session: Session,
    inquiry_id: str,
    *,
    summary: str,
    channel: Channel | str | None = None,
    started: dt.datetime | None = None,
    ended: dt.datetime | None = None,
    then: InquiryStatus | str = InquiryStatus.OPEN,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """An agent's contact; see :meth:`o2c.Book.respond_to_inquiry`."""
    after = InquiryStatus(then)
    return step(
        session,
        "respond_to_inquiry",
        inquiry_id,
        lambda inq, who, moment: respond(inq, at=moment, agent=who, then=after),
        event="contact",
        at=started,
        contact=(channel, started, ended, summary),
        args={
            "inquiry": inquiry_id,
            "summary": summary,
            "channel": channel,
            "started": started,
            "ended": ended,
            "then": after,
        },
        actor=actor,
        idempotency_key=idempotency_key,
    )


def assign_inquiry(
    session: Session,
    inquiry_id: str,
    assignee: str,
    *,
    team: str | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """Give an inquiry to an agent; see :meth:`o2c.Book.assign_inquiry`."""
    return step(
        session,
        "assign_inquiry",
        inquiry_id,
        lambda inq, _who, _at: assign(inq, assignee, team=team),
        event="assigned",
        detail={"assignee": assignee, "team": team},
        args={"inquiry": inquiry_id, "assignee": assignee, "team": team},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def resolve_inquiry(
    session: Session,
    inquiry_id: str,
    *,
    root_cause: RootCause | str,
    resolution: str,
    affected_documents: Iterable[str] = (),
    at: dt.datetime | None = None,
    contact: ContactInput | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """Resolve an inquiry; see :meth:`o2c.Book.resolve_inquiry`."""
    cause = RootCause(root_cause)
    names = tuple(affected_documents)
    given = at or (None if contact is None else (contact[2] or contact[1]))

    def move(inq: Inquiry, who: str, moment: dt.datetime) -> Inquiry:
        ids = tuple(DocumentId(lookups.document_id(session, n)) for n in names)
        started = None if contact is None else (contact[1] or moment)
        return resolve(
            inq,
            at=moment,
            root_cause=cause,
            resolution=resolution,
            affected_documents=ids,
            contact_started=started,
            agent=who,
        )

    return step(
        session,
        "resolve_inquiry",
        inquiry_id,
        move,
        event="resolved",
        at=given,
        contact=contact,
        detail={"root_cause": cause.value, "affected_documents": list(names)},
        args={
            "inquiry": inquiry_id,
            "root_cause": cause,
            "resolution": resolution,
            "affected_documents": list(names),
            "at": at,
            "contact": None if contact is None else list(contact),
        },
        actor=actor,
        idempotency_key=idempotency_key,
    )


def reopen_inquiry(
    session: Session,
    inquiry_id: str,
    *,
    reason: str,
    at: dt.datetime | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """Reopen a resolved inquiry; see :meth:`o2c.Book.reopen_inquiry`."""
    if not reason.strip():
        raise ValidationError("reason", reason, "why the inquiry is reopened")
    return step(
        session,
        "reopen_inquiry",
        inquiry_id,
        lambda inq, _who, moment: reopen(inq, at=moment),
        event="reopened",
        at=at,
        detail={"reason": reason},
        args={"inquiry": inquiry_id, "reason": reason, "at": at},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def close_inquiry(
    session: Session,
    inquiry_id: str,
    *,
    at: dt.datetime | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Inquiry:
    """Close a resolved inquiry; see :meth:`o2c.Book.close_inquiry`."""
    return step(
        session,
        "close_inquiry",
        inquiry_id,
        lambda inq, _who, moment: close(inq, at=moment),
        event="closed",
        at=at,
        args={"inquiry": inquiry_id, "at": at},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def rate_inquiry(
    session: Session,
    inquiry_id: str,
    score: int,
    *,
    comment: str = "",
    rated_at: dt.datetime | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> CsatRating:
    """Record the customer's CSAT answer; see :meth:`o2c.Book.rate_inquiry`."""

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        inquiry = get_inquiry(session, inquiry_id)
        if inquiry.status not in (InquiryStatus.RESOLVED, InquiryStatus.CLOSED):
            raise InquiryMoveRefused(
                inquiry.id, inquiry.status, InquiryMove.RATE, "CSAT is asked after resolution"
            )
        if table.get_rating(session.store, inquiry.id) is not None:
            raise InvalidState(
                f"inquiry {inquiry.id} is already rated; a survey is answered once",
                document_id=inquiry.id,
            )
        rating = CsatRating(inquiry.id, score, comment, rated_at or session.now(), who)
        if inquiry.resolved_at is not None and rating.rated_at < inquiry.resolved_at:
            raise ValidationError(
                "rated_at",
                rating.rated_at.isoformat(),
                f"after the resolution ({inquiry.resolved_at.isoformat()})",
            )
        table.insert_rating(session.store, rating)
        table.append_event(
            session.store,
            inquiry,
            "rated",
            at=rating.rated_at,
            actor=who,
            detail={"score": score},
        )
        touched.add(inquiry.id)
        return {"id": inquiry.id}

    session.run(
        "rate_inquiry",
        actor=actor,
        key=idempotency_key,
        args={"inquiry": inquiry_id, "score": score, "comment": comment, "rated_at": rated_at},
        body=body,
    )
    found = table.get_rating(session.store, inquiry_id)
    assert found is not None
    return found


def audit_contact(
    session: Session,
    inquiry_id: str,
    note: str,
    *,
    score: int,
    feedback: str,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> QualityAudit:
    """A lead's quality audit of a contact; see :meth:`o2c.Book.audit_inquiry_contact`."""

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        inquiry = get_inquiry(session, inquiry_id)
        contacts = {c.note_id: c for c in table.contacts_of(session.store, [inquiry.id])}
        contact = contacts.get(NoteId(note))
        if contact is None:
            raise NotFound(f"contact of inquiry {inquiry.id}", note)
        if contact.agent.casefold() == who.casefold():
            raise PermissionDenied(
                f"{who} handled contact {note} and cannot audit it; another lead must"
            )
        audit = QualityAudit(
            new_id(session, "inquiry_audit", "QA"),
            inquiry.id,
            contact.note_id,
            who,
            score,
            feedback,
            session.now(),
        )
        table.insert_audit(session.store, audit)
        touched.add(audit.id, inquiry.id, note)
        return {"id": audit.id}

    result = session.run(
        "audit_inquiry_contact",
        actor=actor,
        key=idempotency_key,
        args={"inquiry": inquiry_id, "note": note, "score": score, "feedback": feedback},
        body=body,
    )
    [found] = [a for a in table.list_audits(session.store, inquiry_id) if a.id == result["id"]]
    return found


def escalate_overdue_inquiries(
    session: Session, as_of: dt.datetime | None = None, *, actor: str | None = None
) -> list[Inquiry]:
    """Escalate active inquiries past an SLA due time; see the Book method."""
    done: list[str] = []

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        moment = as_of or session.now()
        for inquiry in table.list_inquiries(session.store, statuses=_active()):
            breached = sla_breaches(inquiry, moment) - inquiry.escalations
            if not breached or inquiry.opened_at > moment:
                continue
            moved = escalate(inquiry, breached, at=moment)
            table.update_inquiry(session.store, moved)
            table.append_event(
                session.store,
                moved,
                "escalated",
                at=moment,
                actor=who,
                detail={"breached": sorted(b.value for b in breached)},
            )
            touched.add(moved.id)
            done.append(moved.id)
        return {"ids": list(done)}

    result = session.run(
        "escalate_overdue_inquiries", actor=actor, key=None, args={"as_of": as_of}, body=body
    )
    return [get_inquiry(session, i) for i in result["ids"]]


def _active() -> list[InquiryStatus]:
    # The active statuses in a fixed order (the query's parameters).
    return [s for s in InquiryStatus if s in ACTIVE]
