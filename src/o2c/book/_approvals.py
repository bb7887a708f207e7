"""Approvals on the Book: policies, roles, and commands held for a second pair of eyes.

Commands that a policy can hold (refunds, write-offs, credit notes, manual invoices, voids
of issued documents, long extensions) run at once under the threshold; above it they store a pending
:class:`~o2c.cases.ApprovalRequest` with the command's arguments and run only when
someone other than the requester approves it (:meth:`ApprovalsMixin.approve_request`),
in the approval's own transaction, so a refused approval changes nothing.

This module decides requests (:func:`approve_request`, :func:`reject_request`) and holds
the area's facade; the policies are in :mod:`o2c.book._policies`, the roles in
:mod:`o2c.book._roles`, holding a command in :mod:`o2c.book._approval_requests` and the
gated commands in :mod:`o2c.book._approval_gates`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import attrs

from o2c.billing import Document, DocumentKind, NumberSeries, ReasonCode
from o2c.book import _approval_gates as gates
from o2c.book import _approval_requests as requests
from o2c.book import _issuing as issuing
from o2c.book import _policies as policies
from o2c.book import _refunds as refunds
from o2c.book import _roles as roles
from o2c.book import _writeoffs as writeoffs
from o2c.book._area import Area
from o2c.book._disputes import credit_dispute_approved
from o2c.book._extensions import decide_extension
from o2c.book._session import Session, Touched
from o2c.calendar import BusinessCalendar
from o2c.cases import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    Role,
    RoleAssignment,
    SlaPolicy,
    approve,
)
from o2c.cases import (
    reject_request as reject,
)
from o2c.errors import InvalidState
from o2c.io import structure
from o2c.ledger import Refund, WriteOff, WriteOffReason
from o2c.money import Money

__all__ = ["ApprovalDecision", "ApprovalsMixin", "approve_request", "reject_request"]


@attrs.frozen(slots=True)
class ApprovalDecision:
    """What deciding an approval request did.

    Attributes:
        request: The request, approved or rejected.
        result_id: What running the held command created or changed (the refund,
            write-off, credit note, invoice or extension id); ``None`` on a rejection.
    """

    request: ApprovalRequest
    result_id: str | None = None


def approve_request(
    session: Session,
    approval_id: str,
    *,
    comment: str = "",
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> ApprovalDecision:
    """Approve a pending request and run what it holds; see :meth:`o2c.Book.approve_request`."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        request = requests.get_approval(session, approval_id)
        decided = approve(request, who, roles.person_roles(session, who), comment, on=day)
        result = run_held(session, decided, day)
        requests.save_decision(session, decided, result)
        touched.add(decided.id, *([result] if result else []))
        return {"result": result}

    outcome = session.run(
        "approve_request",
        actor=actor,
        key=idempotency_key,
        args={"approval_id": approval_id, "comment": comment, "date": day},
        body=body,
    )
    return ApprovalDecision(requests.get_approval(session, approval_id), outcome["result"])


def reject_request(
    session: Session,
    approval_id: str,
    *,
    comment: str,
    date: dt.date | None = None,
    actor: str | None = None,
    idempotency_key: str | None = None,
) -> ApprovalDecision:
    """Reject a pending request; see :meth:`o2c.Book.reject_request`."""
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        who = session.who(actor)
        request = requests.get_approval(session, approval_id)
        decided = reject(request, who, roles.person_roles(session, who), comment, on=day)
        result = None
        if decided.action is ApprovalAction.EXTENSION:
            result = decide_extension(session, decided)
        requests.save_decision(session, decided, result)
        touched.add(decided.id)
        return {"result": result}

    outcome = session.run(
        "reject_request",
        actor=actor,
        key=idempotency_key,
        args={"approval_id": approval_id, "comment": comment, "date": day},
        body=body,
    )
    return ApprovalDecision(requests.get_approval(session, approval_id), outcome["result"])


