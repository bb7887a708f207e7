"""The gated commands: run at once under the policy's threshold, else held for approval.

Each measures its amount as the command would compute it (what a refund pays out, what a
write-off takes off, a credit note's, a manual invoice's or a voided document's payable
total), asks the policy, and either runs the command or stores a pending request
(:func:`o2c.book._approval_requests.hold`) that :mod:`o2c.book._approvals` runs on
approval.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal

from o2c.billing import Document, DocumentStatus, ReasonCode
from o2c.billing.lifecycle import void as void_draft
from o2c.book import _corrections as corrections
from o2c.book import _issuing as issuing
from o2c.book import _lookups as lookups
from o2c.book import _refunds as refunds
from o2c.book import _writeoffs as writeoffs
from o2c.book._approval_requests import credit_args, held_reason, hold, measure_credit_note
from o2c.book._journal import credit_item, open_item
from o2c.book._session import Session
from o2c.book._tables import settings as settings_table
from o2c.cases import ApprovalAction, ApprovalRequest
from o2c.errors import InvalidState, NotFound, ValidationError
from o2c.ledger import Refund, WriteOff, WriteOffReason
from o2c.ledger.items import settled_part
from o2c.money import Money

__all__ = [
    "request_credit_note",
    "request_issue",
    "request_refund",
    "request_void",
    "request_write_off",
]


def request_refund(
    session: Session,
    source: str,
    amount: Money,
    *,
    reason: str,
    date: dt.date | None = None,
    method: str = "bank_transfer",
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Refund | ApprovalRequest:
    """Refund customer credit, or hold it; see :meth:`o2c.Book.request_refund`.

    Measured alone and with what the customer was refunded that day and month without an
    approval (the policy's day and month limits).
    """
    day = date or session.today()
    found = credit_item(session, lookups.source_id(session, source), day)
    totals = (
        None
        if found is None
        else refunds.refund_totals(session, found.customer, amount.currency, day)
    )
    if held_reason(session, ApprovalAction.REFUND, amount, totals=totals) is None:
        return refunds.refund(
            session,
            source,
            amount,
            reason=reason,
            date=day,
            method=method,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def check() -> None:
        sid = lookups.source_id(session, source)
        credit = credit_item(session, sid, day)
        if credit is None:
            raise NotFound("payment or credit note", source)
        if amount > credit.unapplied:
            raise InvalidState(
                f"refund of {amount} exceeds the {credit.unapplied} unapplied on {source}",
                document_id=sid,
            )

    return hold(
        session,
        "refund",
        ApprovalAction.REFUND,
        amount=amount,
        subject=source,
        summary=f"refund {amount} of {source} by {method}: {reason}",
        args={"source": source, "amount": amount, "reason": reason, "method": method},
        day=day,
        actor=actor,
        idempotency_key=idempotency_key,
        check=check,
        totals=totals,
    )


def request_write_off(
    session: Session,
    document: str,
    amount: Money | None = None,
    *,
    reason: WriteOffReason | str = WriteOffReason.UNCOLLECTIBLE,
    memo: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> WriteOff | ApprovalRequest:
    """Write off (part of) an invoice, or hold it; see :meth:`o2c.Book.request_write_off`."""
    day = date or session.today()
    why = WriteOffReason(reason) if isinstance(reason, str) else reason
    doc_id = lookups.document_id(session, document)
    item = open_item(session, doc_id, day)
    if item is None or not item.open.is_positive:
        raise InvalidState(f"{document} has nothing open on {day}", document_id=doc_id)
    measured = amount if amount is not None else item.open
    if held_reason(session, ApprovalAction.WRITE_OFF, measured) is None:
        return writeoffs.write_off(
            session,
            document,
            amount,
            reason=why,
            memo=memo,
            date=day,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )
    return hold(
        session,
        "write_off",
        ApprovalAction.WRITE_OFF,
        amount=measured,
        subject=doc_id,
        summary=f"write off {measured} of {item.number} ({why.value})",
        args={"document": doc_id, "amount": amount, "reason": why.value, "memo": memo},
        day=day,
        actor=actor,
        idempotency_key=idempotency_key,
    )


def request_credit_note(
    session: Session,
    invoice: str,
    *,
    reason: ReasonCode | str,
    quantities: Mapping[int, Decimal | None] | None = None,
    amount: Money | None = None,
    reason_text: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Document | ApprovalRequest:
    """Issue a credit note, or hold it; see :meth:`o2c.Book.request_credit_note`."""
    day = date or session.today()
    code = ReasonCode.parse(reason)
    original, total = measure_credit_note(session, invoice, code, quantities, amount)
    if held_reason(session, ApprovalAction.CREDIT_NOTE, total) is None:
        return corrections.create_credit_note(
            session,
            invoice,
            reason=code,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text,
            issue=True,
            date=day,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )
    return hold(
        session,
        "credit_note",
        ApprovalAction.CREDIT_NOTE,
        amount=total,
        subject=original.id,
        summary=f"credit {total} on {original.number or original.id} ({code.value})",
        args=credit_args(original.id, code, quantities, amount, reason_text),
        day=day,
        actor=actor,
        idempotency_key=idempotency_key,
    )


def request_issue(
    session: Session,
    document_id: str,
    *,
    issue_date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Document | ApprovalRequest:
    """Issue a draft, or hold it; see :meth:`o2c.Book.request_issue`.

    Raises:
        InvalidState: The document is not a draft.
    """
    day = issue_date or session.today()
    draft = lookups.load_for_update(session, document_id)
    # A retry under a key already used returns the first outcome (the issued document,
    # or the same pending request), although the document is no longer a draft.
    retry = idempotency_key is not None and (
        settings_table.idempotent_result(session.store, idempotency_key) is not None
    )
    if draft.status is not DocumentStatus.DRAFT and not retry:
        raise InvalidState(
            f"document {draft.id} is {draft.status.value}, not a draft", document_id=draft.id
        )
    total = draft.totals.payable
    action = issuing.approval_action(session, draft)
    over_credit = None
    if action is ApprovalAction.MANUAL_INVOICE:
        # Credit limits and holds (issue 20): past them, a lead or controller approves.
        from o2c.book._credit import credit_check, credit_request

        if not retry:
            over_credit = credit_check(session, draft.customer.customer_id, total, day).reason
        elif _first_command(session, idempotency_key) == "request_manual_invoice":
            over_credit = "retried"  # the stored request is returned as it was
    if action is None or held_reason(session, action, total) is None:
        if over_credit is not None:
            return credit_request(
                session, draft, over_credit, day=day, actor=actor, idempotency_key=idempotency_key
            )
        return issuing.issue_document(
            session,
            document_id,
            issue_date=day,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )
    if action is ApprovalAction.CREDIT_NOTE:
        command = "issue_document"
        summary = (
            f"issue draft credit note {draft.id} of {total} on {draft.reference} "
            f"({draft.reason.value if draft.reason else 'no reason'})"
        )
    else:
        command = "manual_invoice"
        summary = f"issue manual invoice {draft.id} of {total} to {draft.customer.customer_id}"
    return hold(
        session,
        command,
        action,
        amount=total,
        subject=draft.id,
        summary=summary,
        args={"document_id": draft.id},
        day=day,
        actor=actor,
        idempotency_key=idempotency_key,
    )


def _first_command(session: Session, key: str | None) -> str | None:
    found = None if key is None else settings_table.idempotent_result(session.store, key)
    return None if found is None else found[0]


def request_void(
    session: Session,
    document: str,
    *,
    reason: str,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> Document | ApprovalRequest:
    """Void an issued document, or hold the void; see :meth:`o2c.Book.request_void`.

    Raises:
        ValidationError: No reason.
        InvalidState: The document cannot be voided (not issued, or a payment or credit
            touched it).
    """
    day = date or session.today()
    doc = lookups.load_for_update(session, document)
    total = doc.totals.payable
    if (
        doc.status is not DocumentStatus.ISSUED
        or held_reason(session, ApprovalAction.VOID, total) is None
    ):
        return issuing.void_document(
            session,
            document,
            reason=reason,
            date=day,
            actor=actor,
            idempotency_key=idempotency_key,
        )
    if not reason.strip():
        raise ValidationError("reason", reason, "why the document is voided")

    def check() -> None:
        void_draft(doc, paid=settled_part(open_item(session, doc.id, day)))

    return hold(
        session,
        "void_document",
        ApprovalAction.VOID,
        amount=total,
        subject=doc.id,
        summary=f"void {doc.label} of {total}: {reason}",
        args={"document_id": doc.id, "reason": reason},
        day=day,
        actor=actor,
        idempotency_key=idempotency_key,
        check=check,
    )
