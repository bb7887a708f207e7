"""Credit notes and debit notes on issued invoices.

The billing core computes a correction from the invoice's own rounded amounts
(:mod:`o2c.billing.corrections`); these use cases load the invoice and what was credited
before, gate a credit note by the approval policy, and store (and issue) the note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from o2c.billing import Document, DocumentLine, ReasonCode
from o2c.billing.corrections import credit_note_for, debit_note_for
from o2c.book._issuing import require_approval, store_correction
from o2c.book._lookups import get_document, load_for_update, new_document_ids, prior_credits
from o2c.book._session import Session, Touched
from o2c.cases import ApprovalAction
from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = ["create_credit_note", "create_debit_note"]


def create_credit_note(
    session: Session,
    invoice: str,
    *,
    reason: ReasonCode | str,
    quantities: Mapping[int, Decimal | None] | None,
    amount: Money | None,
    reason_text: str,
    issue: bool,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
    approved: bool,
) -> Document:
    """Credit an issued invoice (``Book.create_credit_note``); ``approved`` (an approved
    request runs it) skips the policy's gate."""
    day = date or session.today()
    code = ReasonCode.parse(reason)

    def body(touched: Touched) -> dict[str, Any]:
        original = load_for_update(session, invoice)
        prior = prior_credits(session, original.id)
        [new_id] = new_document_ids(session, 1)
        draft = credit_note_for(
            original,
            prior,
            id=new_id,
            reason=code,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text,
            tax_point=day,
            rounding=Rounding.parse(session.setting("rounding") or DEFAULT_ROUNDING.name),
        )
        if issue and not approved:
            require_approval(session, ApprovalAction.CREDIT_NOTE, draft.totals.payable)
        return store_correction(session, draft, issue, day, touched)

    result = session.run(
        "create_credit_note",
        actor=actor,
        key=idempotency_key,
        args={
            "invoice": invoice,
            "reason": code,
            "quantities": {str(k): v for k, v in (quantities or {}).items()},
            "amount": amount,
            "reason_text": reason_text,
            "issue": issue,
            "date": day,
        },
        body=body,
    )
    return get_document(session, str(result["id"]))


def create_debit_note(
    session: Session,
    invoice: str,
    lines: Sequence[DocumentLine],
    *,
    reason: ReasonCode | str,
    reason_text: str,
    issue: bool,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> Document:
    """Charge more on an issued invoice (``Book.create_debit_note``)."""
    day = date or session.today()
    code = ReasonCode.parse(reason)

    def body(touched: Touched) -> dict[str, Any]:
        original = load_for_update(session, invoice)
        [new_id] = new_document_ids(session, 1)
        draft = debit_note_for(
            original, lines, id=new_id, reason=code, reason_text=reason_text, tax_point=day
        )
        return store_correction(session, draft, issue, day, touched)

    result = session.run(
        "create_debit_note",
        actor=actor,
        key=idempotency_key,
        args={"invoice": invoice, "lines": list(lines), "reason": code, "date": day},
        body=body,
    )
    return get_document(session, str(result["id"]))
