"""``o2c credit-note`` and ``o2c debit-note``: corrections as new linked documents."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import click

from o2c.billing import ReasonCode
from o2c.cases import ApprovalRequest
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._approval import pending_row
from o2c.cli._i18n import _
from o2c.cli._types import AMOUNT, DATE, REF_LINE, RefLine, check_line_amount
from o2c.cli._views import DOCUMENT_COLUMNS, document_row
from o2c.money import Money

__all__ = ["credit_note", "debit_note"]

_REASONS = [r.value for r in ReasonCode]


@click.group("credit-note", cls=NounGroup)
def credit_note() -> None:
    """Credit an issued invoice (never more than was invoiced)."""


@credit_note.command("create")
@click.option("--invoice", required=True, metavar="NUMBER", help="The invoice to credit.")
@click.option(
    "--line",
    "lines",
    type=REF_LINE,
    multiple=True,
    help="Credit invoice line N (what is left) or N:QTY; repeat per line. With --amount: "
    "the lines the amount is credited on.",
)
@click.option(
    "--amount",
    type=AMOUNT,
    help="Credit this net amount on the --line lines (all lines without --line), "
    "spread by their net.",
)
@click.option("--reason", required=True, type=click.Choice(_REASONS), help="Reason code.")
@click.option("--text", "reason_text", default="", help="Explanation for the customer.")
@click.option("--draft", is_flag=True, help="Keep it as a draft instead of issuing it.")
@click.option("--date", type=DATE, help="Issue date (default: today).")
@idempotency_option
@pass_context
def credit_note_create(
    obj: Context,
    invoice: str,
    lines: tuple[RefLine, ...],
    amount: Money | Decimal | None,
    reason: str,
    reason_text: str,
    draft: bool,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Credit INVOICE: all that is left, some lines (--line) or a net amount (--amount).

    `--line 2 --amount 1650` credits 1,650.00 net on line 2 only. Units of a tiered line
    (`--line 3:4125`) are credited at what the invoice charged for them, the last units
    billed (top tier) first.

    Above the approval policy's limit the credit note waits for another person's approval.
    """
    check_line_amount(lines, amount)
    book = obj.book()
    money: Money | None = None
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_document(invoice).currency)
    elif amount is not None:
        money = amount
    quantities = {line.number: line.quantity for line in lines} or None
    if draft:
        note = book.create_credit_note(
            invoice,
            reason=reason,
            quantities=quantities,
            amount=money,
            reason_text=reason_text,
            issue=False,
            date=date,
            idempotency_key=idempotency_key,
        )
    else:
        outcome = book.request_credit_note(
            invoice,
            reason=reason,
            quantities=quantities,
            amount=money,
            reason_text=reason_text,
            date=date,
            idempotency_key=idempotency_key,
        )
        if isinstance(outcome, ApprovalRequest):
            obj.emit(pending_row(outcome), title=f"Pending approval {outcome.id}: {outcome.reason}")
            obj.note(
                _("another person approves it with `o2c approval approve {id}`").format(
                    id=outcome.id
                )
            )
            return
        note = outcome
    obj.emit(
        document_row(note),
        columns=DOCUMENT_COLUMNS,
        title=f"Credit note {note.number or note.id} for {invoice}",
    )


@click.group("debit-note", cls=NounGroup)
def debit_note() -> None:
    """Charge more on an issued invoice."""


@debit_note.command("create")
@click.option("--invoice", required=True, metavar="NUMBER", help="The invoice to add to.")
@click.option(
    "--line",
    "lines",
    type=REF_LINE,
    multiple=True,
    required=True,
    help="N:AMOUNT: charge AMOUNT more (net) on invoice line N, taxed as that line.",
)
@click.option("--reason", required=True, type=click.Choice(_REASONS), help="Reason code.")
@click.option("--text", "reason_text", default="", help="Explanation for the customer.")
@click.option("--draft", is_flag=True, help="Keep it as a draft instead of issuing it.")
@click.option("--date", type=DATE, help="Issue date (default: today).")
@idempotency_option
@pass_context
def debit_note_create(
    obj: Context,
    invoice: str,
    lines: tuple[RefLine, ...],
    reason: str,
    reason_text: str,
    draft: bool,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Charge more on INVOICE, e.g. `--line 1:50.00` (net, taxed like line 1)."""
    from o2c.billing.corrections import adjustment_line

    book = obj.book()
    original = book.get_document(invoice)
    missing = [str(line.number) for line in lines if line.quantity is None]
    if missing:
        raise click.UsageError(f"--line {missing[0]} needs an amount: N:AMOUNT")
    extra = [
        adjustment_line(
            original, line.number, Money(line.quantity or Decimal(0), original.currency)
        )
        for line in lines
    ]
    note = book.create_debit_note(
        invoice,
        extra,
        reason=reason,
        reason_text=reason_text,
        issue=not draft,
        date=date,
        idempotency_key=idempotency_key,
    )
    obj.emit(
        document_row(note),
        columns=DOCUMENT_COLUMNS,
        title=f"Debit note {note.number or note.id} for {invoice}",
    )
