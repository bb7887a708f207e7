"""Disputes on the Book: opening, amending, escalating and resolving them.

The rules are in :mod:`o2c.cases` (the state machine, the SLA, the disputed amount and
what crediting a dispute credits); these use cases load the invoice and what is open on
it, call them with the business date and the actor, and store the dispute.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping
from decimal import Decimal
from typing import Any

from o2c.billing import Document, ReasonCode
from o2c.book import _lookups as lookups
from o2c.book._approval_requests import (
    credit_args,
    held_reason,
    hold,
    issue_credit_note,
    measure_credit_note,
    new_id,
)
from o2c.book._journal import open_item
from o2c.book._policies import business_calendar, sla_policy
from o2c.book._session import Session, Touched
from o2c.book._tables import cases as cases_table
from o2c.book._tables import journal as journal_table
from o2c.cases import (
    SYSTEM_ACTOR,
    ApprovalAction,
    ApprovalRequest,
    Channel,
    Dispute,
    DisputeReason,
    DisputeStatus,
    Resolution,
    auto_escalate,
    check_disputable,
    check_dispute_lines,
    check_rebill,
    check_resolving_credit_note,
    credit_reason,
    disputable,
    dispute_amount,
    dispute_credit_quantities,
    dispute_credit_scope,
    escalate,
    open_dispute,
    reject,
    resolve,
    start_investigation,
    update_dispute,
)
from o2c.errors import NotFound
from o2c.ids import CustomerId, DisputeId, DocumentId
from o2c.io import to_plain
from o2c.money import Currency, Money

__all__ = [
    "billed_net",
    "credit_dispute",
    "credit_dispute_approved",
    "disputed_amounts",
    "escalate_dispute",
    "escalate_overdue_disputes",
    "get_dispute",
    "investigate_dispute",
    "list_disputes",
    "open_dispute_on",
    "receivable",
    "reject_dispute",
    "resolve_dispute",
    "undisputed",
    "update_dispute_on",
]


def receivable(session: Session, document: str) -> Document:
    """The issued invoice or debit note ``document`` (id or number), to dispute or extend.

    Raises:
        InvalidState: It is a credit note or not issued.
    """
    doc = lookups.load_for_update(session, document)
    check_disputable(doc)
    return doc


def get_dispute(session: Session, dispute_id: str) -> Dispute:
    """The dispute with this id.

    Raises:
        NotFound: No such dispute.
    """
    found = cases_table.get_dispute(session.store, dispute_id)
    if found is None:
        raise NotFound("dispute", dispute_id, hint="list them with list_disputes()")
    return found


def billed_net(session: Session, document_id: str, currency: Currency, day: dt.date) -> Money:
    """What ``document_id`` billed net of earlier credits and write-offs, on ``day``:
    what is open on it plus what payments settled on it (:func:`o2c.cases.disputable`)."""
    item = open_item(session, document_id, day)
    open_amount = item.open if item is not None else Money.zero(currency)
    paid = journal_table.settled_by_payments(
        session.store, session.chart.receivable.code, document_id, day
    )
    return disputable(open_amount, Money.from_minor(paid, currency))


def undisputed(
    session: Session, doc: Document, day: dt.date, *, besides: str | None = None
) -> Money:
    """What may be disputed on ``doc`` on ``day``: billed net of earlier credits and
    write-offs (paid or not) and not held by another active dispute."""
    held = cases_table.held_by_disputes(session.store, doc.id, besides=besides)
    return billed_net(session, doc.id, doc.currency, day) - Money.from_minor(held, doc.currency)


def _step(
    session: Session,
    command: str,
    dispute_id: str,
    step: Callable[[Dispute, str], Dispute],
    *,
    args: Mapping[str, object],
    actor: str | None,
    idempotency_key: str | None,
) -> Dispute:
    """Run one step of a dispute's life as a command and return the dispute after it."""

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        after = step(get_dispute(session, dispute_id), who)
        cases_table.update_dispute(session.store, after)
        touched.add(after.id)
        return {"id": after.id}

    session.run(
        command,
        actor=actor,
        key=idempotency_key,
        args={"dispute_id": dispute_id, **args},
        body=body,
    )
    return get_dispute(session, dispute_id)


