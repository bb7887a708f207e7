"""Payment extensions on the Book: a new due date for an invoice, within the policy.

Past the policy's limits an extension waits for approval: it is stored pending, with the
request that holds it, and :func:`decide_extension` applies the decision on it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import attrs

from o2c.book import _lookups as lookups
from o2c.book._approval_requests import new_id, save_request
from o2c.book._disputes import receivable
from o2c.book._journal import open_item
from o2c.book._policies import approval_policy
from o2c.book._session import Session, Touched
from o2c.book._tables import cases as cases_table
from o2c.cases import (
    ApprovalRequest,
    ExtensionId,
    ExtensionStatus,
    PaymentExtension,
    activate_extension,
    extended_due_dates,
    extension_in_force,
    grant_extension,
)
from o2c.errors import NotFound
from o2c.ids import ApprovalId, CustomerId, DocumentId
from o2c.money import Money

__all__ = [
    "decide_extension",
    "extended_due_dates_on",
    "get_extension",
    "grant_extension_on",
    "list_extensions",
]


def get_extension(session: Session, extension_id: str) -> PaymentExtension:
    """The payment extension with this id.

    Raises:
        NotFound: No such extension.
    """
    found = cases_table.get_extension(session.store, extension_id)
    if found is None:
        raise NotFound("extension", extension_id)
    return found


def decide_extension(session: Session, decision: ApprovalRequest) -> str:
    """Apply a decision to the extension it holds (active or rejected); return its id.

    Raises:
        NotFound: The request holds no extension.
    """
    held = cases_table.extension_held_by(session.store, decision.id)
    if held is None:
        raise NotFound("extension held by approval", decision.id)
    decided = activate_extension(held, decision)
    cases_table.update_extension(session.store, decided)
    return str(decided.id)


def grant_extension_on(
    session: Session,
    document: str,
    new_due: dt.date,
    *,
    reason: str,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> PaymentExtension:
    """Give an invoice a new due date; see :meth:`o2c.Book.grant_extension`."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        doc = receivable(session, document)
        assert doc.due_date is not None
        ext_id = ExtensionId(new_id(session, "extension", "EXT"))
        policy = approval_policy(session)
        item = open_item(session, doc.id, day)
        extension, request = grant_extension(
            ext_id,
            document_id=DocumentId(doc.id),
            customer_id=CustomerId(doc.customer.customer_id),
            original_due=doc.due_date,
            new_due=new_due,
            reason=reason,
            actor=who,
            on=day,
            policy=policy,
            approval_id=ApprovalId(""),
            amount=item.open if item is not None else Money.zero(doc.currency),
        )
        if request is not None:
            # Only a held extension takes an approval number (no holes in the series).
            approval_id = ApprovalId(new_id(session, "approval", "APR"))
            extension = attrs.evolve(extension, approval_id=approval_id)
            payload = json.dumps({"command": "extension", "args": {"extension": ext_id}})
            save_request(session, attrs.evolve(request, id=approval_id, payload=payload))
            touched.add(approval_id)
        cases_table.insert_extension(session.store, extension)
        touched.add(ext_id, doc.id)
        return {"id": ext_id}

    result = session.run(
        "grant_extension",
        actor=actor,
        key=idempotency_key,
        args={"document": document, "new_due": new_due, "reason": reason, "date": day},
        body=body,
    )
    return get_extension(session, result["id"])


def list_extensions(
    session: Session,
    *,
    document: str | None = None,
    status: ExtensionStatus | str | None = None,
) -> list[PaymentExtension]:
    """Payment extensions, oldest first, optionally of one document or status."""
    return cases_table.list_extensions(
        session.store,
        document_id=None if document is None else lookups.document_id(session, document),
        status=None if status is None else ExtensionStatus(status),
    )


def extended_due_dates_on(
    session: Session, as_of: dt.date | None = None, *, customer: str | None = None
) -> dict[DocumentId, dt.date]:
    """The effective due date per document with an extension in force on ``as_of``."""
    day = as_of or session.today()
    return extended_due_dates(
        extension
        for extension, request in cases_table.active_extensions(session.store, customer=customer)
        if extension_in_force(
            extension, day, decided_on=None if request is None else request.decided_on
        )
    )
