"""``o2c approval``: policies, roles, held commands and their four-eyes decisions."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click

from o2c.billing import ReasonCode
from o2c.cases import PERMISSIONS, ApprovalAction, ApprovalRequest, ApprovalStatus, Role
from o2c.cli._app import (
    Context,
    NounGroup,
    idempotency_option,
    natural_idempotency_option,
    pass_context,
)
from o2c.cli._types import AMOUNT, DATE, REF_LINE, RefLine, check_line_amount
from o2c.money import Money

__all__ = ["APPROVAL_COLUMNS", "approval", "approval_request", "approval_row", "pending_row"]

#: The columns of an approval list.
APPROVAL_COLUMNS = (
    "id",
    "action",
    "status",
    "amount",
    "requested_by",
    "requested_on",
    "role",
    "decided_by",
    "summary",
)


def approval_row(request: ApprovalRequest) -> dict[str, object]:
    """One line of an approval list (the payload stays in JSON output only)."""
    return {
        "id": request.id,
        "action": request.action,
        "status": request.status,
        "amount": request.amount,
        "days": request.days,
        "subject": request.subject_id,
        "requested_by": request.requested_by,
        "requested_on": request.requested_on,
        "role": request.required_role,
        "reason": request.reason,
        "summary": request.summary,
        "decided_by": request.decided_by,
        "decided_on": request.decided_on,
        "comment": request.comment,
    }


def pending_row(request: ApprovalRequest) -> dict[str, object]:
    """What a held command prints: the request that waits and why."""
    return {
        "approval": request.id,
        "status": request.status,
        "action": request.action,
        "amount": request.amount,
        "reason": request.reason,
        "needs": request.required_role,
        "summary": request.summary,
    }


def _held(obj: Context, request: ApprovalRequest) -> None:
    obj.emit(pending_row(request), title=f"Pending approval {request.id}: {request.reason}")


@click.group("approval", cls=NounGroup)
def approval() -> None:
    """Approvals: policies and roles, held commands, approve or reject (four eyes)."""


@approval.command("list")
@click.option(
    "--status",
    type=click.Choice([*(s.value for s in ApprovalStatus), "all"]),
    default="pending",
    show_default=True,
)
@click.option("--action", type=click.Choice([a.value for a in ApprovalAction]), help="Only these.")
@pass_context
def approval_list(obj: Context, status: str, action: str | None) -> None:
    """List approval requests (pending ones by default), oldest first."""
    found = obj.book().list_approvals(status=None if status == "all" else status, action=action)
    obj.emit([approval_row(r) for r in found], columns=APPROVAL_COLUMNS)


@approval.command("show")
@click.argument("approval_id")
@pass_context
def approval_show(obj: Context, approval_id: str) -> None:
    """Show approval request APPROVAL_ID."""
    request = obj.book().get_approval(approval_id)
    obj.emit(request if obj.output.value == "json" else approval_row(request))


def _decision(obj: Context, request: ApprovalRequest, result: str | None) -> None:
    row = approval_row(request)
    row["result"] = result
    verb = request.status.value
    obj.emit(row, title=f"{request.id} {verb}" + (f": {result}" if result else ""))


@approval.command("approve")
@click.argument("approval_id")
@click.option("--comment", default="", help="Why it is fine.")
@click.option("--date", type=DATE, help="Decision date; the held command runs on it.")
@idempotency_option
@pass_context
def approval_approve(
    obj: Context,
    approval_id: str,
    comment: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Approve APPROVAL_ID and run the command it holds (never your own request)."""
    decision = obj.book().approve_request(
        approval_id, comment=comment, date=date, idempotency_key=idempotency_key
    )
    _decision(obj, decision.request, decision.result_id)


