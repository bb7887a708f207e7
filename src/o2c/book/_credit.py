"""Credit limits on the Book: a customer's exposure, and the approval to exceed it.

The pure rule is :class:`o2c.credit.CreditCheck`; here the book feeds it the customer's
balance (open items and unused credit in the limit's currency) and whether dunning put it
on credit hold (the same rule as :meth:`o2c.Book.credit_holds`, for one customer).

Issuing a manual invoice that is blocked (over the limit, or to a customer on hold) needs
an approval: :func:`require_credit_approval` refuses it in the base command, and
:func:`credit_request` holds it as a pending ``manual_invoice`` request that a lead or
controller approves (the requester may not).
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from o2c.billing import Document
from o2c.book._approval_requests import get_approval, new_id, save_request
from o2c.book._area import Area
from o2c.book._customers import get_customer, load_customers
from o2c.book._reports import balances, open_items_with_cases
from o2c.book._session import Session, Touched
from o2c.book._tables import collections as collections_table
from o2c.book._tables import dunning as dunning_table
from o2c.book._tables import settings as settings_table
from o2c.cases import ApprovalAction, ApprovalRequest, Role
from o2c.credit import BILL_RUN_SETTING, CreditAction, CreditCheck, bill_run_action
from o2c.dunning import on_credit_hold
from o2c.errors import ApprovalRequired, InvalidState
from o2c.ids import ApprovalId, CustomerId
from o2c.io import to_plain
from o2c.money import Currency, Money
from o2c.parties import Customer

__all__ = [
    "CreditMixin",
    "bill_run_credit",
    "bill_run_credit_action",
    "credit_check",
    "credit_request",
    "on_hold",
    "require_credit_approval",
]

#: Who approves credit past a limit or a hold: a lead (or a controller).
CREDIT_APPROVER: Role = Role.LEAD


def on_hold(session: Session, customer: str, day: dt.date) -> bool:
    """Whether dunning's credit hold is on ``customer`` on ``day``."""
    held = dunning_table.credit_hold_items(session.store, day, customer)
    if not held:
        return False
    return bool(on_credit_hold(held, open_items_with_cases(session, day, customer=customer)))


def credit_check(
    session: Session, customer: str, candidate: Money | None, day: dt.date
) -> CreditCheck:
    """``customer``'s credit on ``day`` with ``candidate`` (see the facade)."""
    person = get_customer(session, customer)
    limit = person.credit_limit
    currency: Currency = limit.currency if limit is not None else person.currency
    receivable = unapplied = Money.zero(currency)
    for row in balances(session, day, customer=customer):
        if row.currency == currency:
            receivable, unapplied = row.receivable, row.unapplied
    return CreditCheck(
        CustomerId(customer),
        limit,
        receivable=receivable,
        unapplied=unapplied,
        candidate=candidate if candidate is not None else Money.zero(currency),
        on_hold=on_hold(session, customer, day),
    )


def bill_run_credit_action(session: Session) -> CreditAction:
    """What a bill run does with a blocked invoice (the ``credit.bill_run`` setting)."""
    return bill_run_action(settings_table.with_prefix(session.store, BILL_RUN_SETTING))


def bill_run_credit(session: Session, run_id: str, day: dt.date) -> list[CreditCheck]:
    """The customers bill run ``run_id`` invoiced whose credit is now blocked: over
    their limit with the run's invoices, or on credit hold (``[]`` when the
    ``credit.bill_run`` setting is ``off``)."""
    if bill_run_credit_action(session) is CreditAction.OFF:
        return []
    hold_items = dunning_table.credit_hold_items(session.store, day)
    held = sorted({c for c, _ in hold_items})
    ids = collections_table.run_customers_to_check(session.store, run_id, held)
    if not ids:
        return []
    # In bulk, not per customer: one read of the customers and one of the balances.
    people: dict[str, Customer] = {}
    load_customers(session, ids, people)
    figures = {(str(b.customer), b.currency.code): b for b in balances(session, day)}
    on = {
        c
        for c in held
        if c in people
        and on_credit_hold(
            [(h, d) for h, d in hold_items if h == c],
            open_items_with_cases(session, day, customer=c),
        )
    }
    found = []
    for cid in ids:
        person = people[cid]
        limit = person.credit_limit
        currency = limit.currency if limit is not None else person.currency
        row = figures.get((cid, currency.code))
        zero = Money.zero(currency)
        check = CreditCheck(
            CustomerId(cid),
            limit,
            receivable=zero if row is None else row.receivable,
            unapplied=zero if row is None else row.unapplied,
            candidate=zero,
            on_hold=cid in on,
        )
        if check.blocked:
            found.append(check)
    return found