def run_held(session: Session, request: ApprovalRequest, day: dt.date) -> str | None:
    """Run the command an approved request holds; return the id of what it made.

    The held command runs as its requester, past the policy's gate: this approval is
    what it waited for.

    Raises:
        InvalidState: The request holds a command this book does not know.
    """
    payload = json.loads(request.payload or "{}")
    command, args = payload.get("command"), payload.get("args", {})
    by = request.requested_by
    if command == "refund":
        refund = refunds.refund(
            session,
            args["source"],
            structure(args["amount"], Money),
            reason=args["reason"],
            date=day,
            method=args["method"],
            actor=by,
            idempotency_key=None,
            approved=True,
        )
        return str(refund.id)
    if command == "write_off":
        amount = args.get("amount")
        done = writeoffs.write_off(
            session,
            args["document"],
            None if amount is None else structure(amount, Money),
            reason=args["reason"],
            memo=args["memo"],
            date=day,
            actor=by,
            idempotency_key=None,
            approved=True,
        )
        return str(done.id)
    if command == "credit_note":
        note = requests.issue_credit_note(session, args, day, by, approved=True)
        return str(note.id)
    if command in ("manual_invoice", "issue_document"):
        issued = issuing.issue_document(
            session,
            args["document_id"],
            issue_date=day,
            actor=by,
            idempotency_key=None,
            approved=True,
        )
        return str(issued.id)
    if command == "void_document":
        voided = issuing.void_document(
            session,
            args["document_id"],
            reason=args["reason"],
            date=day,
            actor=by,
            idempotency_key=None,
            approved=True,
        )
        return str(voided.id)
    if command == "extension":
        return decide_extension(session, request)
    if command == "credit_dispute":
        return credit_dispute_approved(session, args, day, by)
    raise InvalidState(f"approval {request.id} holds an unknown command {command!r}")


