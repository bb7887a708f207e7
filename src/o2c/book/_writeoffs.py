"""Write-offs: what is open on an invoice or debit note moved to an expense.

There is one write-off command, :func:`write_off` (``Book.write_off``); the approval
flow (``Book.request_write_off``, ``o2c writeoff request``) runs it directly under the
policy's limit and, above it, once another person approved the request.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from o2c.book._codec import money
from o2c.book._issuing import require_approval
from o2c.book._journal import new_entry_ids, open_item, write_entries
from o2c.book._limits import item_history
from o2c.book._lookups import check_page, document_id
from o2c.book._policies import policy_settings
from o2c.book._session import Session, Touched
from o2c.book._tables import audit as audit_table
from o2c.book._tables import payments as payments_table
from o2c.cases import ApprovalAction
from o2c.ids import CustomerId, DocumentId, WriteOffId
from o2c.io import structure, to_plain
from o2c.ledger.items import OpenItem
from o2c.ledger.tolerance import WriteOffTolerance, tolerance_memo, tolerances_from_settings
from o2c.ledger.writeoffs import WriteOff, WriteOffReason, post_write_off, write_off_amount
from o2c.money import Currency, Money

__all__ = ["list_write_offs", "tolerance_write_off", "write_off", "write_off_tolerance"]


def write_off(
    session: Session,
    document: str,
    amount: Money | None,
    *,
    reason: WriteOffReason | str,
    memo: str,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
    approved: bool,
) -> WriteOff:
    """Write off (part of) what is open on a document (``Book.write_off``); ``approved``
    (an approved request runs it) skips the policy's gate.

    Raises:
        InvalidState: Nothing open, or more than is open.
        ApprovalRequired: Not ``approved`` and the policy holds write-offs of this amount.
    """
    day = date or session.today()
    why = WriteOffReason(reason) if isinstance(reason, str) else reason

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        doc_id = document_id(session, document)
        item = open_item(session, doc_id, day)
        taken = write_off_amount(
            item,
            amount,
            document=document,
            document_id=doc_id,
            on=day,
            history=item_history(session, doc_id),
        )
        assert item is not None  # write_off_amount refuses a document with nothing open
        if not approved:
            require_approval(session, ApprovalAction.WRITE_OFF, taken)
        wid = WriteOffId(f"WO{session.next_numbers('write_off'):010d}")
        made = WriteOff(
            wid,
            item.customer,
            item.document_id,
            taken,
            date=day,
            reason=why,
            requested_by=who,
            approved_by=None,
            memo=memo,
        )
        [entry_id] = new_entry_ids(session, 1)
        entry = post_write_off(made, entry_id=entry_id, open_item=item, chart=session.chart)
        write_entries(session, [entry])
        payments_table.insert_write_off(
            session.store, made, entry_id=entry.id, created_at=session.now().isoformat()
        )
        touched.add(wid, entry.id)
        return {"write_off": to_plain(made, session.converter())}

    result = session.run(
        "write_off",
        actor=actor,
        key=idempotency_key,
        args={"document": document, "amount": amount, "reason": why, "date": day, "memo": memo},
        body=body,
    )
    return structure(result["write_off"], WriteOff, converter=session.converter())


def write_off_tolerance(session: Session, currency: Currency) -> WriteOffTolerance | None:
    """The book's write-off tolerance in ``currency`` (``writeoff.*`` settings), or None."""
    return tolerances_from_settings(policy_settings(session)).get(currency.code)


def tolerance_write_off(
    session: Session,
    item: OpenItem,
    amount: Money,
    *,
    day: dt.date,
    source: str,
    allocation: str,
    actor: str | None,
    touched: Touched,
) -> WriteOff:
    """Write off ``amount``, the small balance cash from ``source`` left open on ``item``
    (as of ``day``, after that cash) within the book's tolerance, inside a command: Dr
    rounding, Cr AR, no approval (the tolerance is the controller's policy). Closed
    months are refused like any entry's. The row names ``allocation`` (the entry id of
    the allocation that left the balance): undoing it reverses this write-off.

    Raises:
        InvalidState: More than ``item`` has open.
    """
    wid = WriteOffId(f"WO{session.next_numbers('write_off'):010d}")
    made = WriteOff(
        wid,
        item.customer,
        item.document_id,
        amount,
        date=day,
        reason=WriteOffReason.SMALL_BALANCE,
        requested_by=session.who(actor),
        memo=tolerance_memo(amount.currency, source),
    )
    [entry_id] = new_entry_ids(session, 1)
    entry = post_write_off(made, entry_id=entry_id, open_item=item, chart=session.chart)
    write_entries(session, [entry])
    payments_table.insert_write_off(
        session.store,
        made,
        entry_id=entry.id,
        created_at=session.now().isoformat(),
        allocation_id=allocation,
    )
    touched.add(wid, entry.id)
    return made


def list_write_offs(
    session: Session,
    *,
    customer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int | None = None,
) -> list[WriteOff]:
    """Write-offs posted, in order (``Book.list_write_offs``)."""
    store = session.store
    found = []
    check_page(start, end, limit)
    rows = payments_table.write_off_rows(
        store,
        customer=customer,
        start=None if start is None else start.isoformat(),
        end=None if end is None else end.isoformat(),
        limit=limit,
    )
    for row in rows:
        why = WriteOffReason(row.reason)
        found.append(
            WriteOff(
                WriteOffId(row.id),
                CustomerId(row.customer),
                DocumentId(row.document_id),
                money(row.amount_minor, row.currency),
                date=row.date,
                reason=why,
                requested_by=(
                    audit_table.first_actor(store, row.id)
                    if row.requested_by is None
                    else row.requested_by
                ),
                approved_by=row.approved_by,
                memo="" if row.memo == why.value else row.memo,
            )
        )
    return found