def require_credit_approval(session: Session, document: Document, day: dt.date) -> None:
    """Refuse to issue a manual invoice that is over the customer's limit or on hold.

    Raises:
        ApprovalRequired: It is blocked; nothing was done.
    """
    check = credit_check(session, document.customer.customer_id, document.totals.payable, day)
    if check.reason is None:
        return
    raise ApprovalRequired(
        "manual invoice",
        None,
        check.reason,
        hint=(
            "nothing was done: request it with Book.request_manual_invoice() or "
            "`o2c approval request invoice DRAFT`, then a lead or controller approves it"
        ),
        amount=check.exposure,
        limit=check.limit,
    )


def credit_request(
    session: Session,
    draft: Document,
    reason: str,
    *,
    day: dt.date,
    actor: str | None,
    idempotency_key: str | None,
) -> ApprovalRequest:
    """Hold issuing ``draft`` as a pending ``manual_invoice`` request, for ``reason``."""
    total = draft.totals.payable

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        approval_id = ApprovalId(new_id(session, "approval", "APR"))
        args = {"document_id": draft.id}
        payload = json.dumps({"command": "manual_invoice", "args": to_plain(args)}, sort_keys=True)
        request = ApprovalRequest(
            id=approval_id,
            action=ApprovalAction.MANUAL_INVOICE,
            requested_by=who,
            requested_on=day,
            reason=reason,
            subject_id=draft.id,
            amount=total,
            summary=(
                f"issue manual invoice {draft.id} of {total} to"
                f" {draft.customer.customer_id} past its credit ({reason})"
            ),
            payload=payload,
            required_role=CREDIT_APPROVER,
        )
        save_request(session, request)
        touched.add(approval_id, draft.id)
        return {"id": approval_id}

    result = session.run(
        "request_manual_invoice",
        actor=actor,
        key=idempotency_key,
        args={"command": "manual_invoice", "args": {"document_id": draft.id}},
        body=body,
    )
    found = get_approval(session, result["id"])
    if found.action is not ApprovalAction.MANUAL_INVOICE:  # pragma: no cover - key reuse
        raise InvalidState(f"approval {found.id} is not a manual invoice")
    return found


class CreditMixin(Area):
    """Customer credit: exposure against the credit limit, and credit holds."""

    def bill_run_credit(self, run_id: str, *, as_of: dt.date | None = None) -> list[CreditCheck]:
        """The customers bill run ``run_id`` invoiced whose credit is blocked on ``as_of``
        (today by default): over their limit with the run's invoices, or on credit hold.

        The bill run reports the same as warnings (``BillRunResult.credit_warnings``)
        unless the ``credit.bill_run`` setting is ``off``.
        """
        with self._session.store.transaction(write=False):
            return bill_run_credit(self._session, run_id, as_of or self._session.today())

    def credit_check(
        self,
        customer: str,
        *,
        amount: Money | None = None,
        as_of: dt.date | None = None,
    ) -> CreditCheck:
        """``customer``'s credit on ``as_of`` (today by default), with an invoice of
        ``amount`` about to be made.

        The exposure is the customer's open items less its unused credit in the limit's
        currency, plus ``amount``; the invoice is blocked when that is over
        ``Customer.credit_limit`` or when dunning put the customer on credit hold
        (:attr:`o2c.credit.CreditCheck.reason` says why).

        Raises:
            NotFound: No such customer.
        """
        with self._session.store.transaction(write=False):
            return credit_check(self._session, customer, amount, as_of or self._session.today())
