"""``o2c dispute``: disputes on invoices, their SLA, escalation and resolution."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal

import click

from o2c.billing import ReasonCode
from o2c.book import Book
from o2c.cases import ApprovalRequest, Channel, Dispute, DisputeReason, DisputeStatus, Resolution
from o2c.cli._app import (
    Context,
    NounGroup,
    idempotency_option,
    natural_idempotency_option,
    pass_context,
)
from o2c.cli._approval import pending_row
from o2c.cli._types import AMOUNT, DATE, REF_LINE, RefLine, check_line_amount
from o2c.money import Money

__all__ = ["DISPUTE_COLUMNS", "dispute", "dispute_detail", "dispute_row", "document_numbers"]

#: The columns of a dispute list.
DISPUTE_COLUMNS = (
    "id",
    "invoice",
    "customer",
    "amount",
    "reason",
    "status",
    "opened",
    "sla_due",
    "level",
    "resolution",
    "credit_note",
)

_REASONS = [r.value for r in DisputeReason]
_CHANNELS = [c.value for c in Channel]


def dispute_row(d: Dispute, numbers: Mapping[str, str | None] | None = None) -> dict[str, object]:
    """One line of a dispute list (``numbers``: document id to number, for the invoice,
    credit note and rebill, whose ids are internal; ``document`` keeps the invoice id)."""
    known = numbers or {}

    def number(doc_id: str | None) -> str | None:
        return None if doc_id is None else known.get(doc_id) or doc_id

    return {
        "id": d.id,
        "invoice": known.get(d.document_id),
        "document": d.document_id,
        "customer": d.customer_id,
        "amount": d.amount,
        "reason": d.reason,
        "status": d.status,
        "opened": d.opened_on,
        "sla_due": d.sla_due,
        "level": d.escalation_level,
        "resolution": d.resolution,
        "credit_note": number(d.credit_note_id),
        "rebill": number(d.rebill_id),
        "resolved": d.resolved_on,
        "channel": d.channel,
        "lines": list(d.line_numbers),
        "description": d.description,
    }


def document_numbers(book: Book, disputes: Iterable[Dispute]) -> dict[str, str | None]:
    """The numbers of the documents ``disputes`` name: the invoice, the credit note and
    the rebill (their ids are internal)."""
    ids = sorted(
        {
            str(doc)
            for d in disputes
            for doc in (d.document_id, d.credit_note_id, d.rebill_id)
            if doc is not None
        }
    )
    return {i: book.get_document(i).number for i in ids}


def _rows(book: Book, disputes: Sequence[Dispute]) -> list[dict[str, object]]:
    numbers = document_numbers(book, disputes)
    return [dispute_row(d, numbers) for d in disputes]


def dispute_detail(
    d: Dispute, numbers: Mapping[str, str | None] | None = None
) -> dict[str, object]:
    """A dispute for a person: its fields, then its history."""
    detail = dispute_row(d, numbers)
    detail["history"] = [
        {
            "date": step.on,
            "status": step.status,
            "actor": step.actor,
            "level": step.escalation_level,
            "comment": step.comment,
        }
        for step in d.history
    ]
    return detail


def _show(
    obj: Context, d: Dispute, title: str, numbers: Mapping[str, str | None] | None = None
) -> None:
    """Print a dispute (``numbers``: its documents' numbers, when the caller has them)."""
    detail = dispute_detail(d, document_numbers(obj.book(), [d]) if numbers is None else numbers)
    if obj.output.value == "table":
        obj.emit(detail, title=title)
    else:
        obj.emit(detail)


@click.group("dispute", cls=NounGroup)
def dispute() -> None:
    """Disputes: open on an invoice, investigate, escalate, resolve within the SLA."""


@dispute.command("open")
@click.argument("invoice")
@click.option("--reason", required=True, type=click.Choice(_REASONS), help="Why.")
@click.option(
    "--amount",
    type=AMOUNT,
    help="Disputed amount (default: the disputed lines' amount due, or the whole invoice's"
    " open amount not yet disputed).",
)
@click.option(
    "--channel", type=click.Choice(_CHANNELS), default="email", show_default=True, help="How."
)
@click.option("--line", "lines", type=int, multiple=True, help="A disputed line number; repeat.")
@click.option("--description", default="", help="The customer's words.")
@click.option("--date", type=DATE, help="Opening date (default: today).")
@idempotency_option
@pass_context
def dispute_open(
    obj: Context,
    invoice: str,
    reason: str,
    amount: Money | Decimal | None,
    channel: str,
    lines: tuple[int, ...],
    description: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Open a dispute on INVOICE; its SLA due date counts business days."""
    book = obj.book()
    money = amount
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_document(invoice).currency)
    opened = book.open_dispute(
        invoice,
        reason=reason,
        amount=money if isinstance(money, Money) else None,
        channel=channel,
        lines=lines,
        description=description,
        date=date,
        idempotency_key=idempotency_key,
    )
    _show(obj, opened, f"Dispute {opened.id} opened, SLA due {opened.sla_due}")


@dispute.command("list")
@click.option("--status", type=click.Choice([s.value for s in DisputeStatus]), help="Only these.")
@click.option("--active/--all", "active", default=None, help="Only active (or all) disputes.")
@click.option("--customer", metavar="ID", help="Only this customer's disputes.")
@click.option("--invoice", metavar="NUMBER", help="Only disputes of this invoice.")
@click.option("--breached", is_flag=True, help="Only active disputes past their SLA due date.")
@click.option("--as-of", type=DATE, help="The day --breached is judged on (default: today).")
@pass_context
def dispute_list(
    obj: Context,
    status: str | None,
    active: bool | None,
    customer: str | None,
    invoice: str | None,
    breached: bool,
    as_of: dt.date | None,
) -> None:
    """List disputes, oldest first."""
    if as_of is not None and not breached:
        raise click.UsageError("--as-of goes with --breached")
    found = obj.book().list_disputes(
        status=status,
        active=active or None,
        customer=customer,
        document=invoice,
        breached_on=(as_of or obj.today()) if breached else None,
    )
    obj.emit(_rows(obj.book(), found), columns=DISPUTE_COLUMNS)


@dispute.command("show")
@click.argument("dispute_id")
@pass_context
def dispute_show(obj: Context, dispute_id: str) -> None:
    """Show dispute DISPUTE_ID with its history."""
    _show(obj, obj.book().get_dispute(dispute_id), f"Dispute {dispute_id}")


@dispute.command("investigate")
@click.argument("dispute_id")
@click.option("--comment", default="", help="What is being checked.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_investigate(
    obj: Context, dispute_id: str, comment: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Start investigating open dispute DISPUTE_ID."""
    done = obj.book().investigate_dispute(
        dispute_id, comment=comment, date=date, idempotency_key=idempotency_key
    )
    _show(obj, done, f"Dispute {done.id} investigating")


@dispute.command("escalate")
@click.argument("dispute_id")
@click.option("--comment", default="", help="Why.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_escalate(
    obj: Context, dispute_id: str, comment: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Escalate DISPUTE_ID one level by hand."""
    done = obj.book().escalate_dispute(
        dispute_id, comment=comment, date=date, idempotency_key=idempotency_key
    )
    _show(obj, done, f"Dispute {done.id} escalated to level {done.escalation_level}")


@dispute.command("escalate-overdue")
@click.option("--today", type=DATE, help="The day of the run (default: today).")
@click.option("--dry-run", is_flag=True, help="List what would be escalated; write nothing.")
@natural_idempotency_option("an escalated dispute is not escalated again for the same day")
@pass_context
def dispute_escalate_overdue(obj: Context, today: dt.date | None, dry_run: bool) -> None:
    """Escalate every open or investigating dispute past its SLA (the daily job).

    Disputes escalate only when this runs: schedule it once a day (cron, next to
    `o2c dunning run`); a missed day is caught up by the next run.
    """
    late = obj.book().escalate_overdue_disputes(today, dry_run=dry_run)
    title = "Would escalate (dry run)" if dry_run else "Escalated"
    obj.emit(_rows(obj.book(), late), columns=DISPUTE_COLUMNS, title=title)


@dispute.command("update")
@click.argument("dispute_id")
@click.option("--amount", type=AMOUNT, help="The new disputed amount.")
@click.option("--line", "lines", type=int, multiple=True, help="The disputed lines (replace).")
@click.option("--description", default=None, help="The new description.")
@click.option("--comment", default="", help="Why.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_update(
    obj: Context,
    dispute_id: str,
    amount: Money | Decimal | None,
    lines: tuple[int, ...],
    description: str | None,
    comment: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Amend DISPUTE_ID's amount, lines or description (its status and SLA stay)."""
    book = obj.book()
    money: Money | None = None
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_dispute(dispute_id).amount.currency)
    elif amount is not None:
        money = amount
    done = book.update_dispute(
        dispute_id,
        amount=money,
        lines=lines or None,
        description=description,
        comment=comment,
        date=date,
        idempotency_key=idempotency_key,
    )
    _show(obj, done, f"Dispute {done.id} updated")


@dispute.command("reject")
@click.argument("dispute_id")
@click.option("--comment", required=True, help="Why the invoice stands.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_reject(
    obj: Context, dispute_id: str, comment: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Resolve DISPUTE_ID as rejected: the invoice stands as issued."""
    done = obj.book().reject_dispute(
        dispute_id, comment=comment, date=date, idempotency_key=idempotency_key
    )
    _show(obj, done, f"Dispute {done.id} rejected")


@dispute.command("resolve")
@click.argument("dispute_id")
@click.option(
    "--resolution",
    type=click.Choice([r.value for r in Resolution]),
    default="credited",
    show_default=True,
)
@click.option("--credit-note", metavar="NUMBER", help="The credit note that corrects the invoice.")
@click.option("--rebill", metavar="NUMBER", help="The corrected invoice (rebilled).")
@click.option("--comment", default="", help="How it was settled.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_resolve(
    obj: Context,
    dispute_id: str,
    resolution: str,
    credit_note: str | None,
    rebill: str | None,
    comment: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Resolve DISPUTE_ID with an existing credit note (and corrected invoice)."""
    done = obj.book().resolve_dispute(
        dispute_id,
        resolution,
        credit_note=credit_note,
        rebill=rebill,
        comment=comment,
        date=date,
        idempotency_key=idempotency_key,
    )
    _show(obj, done, f"Dispute {done.id} resolved ({resolution})")


@dispute.command("credit")
@click.argument("dispute_id")
@click.option(
    "--amount", type=AMOUNT, help="Net amount to credit (on the disputed or --line lines)."
)
@click.option("--line", "lines", type=REF_LINE, multiple=True, help="Credit line N or N:QTY.")
@click.option(
    "--reason",
    type=click.Choice([r.value for r in ReasonCode]),
    help="Credit note reason (default: from the dispute's reason).",
)
@click.option("--text", "reason_text", default="", help="Explanation for the customer.")
@click.option("--comment", default="", help="Note in the dispute's history.")
@click.option("--date", type=DATE, help="Date (default: today).")
@idempotency_option
@pass_context
def dispute_credit(
    obj: Context,
    dispute_id: str,
    amount: Money | Decimal | None,
    lines: tuple[RefLine, ...],
    reason: str | None,
    reason_text: str,
    comment: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Resolve DISPUTE_ID as credited by issuing its credit note (approval above the limit).

    By default the disputed lines are credited, or the whole invoice when the dispute
    holds everything that is open. An --amount goes on the disputed lines only (by
    their net); a line the dispute did not name is refused.
    """
    check_line_amount(lines, amount)
    book = obj.book()
    money: Money | None = None
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_dispute(dispute_id).amount.currency)
    elif amount is not None:
        money = amount
    done = book.credit_dispute(
        dispute_id,
        amount=money,
        quantities={line.number: line.quantity for line in lines} or None,
        reason=reason,
        reason_text=reason_text,
        comment=comment,
        date=date,
        idempotency_key=idempotency_key,
    )
    if isinstance(done, ApprovalRequest):
        obj.emit(pending_row(done), title=f"Credit waits for approval {done.id}: {done.reason}")
        return
    numbers = document_numbers(obj.book(), [done])
    note = done.credit_note_id
    _show(obj, done, f"Dispute {done.id} credited by {numbers.get(note or '') or note}", numbers)
