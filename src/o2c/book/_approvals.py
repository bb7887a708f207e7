"""Approvals on the Book: policies, roles, and commands held for a second pair of eyes.

Commands that a policy can hold (refunds, write-offs, credit notes, manual invoices, long
extensions) run at once under the threshold; above it they store a pending
:class:`~o2c.cases.ApprovalRequest` with the command's arguments and run only when
someone other than the requester approves it (:meth:`ApprovalsMixin.approve_request`),
in the approval's own transaction, so a refused approval changes nothing.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

import attrs

from o2c.billing import Document, DocumentKind, DocumentStatus, NumberSeries, ReasonCode
from o2c.billing.corrections import credit_note_for
from o2c.book._base import Touched
from o2c.book._codec import as_json
from o2c.book._documents import document_kind
from o2c.book._reports import ReportsMixin
from o2c.calendar import BusinessCalendar
from o2c.cases import (
    ApprovalAction,
    ApprovalPolicy,
    ApprovalRequest,
    ApprovalStatus,
    Role,
    RoleAssignment,
    SlaPolicy,
    approval_policy_from_settings,
    approval_policy_settings,
    approval_reason,
    approve,
    reject_request,
    request_approval,
    roles_of,
    sla_policy_from_settings,
    sla_policy_settings,
)
from o2c.errors import InvalidState, NotFound, PermissionDenied, ValidationError
from o2c.ids import ApprovalId, DocumentId
from o2c.io import structure, to_plain
from o2c.ledger import Refund, WriteOff, WriteOffReason
from o2c.money import Money

__all__ = ["ApprovalDecision", "ApprovalsMixin", "credit_args", "dump"]

#: Settings prefixes that hold operations policies (see the operations guide).
_POLICY_PREFIXES: Final = ("approval.", "extension.", "sla.", "calendar.")
_CALENDAR_COUNTRY: Final = "calendar.country"
_CALENDAR_SUBDIVISION: Final = "calendar.subdivision"
_NO_COUNTRY: Final = "none"


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


def dump(value: object) -> str:
    return json.dumps(to_plain(value), sort_keys=True, separators=(",", ":"))


def _approval(row: Sequence[Any]) -> ApprovalRequest:
    return structure(as_json(row[0]), ApprovalRequest)


class ApprovalsMixin(ReportsMixin):
    """Policies, roles, approval requests and the gated commands."""

    # -- policies ------------------------------------------------------------------------

    def policy_settings(self) -> dict[str, str]:
        """The operations settings (``approval.*``, ``extension.*``, ``sla.*``, ``calendar.*``)."""
        rows = self._store.query("SELECT key, value FROM settings ORDER BY key")
        return {str(k): str(v) for k, v in rows if str(k).startswith(_POLICY_PREFIXES)}

    def approval_policy(self) -> ApprovalPolicy:
        """The book's approval policy (no thresholds, 30-day extensions by default)."""
        return approval_policy_from_settings(self.policy_settings())

    def sla_policy(self) -> SlaPolicy:
        """The book's dispute SLA policy (10 business days by default)."""
        return sla_policy_from_settings(self.policy_settings())

    def business_calendar(self) -> BusinessCalendar:
        """The working days SLAs count in (``calendar.country``, Mexico by default)."""
        settings = self.policy_settings()
        country = settings.get(_CALENDAR_COUNTRY, "MX")
        return BusinessCalendar(
            None if country.lower() == _NO_COUNTRY else country,
            settings.get(_CALENDAR_SUBDIVISION) or None,
        )

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
        for key in settings:
            if not key.startswith(_POLICY_PREFIXES):
                raise ValidationError(key, settings[key], "an approval., extension., sla. key")

        def body(touched: Touched) -> dict[str, Any]:
            self._require_controller(self._who(actor), "change the policies")
            merged = self.policy_settings()
            if replace:
                merged = {
                    k: v for k, v in merged.items() if not k.startswith(("approval.", "sla."))
                }
            merged.update(settings)
            merged = {k: v for k, v in merged.items() if v.strip()}
            approval_policy_from_settings(merged)
            sla_policy_from_settings(merged)
            # The SLA calendar checks its country and subdivision when made.
            country = merged.get(_CALENDAR_COUNTRY, "MX")
            BusinessCalendar(
                None if country.lower() == _NO_COUNTRY else country,
                merged.get(_CALENDAR_SUBDIVISION) or None,
            )
            self._store.execute(
                "DELETE FROM settings WHERE key LIKE 'approval.%' OR key LIKE 'extension.%'"
                " OR key LIKE 'sla.%' OR key LIKE 'calendar.%'"
            )
            for key, value in sorted(merged.items()):
                self._set_setting(key, value.strip())
            touched.extend(sorted(merged))
            return {}

        self._run(
            "set_policy_settings",
            actor=actor,
            key=None,
            args={"settings": dict(settings), "replace": replace},
            body=body,
        )
        return self.policy_settings()

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
        kind = document_kind(kind)
        if pattern is not None:
            # Check the pattern before anything runs.
            NumberSeries(self.number_series(kind).code, pattern)
        key = f"numbering.{kind.value}"

        def body(touched: Touched) -> dict[str, Any]:
            self._require_controller(self._who(actor), "change number series")
            if pattern is None:
                self._store.execute("DELETE FROM settings WHERE key = ?", (key,))
            else:
                self._set_setting(key, pattern)
            touched.add(key)
            return {}

        self._run(
            "set_number_series",
            actor=actor,
            key=None,
            args={"kind": kind.value, "pattern": pattern},
            body=body,
        )
        return self.number_series(kind)

    def set_approval_policy(
        self, policy: ApprovalPolicy, *, actor: str | None = None
    ) -> ApprovalPolicy:
        """Replace the approval thresholds and extension limit with ``policy``."""
        settings = approval_policy_settings(policy)
        current = self.policy_settings()
        for key in current:
            if key.startswith("approval.") and key not in settings:
                settings[key] = ""
        self.set_policy_settings(settings, actor=actor)
        return self.approval_policy()

    def set_sla_policy(self, policy: SlaPolicy, *, actor: str | None = None) -> SlaPolicy:
        """Replace the dispute SLA policy with ``policy``."""
        settings = sla_policy_settings(policy)
        for key in self.policy_settings():
            if key.startswith("sla.") and key not in settings:
                settings[key] = ""
        self.set_policy_settings(settings, actor=actor)
        return self.sla_policy()

    # -- roles ---------------------------------------------------------------------------

    def roles(self, person: str | None = None) -> list[RoleAssignment]:
        """Role assignments, of everyone or of ``person`` (sorted by person, role)."""
        rows = self._store.query("SELECT actor, role FROM actor_roles ORDER BY actor, role")
        found = [RoleAssignment(str(a), Role(str(r))) for a, r in rows]
        if person is None:
            return found
        return [a for a in found if roles_of(person, [a])]

    def roles_of(self, person: str) -> frozenset[Role]:
        """The roles ``person`` holds (names compared ignoring case)."""
        return roles_of(person, self.roles())

    def _require_controller(self, who: str, what: str) -> None:
        controllers = self._store.query_one(
            "SELECT COUNT(*) FROM actor_roles WHERE role = ?", (Role.CONTROLLER.value,)
        )
        if controllers and int(controllers[0]) and Role.CONTROLLER not in self.roles_of(who):
            raise PermissionDenied(f"{who} is not a controller; only a controller may {what}")

    def assign_role(
        self,
        person: str,
        role: Role | str,
        *,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> RoleAssignment:
        """Give ``person`` a role (specialist, lead, controller or auditor).

        Until the book has a controller anyone may assign roles (to set the book up);
        afterwards only a controller may.

        Raises:
            PermissionDenied: The book has a controller and ``actor`` is not one.
            ValidationError: Unknown role or empty name.
        """
        wanted = _role(role)
        assignment = RoleAssignment(person, wanted)

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            self._require_controller(who, "assign roles")
            self._store.execute(
                "INSERT INTO actor_roles (actor, role, granted_by, granted_at) VALUES (?, ?, ?, ?)"
                " ON CONFLICT (actor, role) DO NOTHING",
                (assignment.actor, wanted.value, who, self._now().isoformat()),
            )
            touched.add(assignment.actor)
            return {}

        self._run(
            "assign_role",
            actor=actor,
            key=idempotency_key,
            args={"person": assignment.actor, "role": wanted},
            body=body,
        )
        return assignment

    def revoke_role(self, person: str, role: Role | str, *, actor: str | None = None) -> None:
        """Take a role away from ``person`` (a controller's command once one exists).

        Raises:
            NotFound: ``person`` does not hold ``role``.
        """
        wanted = _role(role)

        def body(touched: Touched) -> dict[str, Any]:
            self._require_controller(self._who(actor), "revoke roles")
            gone = self._store.execute(
                "DELETE FROM actor_roles WHERE actor = ? AND role = ?",
                (person.strip(), wanted.value),
            )
            if not gone:
                raise NotFound("role assignment", f"{person} {wanted.value}")
            touched.add(person.strip())
            return {}

        self._run(
            "revoke_role", actor=actor, key=None, args={"person": person, "role": wanted}, body=body
        )

    # -- approvals -----------------------------------------------------------------------

    def _doc_id(self, id_or_number: str) -> str:
        row = self._store.query_one(
            "SELECT id FROM documents WHERE id = ? OR number = ?", (id_or_number, id_or_number)
        )
        if row is None:
            raise NotFound("document", id_or_number)
        return str(row[0])

    def _new_id(self, counter: str, prefix: str) -> str:
        return f"{prefix}{self._next_numbers(counter):010d}"

    def get_approval(self, approval_id: str) -> ApprovalRequest:
        """The approval request with this id.

        Raises:
            NotFound: No such request.
        """
        row = self._store.query_one("SELECT data FROM approvals WHERE id = ?", (approval_id,))
        if row is None:
            raise NotFound("approval", approval_id, hint="list them with list_approvals()")
        return _approval(row)

    def list_approvals(
        self,
        *,
        status: ApprovalStatus | str | None = None,
        action: ApprovalAction | str | None = None,
    ) -> list[ApprovalRequest]:
        """Approval requests, oldest first, optionally only one status or action."""
        where, params = [], []
        if status is not None:
            where.append("status = ?")
            params.append(ApprovalStatus(status).value)
        if action is not None:
            where.append("action = ?")
            params.append(ApprovalAction(action).value)
        clause = (" WHERE " + " AND ".join(where)) if where else ""
        rows = self._store.query(f"SELECT data FROM approvals{clause} ORDER BY id", params)
        return [_approval(r) for r in rows]

    def _write_approval(
        self, request: ApprovalRequest, *, insert: bool, result: str | None
    ) -> None:
        amount = request.amount
        decided_at = None if request.status is ApprovalStatus.PENDING else self._now().isoformat()
        values = (
            request.status.value,
            request.decided_by,
            decided_at,
            None if request.required_role is None else request.required_role.value,
            request.comment,
            dump(request),
            result,
        )
        if insert:
            self._store.execute(
                "INSERT INTO approvals (id, action, subject_id, currency, amount_minor,"
                " requested_by, requested_at, reason, payload, status, decided_by, decided_at,"
                " role, comment, data, result_id)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    request.id,
                    request.action.value,
                    request.subject_id,
                    None if amount is None else amount.currency.code,
                    None if amount is None else abs(amount).minor_units,
                    request.requested_by,
                    self._now().isoformat(),
                    request.reason,
                    request.payload or "{}",
                    *values,
                ),
            )
        else:
            self._store.execute(
                "UPDATE approvals SET status = ?, decided_by = ?, decided_at = ?, role = ?,"
                " comment = ?, data = ?, result_id = ? WHERE id = ? AND status = 'pending'",
                (*values, request.id),
            )

    def _hold(
        self,
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
    ) -> ApprovalRequest:
        """Store a pending request to run ``command`` with ``args`` once approved."""

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            if check is not None:
                check()
            approval_id = ApprovalId(self._new_id("approval", "APR"))
            payload = json.dumps({"command": command, "args": to_plain(dict(args))}, sort_keys=True)
            request = request_approval(
                approval_id,
                policy=self.approval_policy(),
                action=action,
                requested_by=who,
                requested_on=day,
                amount=amount,
                subject_id=subject,
                summary=summary,
                payload=payload,
            )
            if request is None:  # the policy changed since the caller looked: run it now
                raise InvalidState(f"{command} no longer needs approval; run it again")
            self._write_approval(request, insert=True, result=None)
            touched.add(approval_id, subject)
            return {"id": approval_id}

        result = self._run(
            f"request_{command}",
            actor=actor,
            key=idempotency_key,
            args={"command": command, "args": dict(args)},
            body=body,
        )
        return self.get_approval(result["id"])

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
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            request = self.get_approval(approval_id)
            decided = approve(request, who, self.roles_of(who), comment, on=day)
            result = self._run_held(decided, day)
            self._write_approval(decided, insert=False, result=result)
            touched.add(decided.id, *([result] if result else []))
            return {"result": result}

        outcome = self._run(
            "approve_request",
            actor=actor,
            key=idempotency_key,
            args={"approval_id": approval_id, "comment": comment, "date": day},
            body=body,
        )
        return ApprovalDecision(self.get_approval(approval_id), outcome["result"])

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
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            who = self._who(actor)
            request = self.get_approval(approval_id)
            decided = reject_request(request, who, self.roles_of(who), comment, on=day)
            result = None
            if decided.action is ApprovalAction.EXTENSION:
                result = self._decide_extension(decided)
            self._write_approval(decided, insert=False, result=result)
            touched.add(decided.id)
            return {"result": result}

        outcome = self._run(
            "reject_request",
            actor=actor,
            key=idempotency_key,
            args={"approval_id": approval_id, "comment": comment, "date": day},
            body=body,
        )
        return ApprovalDecision(self.get_approval(approval_id), outcome["result"])

    def _run_held(self, request: ApprovalRequest, day: dt.date) -> str | None:
        """Run the command an approved request holds; return the id of what it made."""
        payload = json.loads(request.payload or "{}")
        command, args = payload.get("command"), payload.get("args", {})
        by = request.requested_by
        # The held command runs past the policy's gate: this approval is what it waited for.
        if command == "refund":
            refund = self._refund(
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
            done = self._write_off(
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
            note = self._credit_note(args, day, by, approved=True)
            return str(note.id)
        if command in ("manual_invoice", "issue_document"):
            issued = self._issue_document(
                args["document_id"],
                issue_date=day,
                actor=by,
                idempotency_key=None,
                approved=True,
            )
            return str(issued.id)
        if command == "extension":
            return self._decide_extension(request)
        if command == "credit_dispute":
            return self._credit_dispute_approved(args, day, by)
        raise InvalidState(f"approval {request.id} holds an unknown command {command!r}")

    def _credit_note(
        self, args: Mapping[str, Any], day: dt.date, by: str, *, approved: bool
    ) -> Document:
        """Issue the credit note ``args`` describe (``approved``: past the policy's gate)."""
        quantities = args.get("quantities")
        amount = args.get("amount")
        return self._create_credit_note(
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

    # -- gated commands ------------------------------------------------------------------

    def _held_reason(
        self, action: ApprovalAction, amount: Money | None, *, days: int | None = None
    ) -> str | None:
        return approval_reason(self.approval_policy(), action, amount, days=days)

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
        day = date or self._today()
        if self._held_reason(ApprovalAction.REFUND, amount) is None:
            return self.refund(
                source,
                amount,
                reason=reason,
                date=day,
                method=method,
                actor=actor,
                idempotency_key=idempotency_key,
            )

        def check() -> None:
            sid = self._source_id(source)
            credit = self._credit_item(sid, day)
            if credit is None:
                raise NotFound("payment or credit note", source)
            if amount > credit.unapplied:
                raise InvalidState(
                    f"refund of {amount} exceeds the {credit.unapplied} unapplied on {source}",
                    document_id=sid,
                )

        return self._hold(
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
        day = date or self._today()
        why = WriteOffReason(reason) if isinstance(reason, str) else reason
        doc_id = self._doc_id(document)
        item = self._open_item(doc_id, day)
        if item is None or not item.open.is_positive:
            raise InvalidState(f"{document} has nothing open on {day}", document_id=doc_id)
        measured = amount if amount is not None else item.open
        if self._held_reason(ApprovalAction.WRITE_OFF, measured) is None:
            return self.write_off(
                document,
                amount,
                reason=why,
                memo=memo,
                date=day,
                actor=actor,
                idempotency_key=idempotency_key,
            )
        return self._hold(
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

    def _credit_total(
        self,
        invoice: str,
        code: ReasonCode,
        quantities: Mapping[int, Decimal | None] | None,
        amount: Money | None,
    ) -> tuple[Document, Money]:
        """Draft (without storing) the credit note, to measure it against the policy."""
        original = self._load_for_update(invoice)
        draft = credit_note_for(
            original,
            self._prior_credits(original.id),
            id=DocumentId("measure"),
            reason=code,
            quantities=quantities,
            amount=amount,
        )
        return original, draft.totals.payable

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
        day = date or self._today()
        code = ReasonCode.parse(reason)
        original, total = self._credit_total(invoice, code, quantities, amount)
        if self._held_reason(ApprovalAction.CREDIT_NOTE, total) is None:
            return self.create_credit_note(
                invoice,
                reason=code,
                quantities=quantities,
                amount=amount,
                reason_text=reason_text,
                date=day,
                actor=actor,
                idempotency_key=idempotency_key,
            )
        return self._hold(
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
        return self.request_issue(
            document_id, issue_date=issue_date, actor=actor, idempotency_key=idempotency_key
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
        day = issue_date or self._today()
        draft = self._load_for_update(document_id)
        if draft.status is not DocumentStatus.DRAFT:
            raise InvalidState(
                f"document {draft.id} is {draft.status.value}, not a draft", document_id=draft.id
            )
        total = draft.totals.payable
        action = self._approval_action(draft)
        if action is None or self._held_reason(action, total) is None:
            return self.issue_document(
                document_id, issue_date=day, actor=actor, idempotency_key=idempotency_key
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
        return self._hold(
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

    # -- what the case commands provide -------------------------------------------------

    def _decide_extension(self, decision: ApprovalRequest) -> str:
        """Apply a decision to the extension it holds; see :class:`CasesMixin`."""
        raise InvalidState(f"approval {decision.id} holds an extension this book cannot apply")

    def _credit_dispute_approved(self, args: Mapping[str, Any], day: dt.date, by: str) -> str:
        """Issue the held credit note of a dispute and resolve it; see :class:`CasesMixin`."""
        raise InvalidState(f"dispute {args.get('dispute_id')} cannot be credited by this book")


def _role(value: Role | str) -> Role:
    if isinstance(value, Role):
        return value
    try:
        return Role(str(value).strip().lower())
    except ValueError:
        names = ", ".join(r.value for r in Role)
        raise ValidationError("role", value, f"one of {names}") from None


def credit_args(
    invoice: str,
    code: ReasonCode,
    quantities: Mapping[int, Decimal | None] | None,
    amount: Money | None,
    reason_text: str,
) -> dict[str, object]:
    return {
        "invoice": invoice,
        "reason": code.value,
        "quantities": None
        if quantities is None
        else {str(k): None if v is None else str(v) for k, v in quantities.items()},
        "amount": amount,
        "reason_text": reason_text,
    }
