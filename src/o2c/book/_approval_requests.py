"""Approval requests: holding a command for approval, and reading the requests back.

The steps every gated command shares: whether the policy holds an action, storing the
pending request with the command's arguments, and measuring a credit note against the
policy. Deciding a request (and running what it holds) is :mod:`o2c.book._approvals`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any

from o2c.billing import Document, ReasonCode
from o2c.billing.corrections import credit_note_for
from o2c.book import _corrections as corrections
from o2c.book import _lookups as lookups
from o2c.book._policies import approval_policy
from o2c.book._session import Session, Touched
from o2c.book._tables import approvals as approvals_table
from o2c.cases import (
    ApprovalAction,
    ApprovalRequest,
    ApprovalStatus,
    RunningTotals,
    approval_reason,
    request_approval,
)
from o2c.errors import InvalidState, NotFound
from o2c.ids import ApprovalId, DocumentId
from o2c.io import structure, to_plain
from o2c.money import Money

__all__ = [
    "credit_args",
    "get_approval",
    "held_reason",
    "hold",
    "issue_credit_note",
    "list_approvals",
    "measure_credit_note",
    "new_id",
    "save_decision",
    "save_request",
]


def new_id(session: Session, counter: str, prefix: str) -> str:
    """The next id of ``counter``: ``prefix`` and ten digits (``APR0000000001``)."""
    return f"{prefix}{session.next_numbers(counter):010d}"


def get_approval(session: Session, approval_id: str) -> ApprovalRequest:
    """The approval request with this id.

    Raises:
        NotFound: No such request.
    """
    found = approvals_table.get_request(session.store, approval_id)
    if found is None:
        raise NotFound("approval", approval_id, hint="list them with list_approvals()")
    return found


def list_approvals(
    session: Session,
    *,
    status: ApprovalStatus | str | None = None,
    action: ApprovalAction | str | None = None,
) -> list[ApprovalRequest]:
    """Approval requests, oldest first, optionally only one status or action."""
    return approvals_table.list_requests(
        session.store,
        status=None if status is None else ApprovalStatus(status),
        action=None if action is None else ApprovalAction(action),
    )


def save_request(session: Session, request: ApprovalRequest) -> None:
    """Store a new (pending) request, asked now."""
    approvals_table.insert_request(session.store, request, now=session.now().isoformat())


def save_decision(session: Session, request: ApprovalRequest, result: str | None) -> None:
    """Store the decision on a request, decided now; ``result`` is what the command made."""
    approvals_table.save_decision(
        session.store, request, now=session.now().isoformat(), result=result
    )


def held_reason(
    session: Session,
    action: ApprovalAction,
    amount: Money | None,
    *,
    days: int | None = None,
    totals: RunningTotals | None = None,
) -> str | None:
    """Why the book's policy holds ``action`` on ``amount`` for approval, or None
    (``totals``: the customer's running totals of the action, for the day and month
    limits)."""
    return approval_reason(approval_policy(session), action, amount, days=days, totals=totals)


def hold(
    session: Session,
    command: str,
    action: ApprovalAction,
    *,
    amount: Money | None,
    subject: str,
    summary: str,
    args: Mapping[str, object],
    day: dt.date,
    actor: str | None,
    idempotency_key: str | None,
    check: Callable[[], None] | None = None,
    totals: RunningTotals | None = None,
) -> ApprovalRequest:
    """Store a pending request to run ``command`` with ``args`` once approved.

    ``check`` runs first, inside the command's transaction (to refuse a request that
    could never run). ``totals``: the customer's running totals, when the policy's day
    and month limits apply to the action (refunds).
    """

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        if check is not None:
            check()
        approval_id = ApprovalId(new_id(session, "approval", "APR"))
        payload = json.dumps({"command": command, "args": to_plain(dict(args))}, sort_keys=True)
        request = request_approval(
            approval_id,
            policy=approval_policy(session),
            action=action,
            requested_by=who,
            requested_on=day,
            amount=amount,
            subject_id=subject,
            summary=summary,
            payload=payload,
            totals=totals,
        )
        if request is None:  # the policy changed since the caller looked: run it now
            raise InvalidState(f"{command} no longer needs approval; run it again")
        save_request(session, request)
        touched.add(approval_id, subject)
        return {"id": approval_id}

    result = session.run(
        f"request_{command}",
        actor=actor,
        key=idempotency_key,
        args={"command": command, "args": dict(args)},
        body=body,
    )
    return get_approval(session, result["id"])


# -- credit notes measured against the policy -------------------------------------------


def credit_args(
    invoice: str,
    code: ReasonCode,
    quantities: Mapping[int, Decimal | None] | None,
    amount: Money | None,
    reason_text: str,
) -> dict[str, object]:
    """The arguments of a held credit note, as its request stores them."""
    return {
        "invoice": invoice,
        "reason": code.value,
        "quantities": None
        if quantities is None
        else {str(k): None if v is None else str(v) for k, v in quantities.items()},
        "amount": amount,
        "reason_text": reason_text,
    }


def measure_credit_note(
    session: Session,
    invoice: str,
    code: ReasonCode,
    quantities: Mapping[int, Decimal | None] | None,
    amount: Money | None,
) -> tuple[Document, Money]:
    """Draft (without storing) the credit note, to measure it against the policy.

    Returns:
        The invoice it corrects and the credit note's payable total.
    """
    original = lookups.load_for_update(session, invoice)
    draft = credit_note_for(
        original,
        lookups.prior_credits(session, original.id),
        id=DocumentId("measure"),
        reason=code,
        quantities=quantities,
        amount=amount,
    )
    return original, draft.totals.payable


def issue_credit_note(
    session: Session, args: Mapping[str, Any], day: dt.date, by: str, *, approved: bool
) -> Document:
    """Issue the credit note ``args`` (:func:`credit_args`, as plain values) describe.

    ``approved``: it is past the policy's gate (an approval decided it).
    """
    quantities = args.get("quantities")
    amount = args.get("amount")
    return corrections.create_credit_note(
        session,
        args["invoice"],
        reason=args["reason"],
        quantities=None
        if quantities is None
        else {int(k): None if v is None else Decimal(str(v)) for k, v in quantities.items()},
        amount=None if amount is None else structure(amount, Money),
        reason_text=args.get("reason_text", ""),
        issue=True,
        date=day,
        actor=by,
        idempotency_key=None,
        approved=approved,
    )
