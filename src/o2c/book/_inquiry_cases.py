"""Cases an inquiry spawns, and the service-desk reports over the stored inquiries.

A dispute, a credit note (or its approval request), a refund (or its request) and a
payment extension are made by the Book's own commands, run inside the inquiry's
``spawn_from_inquiry`` command (one transaction; each writes its own audit event too),
and linked to the inquiry both ways (:func:`o2c.book._tables.inquiries.links_of` and
``inquiries_linked_to``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from o2c.billing import Document, ReasonCode
from o2c.book import _approval_gates as gates
from o2c.book import _disputes as disputes
from o2c.book import _extensions as extensions
from o2c.book import _lookups as lookups
from o2c.book._inquiries import get_inquiry, link, service_desk_policy
from o2c.book._rerate import RerateResult, rerate_invoices
from o2c.book._session import Session, Touched
from o2c.book._tables import inquiries as table
from o2c.cases import ApprovalRequest, Channel, Dispute, DisputeReason, PaymentExtension
from o2c.errors import InvalidState, ValidationError
from o2c.ledger.refunds import Refund
from o2c.money import Money
from o2c.servicedesk import (
    GroupBy,
    Inquiry,
    InquiryMove,
    InquiryMoveRefused,
    InquiryStatus,
    KpiScope,
    LinkKind,
    RootCause,
    RootCauseTrend,
    ServiceDeskFigures,
    root_cause_trend,
    service_desk_report,
)

__all__ = [
    "inquiry_credit_note",
    "inquiry_dispute",
    "inquiry_extension",
    "inquiry_impact",
    "inquiry_refund",
    "root_causes",
    "service_desk_figures_between",
]

Spawned = Dispute | Document | ApprovalRequest | Refund | PaymentExtension


def _spawn(
    session: Session,
    inquiry_id: str,
    what: str,
    make: Callable[[Inquiry], Spawned],
    args: Mapping[str, object],
    actor: str | None,
    idempotency_key: str | None,
) -> tuple[Inquiry, list[tuple[LinkKind, str]]]:
    made: list[tuple[LinkKind, str]] = []

    def body(touched: Touched) -> dict[str, Any]:
        session.who(actor)
        inquiry = get_inquiry(session, inquiry_id)
        if inquiry.status is InquiryStatus.CLOSED:
            raise InquiryMoveRefused(
                inquiry.id, inquiry.status, InquiryMove.SPAWN, "a closed inquiry is final"
            )
        result = make(inquiry)
        for kind, target in _links_of(result):
            link(session, inquiry, kind, target, spawned=True)
            touched.add(target)
            made.append((kind, target))
        touched.add(inquiry.id)
        table.append_event(
            session.store,
            inquiry,
            f"spawned_{what}",
            at=session.now(),
            actor=session.who(actor),
            detail={"links": [f"{k.value}:{t}" for k, t in made]},
        )
        return {"links": [[k.value, t] for k, t in made]}

    result = session.run(
        "spawn_from_inquiry",
        actor=actor,
        key=idempotency_key,
        args={"inquiry": inquiry_id, "what": what, "args": dict(args)},
        body=body,
    )
    return get_inquiry(session, inquiry_id), [(LinkKind(k), t) for k, t in result["links"]]


def _links_of(result: Spawned) -> list[tuple[LinkKind, str]]:
    if isinstance(result, Dispute):
        return [(LinkKind.DISPUTE, result.id)]
    if isinstance(result, ApprovalRequest):
        return [(LinkKind.APPROVAL, result.id)]
    if isinstance(result, Document):
        return [(LinkKind.CREDIT_NOTE, result.id)]
    if isinstance(result, Refund):
        return [(LinkKind.REFUND, result.id)]
    found = [(LinkKind.EXTENSION, str(result.id))]
    if result.approval_id:
        found.append((LinkKind.APPROVAL, str(result.approval_id)))
    return found


def _document(inquiry: Inquiry, document: str | None) -> str:
    if document is not None:
        return document
    if len(inquiry.documents) == 1:
        return str(inquiry.documents[0])
    raise ValidationError(
        "document", document, f"the invoice (inquiry {inquiry.id} names {len(inquiry.documents)})"
    )


def inquiry_dispute(
    session: Session,
    inquiry_id: str,
    *,
    reason: DisputeReason | str,
    document: str | None = None,
    amount: Money | None = None,
    lines: Iterable[int] = (),
    description: str = "",
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[Inquiry, list[tuple[LinkKind, str]]]:
    """Open a dispute from an inquiry; see :meth:`o2c.Book.inquiry_dispute`."""
    numbers = tuple(lines)

    def make(inquiry: Inquiry) -> Spawned:
        return disputes.open_dispute_on(
            session,
            _document(inquiry, document),
            reason=reason,
            amount=amount,
            channel=Channel(inquiry.channel),
            lines=numbers,
            description=description or inquiry.subject,
            actor=actor,
        )

    args = {"reason": reason, "document": document, "amount": amount, "lines": list(numbers)}
    return _spawn(session, inquiry_id, "dispute", make, args, actor, idempotency_key)


def inquiry_credit_note(
    session: Session,
    inquiry_id: str,
    *,
    reason: ReasonCode | str,
    document: str | None = None,
    quantities: Mapping[int, Decimal | None] | None = None,
    amount: Money | None = None,
    reason_text: str = "",
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[Inquiry, list[tuple[LinkKind, str]]]:
    """Request a credit note from an inquiry; see :meth:`o2c.Book.inquiry_credit_note`."""

    def make(inquiry: Inquiry) -> Spawned:
        return gates.request_credit_note(
            session,
            _document(inquiry, document),
            reason=reason,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text or f"inquiry {inquiry.id}",
            actor=actor,
        )

    args = {
        "reason": reason,
        "document": document,
        "quantities": None if quantities is None else {str(k): v for k, v in quantities.items()},
        "amount": amount,
        "reason_text": reason_text,
    }
    return _spawn(session, inquiry_id, "credit_note", make, args, actor, idempotency_key)


def inquiry_refund(
    session: Session,
    inquiry_id: str,
    source: str,
    amount: Money,
    *,
    reason: str = "",
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[Inquiry, list[tuple[LinkKind, str]]]:
    """Request a refund from an inquiry; see :meth:`o2c.Book.inquiry_refund`."""

    def make(inquiry: Inquiry) -> Spawned:
        return gates.request_refund(
            session, source, amount, reason=reason or f"inquiry {inquiry.id}", actor=actor
        )

    args = {"source": source, "amount": amount, "reason": reason}
    return _spawn(session, inquiry_id, "refund", make, args, actor, idempotency_key)


def inquiry_extension(
    session: Session,
    inquiry_id: str,
    new_due: dt.date,
    *,
    document: str | None = None,
    reason: str = "",
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> tuple[Inquiry, list[tuple[LinkKind, str]]]:
    """Grant (or request) a payment extension from an inquiry; see the Book method."""

    def make(inquiry: Inquiry) -> Spawned:
        return extensions.grant_extension_on(
            session,
            _document(inquiry, document),
            new_due,
            reason=reason or f"inquiry {inquiry.id}",
            actor=actor,
        )

    args = {"new_due": new_due, "document": document, "reason": reason}
    return _spawn(session, inquiry_id, "extension", make, args, actor, idempotency_key)


# -- reports ----------------------------------------------------------------------------


def _day_start(session: Session, day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(0), session.timezone())


def service_desk_figures_between(
    session: Session,
    start: dt.date,
    end: dt.date,
    *,
    by: GroupBy | str | None = None,
    as_of: dt.datetime | None = None,
) -> tuple[ServiceDeskFigures, ...]:
    """The desk's KPIs for inquiries opened ``start`` to ``end`` (both included, book
    time zone); see :meth:`o2c.Book.service_desk_report`."""
    if end < start:
        raise ValidationError("end", end.isoformat(), f"on or after {start.isoformat()}")
    group = None if by is None else GroupBy(by)
    begin, finish = _day_start(session, start), _day_start(session, end + dt.timedelta(days=1))
    moment = as_of or session.now()
    _policy, hours = service_desk_policy(session)
    store = session.store
    found = table.list_inquiries(
        store, opened_before=finish, opened_from=begin, active_or_opened_from=True
    )
    ids = [i.id for i in found]
    scope = KpiScope(
        hours,
        begin,
        finish,
        moment,
        ratings=table.ratings_of(store, ids),
        invoices=table.count_invoices_issued(store, start, end + dt.timedelta(days=1)),
    )
    return service_desk_report(found, table.contacts_of(store, ids), scope, by=group)


def root_causes(session: Session, start: dt.date, end: dt.date) -> tuple[RootCauseTrend, ...]:
    """Inquiries resolved ``start`` to ``end`` per month and root cause."""
    begin = _day_start(session, start)
    finish = _day_start(session, end + dt.timedelta(days=1))
    done = table.list_inquiries(
        session.store, statuses=[InquiryStatus.RESOLVED, InquiryStatus.CLOSED]
    )
    window = [i for i in done if i.resolved_at is not None and begin <= i.resolved_at < finish]
    return root_cause_trend(window, zone=session.timezone().key)


#: The credit reason a re-rating of each billing-defect cause proposes.
_REASONS: Mapping[RootCause, ReasonCode] = {
    RootCause.PRICING_SETUP: ReasonCode.WRONG_PRICE,
    RootCause.MASTER_DATA: ReasonCode.WRONG_PRICE,
    RootCause.TAX: ReasonCode.TAX_ERROR,
    RootCause.USAGE_FEED: ReasonCode.WRONG_QUANTITY,
    RootCause.MANUAL_ERROR: ReasonCode.OTHER,
    RootCause.PAYMENT_PROCESSING: ReasonCode.OTHER,
}


def inquiry_impact(
    session: Session,
    inquiry_id: str,
    *,
    start: dt.date | None = None,
    end: dt.date | None = None,
) -> RerateResult:
    """The re-rating impact analysis of an inquiry's billing defect, over every customer.

    A dry run (nothing is written) of the invoices issued ``start`` to ``end``: by
    default the issue dates of the documents the defect affected. One customer's question
    then shows every customer the same defect billed wrongly.

    Raises:
        InvalidState: The inquiry is not resolved with a billing-defect root cause.
        ValidationError: No dates given and no affected issued document to take them from.
    """
    inquiry = get_inquiry(session, inquiry_id)
    cause = inquiry.root_cause
    if cause is None or not cause.is_billing_defect or inquiry.resolved_at is None:
        raise InvalidState(
            f"inquiry {inquiry.id} has no billing-defect root cause; resolve it with one "
            "(pricing_setup, tax, usage_feed...) and the documents it affected first",
            document_id=inquiry.id,
        )
    if start is None or end is None:
        docs = lookups.load_documents(session, list(inquiry.affected_documents))
        dates = sorted(d.issue_date for d in docs if d.issue_date is not None)
        if not dates:
            raise ValidationError(
                "start",
                start,
                f"the dates to re-rate (inquiry {inquiry.id} names no issued document)",
            )
        start, end = start or dates[0], end or dates[-1]
    return rerate_invoices(session, start, end, apply=False, reason=_REASONS[cause])