class ApprovalsMixin(Area):
    """Policies, roles, approval requests and the gated commands."""

    def policy_settings(self) -> dict[str, str]:
        """The operations settings (``approval.*``, ``extension.*``, ``sla.*``, ``calendar.*``)."""
        return policies.policy_settings(self._session)

    def approval_policy(self) -> ApprovalPolicy:
        """The book's approval policy (no thresholds, 30-day extensions by default)."""
        return policies.approval_policy(self._session)

    def sla_policy(self) -> SlaPolicy:
        """The book's dispute SLA policy (10 business days by default)."""
        return policies.sla_policy(self._session)

    def business_calendar(self) -> BusinessCalendar:
        """The working days SLAs count in (``calendar.country``, Mexico by default)."""
        return policies.business_calendar(self._session)

    def set_policy_settings(
        self, settings: Mapping[str, str], *, replace: bool = False, actor: str | None = None
    ) -> dict[str, str]:
        """Change operations settings (keys of the operations guide's policy table).

        Args:
            settings: ``key = value`` pairs; an empty value removes the key.
            replace: Remove every other ``approval.*`` and ``sla.*`` key first.
            actor: Who changes them (a controller once the book has one).

        Returns:
            The operations settings afterwards.

        Raises:
            ValidationError: A key is not an operations setting or a value is not valid
                (nothing is changed).
            PermissionDenied: The book has a controller and ``actor`` is not one.
        """
        return policies.set_policy_settings(self._session, settings, replace=replace, actor=actor)

    def set_number_series(
        self, kind: DocumentKind | str, pattern: str | None, *, actor: str | None = None
    ) -> NumberSeries:
        """Number documents of ``kind`` with ``pattern`` from now on (``None``: the default).

        A pattern has one ``{seq}`` (``{seq:06}`` pads it) and may have ``{year}``,
        ``{yy}`` and ``{month}``, e.g. ``F-{yy}{month}-{seq:05}``. Counters are kept per
        series (``INV``, ``CN``, ``DN``) and, when the pattern has them, per year or
        month, so each stays gapless and numbers stay unique across a change of pattern
        (one that keeps its counter goes on where the old one stopped). Only a
        controller may change it, once the book has one.

        Raises:
            ValidationError: A bad kind or pattern (nothing changes).
            PermissionDenied: The actor is not a controller.
        """
        return policies.set_number_series(self._session, kind, pattern, actor=actor)

    def set_approval_policy(
        self, policy: ApprovalPolicy, *, actor: str | None = None
    ) -> ApprovalPolicy:
        """Replace the approval thresholds and extension limit with ``policy``."""
        return policies.set_approval_policy(self._session, policy, actor=actor)

    def set_sla_policy(self, policy: SlaPolicy, *, actor: str | None = None) -> SlaPolicy:
        """Replace the dispute SLA policy with ``policy``."""
        return policies.set_sla_policy(self._session, policy, actor=actor)

    def roles(self, person: str | None = None) -> list[RoleAssignment]:
        """Role assignments, of everyone or of ``person`` (sorted by person, role)."""
        return roles.roles(self._session, person)

    def roles_of(self, person: str) -> frozenset[Role]:
        """The roles ``person`` holds (names compared ignoring case)."""
        return roles.person_roles(self._session, person)

    def assign_role(
        self,
        person: str,
        role: Role | str,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RoleAssignment:
        """Give ``person`` a role (specialist, lead, controller or auditor).

        A book without roles is open (someone sets it up); until it has a controller
        anyone holding a role may assign roles; afterwards only a controller may (the
        permission matrix, :mod:`o2c.cases.permissions`). Once the book has roles,
        every command needs one (deny by default).

        Raises:
            CommandNotPermitted: The book has a controller and ``actor`` is not one.
            ValidationError: Unknown role or empty name.
        """
        return roles.assign_role(
            self._session,
            person,
            role,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def revoke_role(self, person: str, role: Role | str, *, actor: str | None = None) -> None:
        """Take a role away from ``person`` (a controller's command once one exists).

        Raises:
            NotFound: ``person`` does not hold ``role``.
        """
        roles.revoke_role(self._session, person, role, actor=actor)

    def get_approval(self, approval_id: str) -> ApprovalRequest:
        """The approval request with this id.

        Raises:
            NotFound: No such request.
        """
        return requests.get_approval(self._session, approval_id)

    def list_approvals(
        self,
        *,
        status: ApprovalStatus | str | None = None,
        action: ApprovalAction | str | None = None,
    ) -> list[ApprovalRequest]:
        """Approval requests, oldest first, optionally only one status or action."""
        return requests.list_approvals(self._session, status=status, action=action)

    def approve_request(
        self,
        approval_id: str,
        *,
        comment: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> ApprovalDecision:
        """Approve a pending request and run the command it holds, in one transaction.

        The held command runs as its requester (who asked for it) on ``date``; the
        approval's audit event names the approver.

        Raises:
            SegregationOfDuties: The approver requested it (nothing changes).
            PermissionDenied: The approver lacks the required role.
            InvalidState: The request is already decided, or the command cannot run any
                more (the credit was used meanwhile...); nothing changes.
        """
        return approve_request(
            self._session,
            approval_id,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def reject_request(
        self,
        approval_id: str,
        *,
        comment: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> ApprovalDecision:
        """Reject a pending request: the held command never runs (comment required).

        Raises:
            SegregationOfDuties: The approver requested it.
            PermissionDenied: The approver lacks the required role.
            ValidationError: No comment.
        """
        return reject_request(
            self._session,
            approval_id,
            comment=comment,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_refund(
        self,
        source: str,
        amount: Money,
        *,
        reason: str,
        date: dt.date | None = None,
        method: str = "bank_transfer",
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Refund | ApprovalRequest:
        """Refund customer credit, or hold the refund for approval above the policy's limit.

        Returns:
            The paid :class:`~o2c.ledger.Refund`, or the pending request.
        """
        return gates.request_refund(
            self._session,
            source,
            amount,
            reason=reason,
            date=date,
            method=method,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_write_off(
        self,
        document: str,
        amount: Money | None = None,
        *,
        reason: WriteOffReason | str = WriteOffReason.UNCOLLECTIBLE,
        memo: str = "",
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> WriteOff | ApprovalRequest:
        """Write off (part of) an invoice, or hold it for approval above the policy's limit.

        The amount measured against the policy is ``amount``, or all that is open.
        """
        return gates.request_write_off(
            self._session,
            document,
            amount,
            reason=reason,
            memo=memo,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_credit_note(
        self,
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
        """Issue a credit note, or hold it for approval when its total is above the limit.

        The amount measured is the credit note's payable total (what it takes off the
        customer's balance), computed from the invoice as :meth:`create_credit_note` would.
        """
        return gates.request_credit_note(
            self._session,
            invoice,
            reason=reason,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_manual_invoice(
        self,
        document_id: str,
        *,
        issue_date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document | ApprovalRequest:
        """Issue a manual (non-bill-run) draft invoice, or hold it above the policy's limit.

        The amount measured is the draft's payable total. An approved invoice is issued
        on the approval date. The same as :meth:`request_issue`, which also takes a draft
        credit note.
        """
        return gates.request_issue(
            self._session,
            document_id,
            issue_date=issue_date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_void(
        self,
        document: str,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document | ApprovalRequest:
        """Void an issued document, or hold the void for approval above the policy's limit.

        The amount measured is the document's payable total against ``approval.void.<CUR>``.
        A held void runs when another person approves it, dated the day of the decision;
        :meth:`void_document` above the limit raises :class:`~o2c.errors.ApprovalRequired`
        instead.

        Returns:
            The voided document, or the pending request.

        Raises:
            ValidationError: No reason.
            InvalidState: The document cannot be voided (not issued, or a payment or
                credit touched it).
        """
        return gates.request_void(
            self._session,
            document,
            reason=reason,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def request_issue(
        self,
        document_id: str,
        *,
        issue_date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document | ApprovalRequest:
        """Issue a draft under the approval policy, or hold it for approval.

        A draft credit note is measured against the credit-note threshold, a manual
        invoice (an invoice no bill run made: no bill-run key and no bill run) against
        the manual-invoice threshold, both by their payable total. Other drafts (bill-run
        invoices, debit notes) are issued at once, as :meth:`issue_document` does.

        Returns:
            The issued document, or the pending request.

        Raises:
            InvalidState: The document is not a draft.
        """
        return gates.request_issue(
            self._session,
            document_id,
            issue_date=issue_date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    # -- shims for other areas ----------------------------------------------------------