def open_dispute_on(
    session: Session,
    document: str,
    *,
    reason: DisputeReason | str,
    amount: Money | None = None,
    channel: Channel | str = Channel.EMAIL,
    lines: Iterable[int] = (),
    description: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Open a dispute on an issued invoice; see :meth:`o2c.Book.open_dispute`."""
    day = date or session.today()
    why = DisputeReason(reason) if isinstance(reason, str) else reason
    how = Channel(channel) if isinstance(channel, str) else channel
    line_numbers = tuple(lines)

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        doc = receivable(session, document)
        check_dispute_lines(doc, line_numbers)
        available = undisputed(session, doc, day)
        disputed = dispute_amount(doc, available, amount=amount, line_numbers=line_numbers)
        dispute = open_dispute(
            DisputeId(new_id(session, "dispute", "DSP")),
            document_id=DocumentId(doc.id),
            customer_id=CustomerId(doc.customer.customer_id),
            amount=disputed,
            reason=why,
            channel=how,
            opened_on=day,
            actor=who,
            policy=sla_policy(session),
            calendar=business_calendar(session),
            line_numbers=line_numbers,
            description=description,
            open_amount=available,
            at=session.now(),
        )
        cases_table.insert_dispute(session.store, dispute)
        touched.add(dispute.id, doc.id)
        return {"id": dispute.id}

    result = session.run(
        "open_dispute",
        actor=actor,
        key=idempotency_key,
        args={
            "document": document,
            "reason": why,
            "amount": amount,
            "channel": how,
            "lines": list(line_numbers),
            "description": description,
            "date": day,
        },
        body=body,
    )
    return get_dispute(session, result["id"])


def list_disputes(
    session: Session,
    *,
    status: DisputeStatus | str | None = None,
    active: bool | None = None,
    customer: str | None = None,
    document: str | None = None,
    breached_on: dt.date | None = None,
) -> list[Dispute]:
    """Disputes, oldest first, filtered; see :meth:`o2c.Book.list_disputes`."""
    return cases_table.list_disputes(
        session.store,
        status=None if status is None else DisputeStatus(status),
        active=active,
        customer=customer,
        document_id=None if document is None else lookups.document_id(session, document),
        breached_on=breached_on,
    )


def update_dispute_on(
    session: Session,
    dispute_id: str,
    *,
    amount: Money | None = None,
    lines: Iterable[int] | None = None,
    description: str | None = None,
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Amend an active dispute; see :meth:`o2c.Book.update_dispute`."""
    day = date or session.today()
    line_numbers = None if lines is None else tuple(lines)

    def step(dispute: Dispute, who: str) -> Dispute:
        doc = lookups.load_for_update(session, dispute.document_id)
        available = undisputed(session, doc, day, besides=dispute.id)
        return update_dispute(
            dispute,
            who,
            day,
            comment,
            amount=amount,
            line_numbers=line_numbers,
            description=description,
            open_amount=available,
            at=session.now(),
        )

    return _step(
        session,
        "update_dispute",
        dispute_id,
        step,
        args={
            "amount": amount,
            "lines": None if line_numbers is None else list(line_numbers),
            "description": description,
            "comment": comment,
            "date": day,
        },
        actor=actor,
        idempotency_key=idempotency_key,
    )


def investigate_dispute(
    session: Session,
    dispute_id: str,
    *,
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Move an open dispute to investigating."""
    day = date or session.today()
    return _step(
        session,
        "investigate_dispute",
        dispute_id,
        lambda d, who: start_investigation(d, who, day, comment, at=session.now()),
        args={"comment": comment, "date": day},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def escalate_dispute(
    session: Session,
    dispute_id: str,
    *,
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Escalate an active dispute by hand (one level up)."""
    day = date or session.today()
    return _step(
        session,
        "escalate_dispute",
        dispute_id,
        lambda d, who: escalate(d, who, day, comment, at=session.now()),
        args={"comment": comment, "date": day},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def reject_dispute(
    session: Session,
    dispute_id: str,
    *,
    comment: str,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Resolve a dispute as rejected: the invoice stands (a comment says why)."""
    day = date or session.today()
    return _step(
        session,
        "reject_dispute",
        dispute_id,
        lambda d, who: reject(d, who, day, comment, at=session.now()),
        args={"comment": comment, "date": day},
        actor=actor,
        idempotency_key=idempotency_key,
    )


def resolve_dispute(
    session: Session,
    dispute_id: str,
    resolution: Resolution | str,
    *,
    credit_note: str | None = None,
    rebill: str | None = None,
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute:
    """Resolve a dispute, linking the documents that settled it.

    See :meth:`o2c.Book.resolve_dispute`.
    """
    day = date or session.today()
    how = Resolution(resolution) if isinstance(resolution, str) else resolution

    def step(dispute: Dispute, who: str) -> Dispute:
        note_id = rebill_id = None
        if credit_note is not None:
            note = lookups.load_for_update(session, credit_note)
            note_id = check_resolving_credit_note(dispute, note, credit_note)
        if rebill is not None:
            invoice = lookups.load_for_update(session, rebill)
            rebill_id = check_rebill(dispute, invoice, rebill)
        return resolve(
            dispute,
            how,
            who,
            day,
            comment,
            credit_note_id=note_id,
            rebill_id=rebill_id,
            at=session.now(),
        )

    return _step(
        session,
        "resolve_dispute",
        dispute_id,
        step,
        args={
            "resolution": how,
            "credit_note": credit_note,
            "rebill": rebill,
            "comment": comment,
            "date": day,
        },
        actor=actor,
        idempotency_key=idempotency_key,
    )


def credit_dispute(
    session: Session,
    dispute_id: str,
    *,
    amount: Money | None = None,
    quantities: Mapping[int, Decimal | None] | None = None,
    reason: ReasonCode | str | None = None,
    reason_text: str = "",
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Dispute | ApprovalRequest:
    """Resolve a dispute as credited by the credit note that corrects it.

    See :meth:`o2c.Book.credit_dispute`.
    """
    day = date or session.today()
    dispute = get_dispute(session, dispute_id)
    code = ReasonCode.parse(reason) if reason is not None else credit_reason(dispute.reason)
    if amount is None and quantities is None:
        whole = None
        if not dispute.line_numbers:
            whole = billed_net(session, dispute.document_id, dispute.amount.currency, day)
        quantities = dispute_credit_quantities(dispute, whole)
    else:
        # A dispute of some lines is credited on those lines only.
        quantities = dispute_credit_scope(dispute, quantities, amount)
    original, total = measure_credit_note(session, dispute.document_id, code, quantities, amount)
    args = {
        **credit_args(original.id, code, quantities, amount, reason_text),
        "dispute_id": dispute.id,
        "comment": comment,
    }
    if held_reason(session, ApprovalAction.CREDIT_NOTE, total) is not None:
        return hold(
            session,
            "credit_dispute",
            ApprovalAction.CREDIT_NOTE,
            amount=total,
            subject=dispute.id,
            summary=(
                f"credit {total} on {original.number or original.id} to resolve dispute "
                f"{dispute.id} ({code.value})"
            ),
            args=args,
            day=day,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        note = issue_credit_note(session, to_plain(args), day, who, approved=False)
        done = resolve(
            get_dispute(session, dispute_id),
            Resolution.CREDITED,
            who,
            day,
            comment,
            credit_note_id=DocumentId(note.id),
            at=session.now(),
        )
        cases_table.update_dispute(session.store, done)
        touched.add(done.id, note.id)
        return {"id": done.id}

    session.run(
        "credit_dispute",
        actor=actor,
        key=idempotency_key,
        args={**args, "date": day},
        body=body,
    )
    return get_dispute(session, dispute_id)


def credit_dispute_approved(
    session: Session, args: Mapping[str, Any], day: dt.date, by: str
) -> str:
    """Issue the credit note an approved request holds and resolve its dispute.

    Returns:
        The credit note's id.
    """
    note = issue_credit_note(session, args, day, by, approved=True)
    resolved = resolve(
        get_dispute(session, args["dispute_id"]),
        Resolution.CREDITED,
        by,
        day,
        args.get("comment", ""),
        credit_note_id=DocumentId(note.id),
        at=session.now(),
    )
    cases_table.update_dispute(session.store, resolved)
    return str(note.id)


def escalate_overdue_disputes(
    session: Session,
    today: dt.date | None = None,
    *,
    dry_run: bool = False,
    actor: str | None = None,
) -> list[Dispute]:
    """Escalate every open or investigating dispute past its SLA (the daily job).

    See :meth:`o2c.Book.escalate_overdue_disputes`.
    """
    day = today or session.today()

    def overdue() -> list[Dispute]:
        late = cases_table.overdue_disputes(session.store, day)
        return list(auto_escalate(late, day, actor=SYSTEM_ACTOR))

    if dry_run:
        return overdue()

    def body(touched: Touched) -> dict[str, Any]:
        late = overdue()
        for dispute in late:
            cases_table.update_dispute(session.store, dispute)
        touched.extend(d.id for d in late)
        return {"ids": [d.id for d in late]}

    result = session.run(
        "escalate_overdue_disputes", actor=actor, key=None, args={"today": day}, body=body
    )
    return [get_dispute(session, i) for i in result["ids"]]


def disputed_amounts(
    session: Session, as_of: dt.date | None = None, *, customer: str | None = None
) -> dict[DocumentId, Money]:
    """The amount under active dispute per document as of a date (for aging)."""
    return cases_table.disputed_totals(session.store, as_of or session.today(), customer=customer)
