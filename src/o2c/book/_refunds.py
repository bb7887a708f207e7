"""Refunds: customer credit (an unapplied payment or credit note) paid back out."""

from __future__ import annotations

import datetime as dt
from typing import Any

from o2c.book._codec import as_json, money
from o2c.book._issuing import require_approval
from o2c.book._journal import credit_item, new_entry_ids, write_entries
from o2c.book._limits import credit_history
from o2c.book._lookups import check_page, source_id
from o2c.book._session import Session, Touched
from o2c.book._tables import approvals as approvals_table
from o2c.book._tables import audit as audit_table
from o2c.book._tables import payments as payments_table
from o2c.cases import ApprovalAction, ApprovalRequest, RunningTotals
from o2c.errors import NotFound
from o2c.ids import CustomerId, RefundId
from o2c.io import structure, to_plain
from o2c.ledger.limits import check_take
from o2c.ledger.refunds import Refund, RefundStatus, paid_refund, post_refund
from o2c.money import Currency, Money

__all__ = ["list_refunds", "refund", "refund_totals"]


def refund_totals(
    session: Session, customer: str, currency: Currency, day: dt.date
) -> RunningTotals:
    """What ``customer`` was refunded in ``currency`` on ``day`` and in its calendar month
    without an approval: the running totals the policy's day and month limits hold.

    Six refunds of 133.34 MXN under a 500.00 MXN limit are not six small refunds but
    800.04 MXN out of one customer's credit in a day. The month is the whole calendar
    month, so a refund dated back before later ones of the month counts them too.
    """
    store = session.store
    first = day.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    on_day = approvals_table.unapproved_refunds_minor(
        store, customer, currency.code, day.isoformat(), day.isoformat()
    )
    in_month = approvals_table.unapproved_refunds_minor(
        store, customer, currency.code, first.isoformat(), last.isoformat()
    )
    return RunningTotals(customer, day, money(on_day, currency), money(in_month, currency))


def refund(
    session: Session,
    source: str,
    amount: Money,
    *,
    reason: str,
    date: dt.date | None,
    method: str,
    actor: str | None,
    idempotency_key: str | None,
    approved: bool,
) -> Refund:
    """Pay out customer credit (``Book.refund``); ``approved`` (an approved request runs
    it) skips the policy's gate.

    Raises:
        NotFound: ``source`` names no payment or credit note.
        InvalidState: More than is unapplied on the source.
        ApprovalRequired: Not ``approved`` and the policy holds refunds of this amount.
    """
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        sid = source_id(session, source)
        credit = credit_item(session, sid, day)
        if credit is None:
            raise NotFound("payment or credit note", source)
        if not approved:
            totals = refund_totals(session, credit.customer, amount.currency, day)
            require_approval(session, ApprovalAction.REFUND, amount, totals=totals)
        rid = RefundId(f"RF{session.next_numbers('refund'):010d}")
        made = paid_refund(rid, credit, amount, on=day, by=who, reason=reason)
        [entry_id] = new_entry_ids(session, 1)
        entry = post_refund(made, entry_id=entry_id, credit=credit, chart=session.chart)
        # What later entries apply or pay out of the credit stays theirs (o2c.ledger.limits).
        check_take(
            credit_history(session, sid),
            amount,
            on=day,
            action=f"refund {amount} from {source}",
            held="unapplied",
        )
        write_entries(session, [entry])
        payments_table.insert_refund(
            session.store,
            made,
            day=day,
            method=method,
            entry_id=entry.id,
            created_at=session.now().isoformat(),
        )
        touched.add(rid, entry.id)
        return {"refund": to_plain(made, session.converter())}

    result = session.run(
        "refund",
        actor=actor,
        key=idempotency_key,
        args={"source": source, "amount": amount, "reason": reason, "date": day},
        body=body,
    )
    return structure(result["refund"], Refund, converter=session.converter())


def list_refunds(
    session: Session,
    *,
    customer: str | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    limit: int | None = None,
) -> list[Refund]:
    """Refunds paid out, in order (``Book.list_refunds``).

    A refund an approval held names its requester, request date and approver (the
    four eyes); one run directly names its actor as both.
    """
    store = session.store
    found = []
    check_page(start, end, limit)
    rows = payments_table.refund_rows(
        store,
        customer=customer,
        start=None if start is None else start.isoformat(),
        end=None if end is None else end.isoformat(),
        limit=limit,
    )
    for row in rows:
        actor = audit_table.first_actor(store, row.id)
        asked, asked_on, decided = actor, row.date, actor
        if row.approval is not None:
            request = structure(
                as_json(row.approval), ApprovalRequest, converter=session.converter()
            )
            asked, asked_on = request.requested_by, request.requested_on
            decided = request.decided_by or actor
        found.append(
            Refund(
                RefundId(row.id),
                CustomerId(row.customer),
                row.source,
                money(row.amount_minor, row.currency),
                requested_on=asked_on,
                requested_by=asked,
                reason=row.memo,
                status=RefundStatus.PAID,
                decided_by=decided,
                decided_on=row.date,
                paid_on=row.date,
            )
        )
    return found