@approval.command("reject")
@click.argument("approval_id")
@click.option("--comment", required=True, help="Why not.")
@click.option("--date", type=DATE, help="Decision date (default: today).")
@idempotency_option
@pass_context
def approval_reject(
    obj: Context,
    approval_id: str,
    comment: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Reject APPROVAL_ID: the held command never runs."""
    decision = obj.book().reject_request(
        approval_id, comment=comment, date=date, idempotency_key=idempotency_key
    )
    _decision(obj, decision.request, decision.result_id)


@approval.command("policy")
@click.option(
    "--set",
    "pairs",
    multiple=True,
    metavar="KEY=VALUE",
    help="Change a setting, e.g. approval.refund.USD='500.00 lead'; an empty value removes it.",
)
@natural_idempotency_option("setting a value twice leaves it set")
@pass_context
def approval_policy(obj: Context, pairs: tuple[str, ...]) -> None:
    """Show (or change with --set) the approval, extension, SLA and calendar settings."""
    book = obj.book()
    if pairs:
        settings = {}
        for pair in pairs:
            key, sep, value = pair.partition("=")
            if not sep or not key.strip():
                raise click.BadParameter(f"{pair!r}: use KEY=VALUE", param_hint="--set")
            settings[key.strip()] = value
        book.set_policy_settings(settings)
    current = book.policy_settings()
    obj.emit([{"key": k, "value": v} for k, v in current.items()], columns=("key", "value"))


@approval.command("roles")
@click.option("--person", metavar="NAME", help="Only this person's roles.")
@pass_context
def approval_roles(obj: Context, person: str | None) -> None:
    """List who holds which role."""
    found = obj.book().roles(person)
    obj.emit([{"person": a.actor, "role": a.role} for a in found], columns=("person", "role"))


@approval.command("permissions")
@click.option(
    "--role", type=click.Choice([r.value for r in Role]), help="Only what this role may run."
)
@pass_context
def approval_permissions(obj: Context, role: str | None) -> None:
    """List the permission matrix: which roles may run each command.

    A book without roles is open to anyone; once it has one, every command needs a role
    listed here (the auditor's list is empty: it only reads).
    """
    rows = [
        {
            "command": command.value,
            "roles": ", ".join(r.value for r in sorted(p.roles, key=lambda r: r.rank)),
            "what": p.what,
        }
        for command, p in PERMISSIONS.items()
        if role is None or Role(role) in p.roles
    ]
    obj.emit(rows, columns=("command", "roles", "what"))


@approval.command("assign")
@click.argument("person")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@idempotency_option
@pass_context
def approval_assign(obj: Context, person: str, role: str, idempotency_key: str | None) -> None:
    """Give PERSON a ROLE (a controller's command once the book has one).

    From the first assignment on, every command needs a role that permits it
    (`o2c approval permissions`).
    """
    done = obj.book().assign_role(person, role, idempotency_key=idempotency_key)
    obj.emit({"person": done.actor, "role": done.role}, title=f"{done.actor} is a {role}")


@approval.command("revoke")
@click.argument("person")
@click.argument("role", type=click.Choice([r.value for r in Role]))
@natural_idempotency_option("revoking a role twice leaves it revoked")
@pass_context
def approval_revoke(obj: Context, person: str, role: str) -> None:
    """Take ROLE away from PERSON."""
    obj.book().revoke_role(person, role)
    obj.note(f"{person} no longer holds {role}")


@approval.group("request", cls=NounGroup)
def approval_request() -> None:
    """Ask for an action under the policy: it runs at once under the limit, else waits."""


@approval_request.command("credit-note")
@click.argument("invoice")
@click.option("--line", "lines", type=REF_LINE, multiple=True, help="Credit line N or N:QTY.")
@click.option("--amount", type=AMOUNT, help="Net amount to credit (on the --line lines).")
@click.option("--reason", required=True, type=click.Choice([r.value for r in ReasonCode]))
@click.option("--text", "reason_text", default="", help="Explanation for the customer.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def request_credit_note(
    obj: Context,
    invoice: str,
    lines: tuple[RefLine, ...],
    amount: Money | Decimal | None,
    reason: str,
    reason_text: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Credit INVOICE (all, some lines or a net amount), or wait for approval."""
    check_line_amount(lines, amount)
    book = obj.book()
    money = amount
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_document(invoice).currency)
    done = book.request_credit_note(
        invoice,
        reason=reason,
        quantities={line.number: line.quantity for line in lines} or None,
        amount=money if isinstance(money, Money) else None,
        reason_text=reason_text,
        date=date,
        idempotency_key=idempotency_key,
    )
    if isinstance(done, ApprovalRequest):
        _held(obj, done)
        return
    obj.emit(
        {"id": done.id, "number": done.number, "payable": done.totals.payable},
        title=f"Credit note {done.number} issued",
    )


@approval_request.command("invoice")
@click.argument("draft")
@click.option("--date", type=DATE, help="Issue date (default: today).")
@idempotency_option
@pass_context
def request_invoice(
    obj: Context, draft: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Issue DRAFT (a manual invoice or a draft credit note), or wait for approval.

    A manual invoice is measured against the manual-invoice limit, a draft credit note
    against the credit-note limit; bill-run drafts are issued at once.
    """
    done = obj.book().request_issue(draft, issue_date=date, idempotency_key=idempotency_key)
    if isinstance(done, ApprovalRequest):
        _held(obj, done)
        return
    obj.emit(
        {"id": done.id, "number": done.number, "payable": done.totals.payable},
        title=f"{done.kind.value.replace('_', ' ').capitalize()} {done.number} issued",
    )


@approval_request.command("void")
@click.argument("document")
@click.option("--reason", required=True, help="Why it is voided (kept in the audit trail).")
@click.option("--date", type=DATE, help="Date of the reversal (default: today).")
@idempotency_option
@pass_context
def request_void(
    obj: Context, document: str, reason: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Void DOCUMENT, or wait for approval when it is issued and above the void limit."""
    done = obj.book().request_void(
        document, reason=reason, date=date, idempotency_key=idempotency_key
    )
    if isinstance(done, ApprovalRequest):
        _held(obj, done)
        return
    obj.emit(
        {"id": done.id, "number": done.number, "status": done.status},
        title=f"{done.label} voided",
    )
