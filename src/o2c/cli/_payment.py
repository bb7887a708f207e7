"""``o2c payment``, ``o2c refund`` and ``o2c writeoff``: cash in, credit out, bad debt."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path

import click

from o2c.cases import ApprovalRequest
from o2c.cli._app import (
    Context,
    NounGroup,
    confirm,
    idempotency_option,
    natural_idempotency_option,
    pass_context,
    yes_option,
)
from o2c.cli._approval import approval_request, pending_row
from o2c.cli._i18n import _
from o2c.cli._output import OutputFormat
from o2c.cli._types import AMOUNT, DATE
from o2c.ledger import Allocation, AllocationRecord, Payment
from o2c.money import Currency, Money

__all__ = ["payment", "payment_row", "refund", "writeoff"]

_METHODS = ["bank_transfer", "card", "check", "cash", "direct_debit", "other"]


def payment_row(payment: Payment) -> dict[str, object]:
    """The columns of a payment list."""
    return {
        "id": payment.id,
        "customer": payment.customer,
        "date": payment.date,
        "amount": payment.amount,
        "method": payment.method,
        "reference": payment.reference,
    }


@click.group("payment", cls=NounGroup)
def payment() -> None:
    """Record payments received and apply them to invoices."""


@payment.command("record")
@click.option("--customer", required=True, metavar="ID", help="Who paid.")
@click.option(
    "--amount",
    required=True,
    type=AMOUNT,
    help="Amount received, e.g. '1160 MXN' (a bare 1160 is in the customer's currency).",
)
@click.option("--date", type=DATE, help="Value date (default: today).")
@click.option("--reference", default="", help="Bank reference or remittance text.")
@click.option("--method", type=click.Choice(_METHODS), default="bank_transfer", show_default=True)
@click.option("--id", "payment_id", metavar="ID", help="Payment id (default: next number).")
@click.option("--apply", "apply_now", is_flag=True, help="Apply it to open items, oldest first.")
@idempotency_option
@pass_context
def payment_record(
    obj: Context,
    customer: str,
    amount: Money | Decimal,
    date: dt.date | None,
    reference: str,
    method: str,
    payment_id: str | None,
    apply_now: bool,
    idempotency_key: str | None,
) -> None:
    """Record money received from a customer (kept as unapplied cash unless --apply)."""
    book = obj.book()
    if isinstance(amount, Decimal):
        amount = Money(amount, book.get_customer(customer).currency)
    paid = book.record_payment(
        customer,
        amount,
        date=date,
        reference=reference,
        method=method,
        payment_id=payment_id,
        allocate=apply_now,
        idempotency_key=idempotency_key,
    )
    written = _tolerance_write_offs(obj, paid) if apply_now else []
    row = payment_row(paid)
    if written and obj.output is OutputFormat.JSON:
        row["written_off"] = written
    obj.emit(row, title=_("Payment {id} recorded").format(id=paid.id))
    if written and obj.output is OutputFormat.TABLE:
        for done in written:
            click.echo(
                _("Wrote off {amount} on {document} (within the write-off tolerance)").format(
                    amount=done["amount"], document=done["document"]
                )
            )


def _tolerance_write_offs(obj: Context, paid: Payment) -> list[dict[str, object]]:
    """The small balances ``paid`` left within the write-off tolerance and wrote off."""
    book = obj.book()
    return [
        {"document": book.get_document(w.document_id).number or w.document_id, "amount": w.amount}
        for w in book.list_write_offs(customer=paid.customer)
        if w.memo.endswith(f"tolerance, after {paid.id}")
    ]


@payment.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's payments.")
@click.option("--from", "start", type=DATE, help="Only payments received on or after this day.")
@click.option("--to", "end", type=DATE, help="Only payments received on or before this day.")
@click.option("--after", metavar="ID", help="Only payments after this id (the last of a page).")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@pass_context
def payment_list(
    obj: Context,
    customer: str | None,
    start: dt.date | None,
    end: dt.date | None,
    after: str | None,
    limit: int | None,
) -> None:
    """List payments received, in id order (--from and --to included)."""
    found = obj.book().list_payments(
        customer=customer, start=start, end=end, after=after, limit=limit
    )
    obj.emit(
        [payment_row(p) for p in found],
        columns=("id", "customer", "date", "amount", "method", "reference"),
        money=("amount",),
    )


def _allocation_rows(
    obj: Context, allocations: Sequence[Allocation | AllocationRecord]
) -> list[dict[str, object]]:
    """Allocation rows naming each document by its number (its id stays ``document_id``)."""
    numbers = obj.book().document_numbers([a.document_id for a in allocations])
    return [_allocation_row(a, numbers.get(a.document_id, a.document_id)) for a in allocations]


def _allocation_row(allocation: Allocation | AllocationRecord, number: str) -> dict[str, object]:
    row: dict[str, object] = {
        "id": getattr(allocation, "entry_id", None),
        "source": allocation.source,
        "document": number,
        "document_id": allocation.document_id,
        "customer": allocation.customer,
        "date": allocation.date,
        "amount": allocation.amount,
    }
    if isinstance(allocation, AllocationRecord) and allocation.unallocated_by:
        row["undone_by"] = allocation.unallocated_by
    if isinstance(allocation, Allocation) and allocation.written_off is not None:
        row["written_off"] = allocation.written_off
    return row


@payment.command("apply")
@click.argument("source")
@click.option(
    "--to",
    "targets",
    multiple=True,
    metavar="DOC=AMOUNT",
    help="Apply AMOUNT to invoice DOC; repeat. Without --to: oldest due first.",
)
@click.option("--date", type=DATE, help="Allocation date (default: today).")
@idempotency_option
@pass_context
def payment_apply(
    obj: Context,
    source: str,
    targets: tuple[str, ...],
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Apply payment (or credit note) SOURCE to open invoices."""
    book = obj.book()
    allocations: dict[str, Money] | None = None
    if targets:
        allocations = {}
        currency: Currency | None = None
        for target in targets:
            document, sep, amount_text = target.partition("=")
            if not sep or not document:
                raise click.BadParameter(
                    f"{target!r}: use DOC=AMOUNT, e.g. INV-2026-000001=100.00",
                    param_hint="--to",
                )
            value = AMOUNT.convert(amount_text, None, None)
            if isinstance(value, Decimal):
                currency = currency or _source_currency(obj, source)
                value = Money(value, currency)
            allocations[document] = value
    applied = book.allocate(source, allocations, date=date, idempotency_key=idempotency_key)
    obj.emit(_allocation_rows(obj, applied), title=f"Applied {source}")


def _source_currency(obj: Context, source: str) -> Currency:
    book = obj.book()
    try:
        return book.get_payment(source).amount.currency
    except LookupError:
        return book.get_document(source).currency


@payment.command("unapply")
@click.argument("allocation_id")
@click.option("--reason", required=True, help="Why (a bounced payment, a wrong match...).")
@click.option("--date", type=DATE, help="Date of the reversal (default: today).")
@idempotency_option
@pass_context
def payment_unapply(
    obj: Context,
    allocation_id: str,
    reason: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Undo allocation ALLOCATION_ID: the invoice is owed again, the cash is unapplied."""
    record = obj.book().unallocate(
        allocation_id, reason=reason, date=date, idempotency_key=idempotency_key
    )
    obj.emit(_allocation_rows(obj, [record])[0], title=f"Unapplied {allocation_id}")


@payment.command("allocations")
@click.option("--document", metavar="DOC", help="Only allocations to this document.")
@click.option("--source", metavar="ID", help="Only allocations of this payment or credit note.")
@pass_context
def payment_allocations(obj: Context, document: str | None, source: str | None) -> None:
    """List allocations (their ids are what `payment unapply` takes)."""
    records = obj.book().list_allocations(document=document, source=source)
    obj.emit(
        _allocation_rows(obj, records),
        columns=("id", "source", "document", "customer", "date", "amount", "undone_by"),
        money=("amount",),
    )


@click.group("refund", cls=NounGroup)
def refund() -> None:
    """Pay customer credit back."""


@refund.command("request")
@click.argument("source")
@click.option("--amount", required=True, type=AMOUNT, help="Amount to pay back.")
@click.option("--reason", required=True, help="Why the money goes back.")
@click.option("--date", type=DATE, help="Payment date (default: today).")
@click.option("--method", type=click.Choice(_METHODS), default="bank_transfer", show_default=True)
@idempotency_option
@pass_context
def refund_request(
    obj: Context,
    source: str,
    amount: Money | Decimal,
    reason: str,
    date: dt.date | None,
    method: str,
    idempotency_key: str | None,
) -> None:
    """Refund unapplied credit of SOURCE (a payment or credit note) to the customer.

    Above the approval policy's limit the refund waits for another person's approval.
    """
    book = obj.book()
    money = amount if isinstance(amount, Money) else Money(amount, _source_currency(obj, source))
    done = book.request_refund(
        source,
        money,
        reason=reason,
        date=date,
        method=method,
        idempotency_key=idempotency_key,
    )
    if isinstance(done, ApprovalRequest):
        _held(obj, done)
        return
    obj.emit(
        {
            "id": done.id,
            "customer": done.customer,
            "source": done.source,
            "amount": done.amount,
            "status": done.status,
        },
        title=f"Refund {done.id}",
    )


def _held(obj: Context, request: ApprovalRequest) -> None:
    """Report a command held for approval: recorded, and someone else decides."""
    obj.emit(pending_row(request), title=f"Pending approval {request.id}: {request.reason}")
    obj.note(_("another person approves it with `o2c approval approve {id}`").format(id=request.id))


@refund.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's refunds.")
@click.option("--from", "start", type=DATE, help="Only refunds paid on or after this day.")
@click.option("--to", "end", type=DATE, help="Only refunds paid on or before this day.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@pass_context
def refund_list(
    obj: Context,
    customer: str | None,
    start: dt.date | None,
    end: dt.date | None,
    limit: int | None,
) -> None:
    """List refunds paid out (pending ones are in `o2c approval list`)."""
    found = obj.book().list_refunds(customer=customer, start=start, end=end, limit=limit)
    obj.emit(
        [
            {
                "id": r.id,
                "customer": r.customer,
                "source": r.source,
                "amount": r.amount,
                "paid_on": r.paid_on,
                "requested_by": r.requested_by,
                "approved_by": r.decided_by,
                "reason": r.reason,
            }
            for r in found
        ],
        columns=(
            "id",
            "customer",
            "source",
            "amount",
            "paid_on",
            "requested_by",
            "approved_by",
            "reason",
        ),
        money=("amount",),
    )


@click.group("writeoff", cls=NounGroup)
def writeoff() -> None:
    """Write off what a customer will not pay."""


@writeoff.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's write-offs.")
@click.option("--from", "start", type=DATE, help="Only write-offs posted on or after this day.")
@click.option("--to", "end", type=DATE, help="Only write-offs posted on or before this day.")
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@pass_context
def writeoff_list(
    obj: Context,
    customer: str | None,
    start: dt.date | None,
    end: dt.date | None,
    limit: int | None,
) -> None:
    """List write-offs posted, by id, naming each invoice by its number."""
    book = obj.book()
    found = book.list_write_offs(customer=customer, start=start, end=end, limit=limit)
    numbers = book.document_numbers([w.document_id for w in found])
    obj.emit(
        [
            {
                "id": w.id,
                "customer": w.customer,
                "document": numbers.get(w.document_id, w.document_id),
                "document_id": w.document_id,
                "date": w.date,
                "amount": w.amount,
                "reason": w.reason,
                "requested_by": w.requested_by,
                "approved_by": w.approved_by,
            }
            for w in found
        ],
        columns=(
            "id",
            "customer",
            "document",
            "date",
            "amount",
            "reason",
            "requested_by",
            "approved_by",
        ),
        money=("amount",),
    )


@writeoff.command("request")
@click.argument("document")
@click.option("--amount", type=AMOUNT, help="Amount to write off (default: all that is open).")
@click.option(
    "--reason",
    type=click.Choice(["uncollectible", "small_balance"]),
    default="uncollectible",
    show_default=True,
)
@click.option("--memo", default="", help="Note for the auditor.")
@click.option("--date", type=DATE, help="Posting date (default: today).")
@idempotency_option
@yes_option
@pass_context
def writeoff_request(
    obj: Context,
    document: str,
    amount: Money | Decimal | None,
    reason: str,
    memo: str,
    date: dt.date | None,
    idempotency_key: str | None,
    yes: bool,
) -> None:
    """Write off (part of) what is open on invoice DOCUMENT (approval above the limit)."""
    book = obj.book()
    money: Money | None = None
    if isinstance(amount, Decimal):
        money = Money(amount, book.get_document(document).currency)
    elif amount is not None:
        money = amount
    if not yes:
        what = str(money) if money is not None else _("all that is open")
        question = _("Write off {amount} of {document} as bad debt?").format(
            amount=what, document=document
        )
        confirm(question, yes=yes)
    done = book.request_write_off(
        document, money, reason=reason, memo=memo, date=date, idempotency_key=idempotency_key
    )
    if isinstance(done, ApprovalRequest):
        _held(obj, done)
        return
    obj.emit(
        {
            "id": done.id,
            "customer": done.customer,
            "document": book.document_numbers([done.document_id]).get(
                done.document_id, done.document_id
            ),
            "document_id": done.document_id,
            "amount": done.amount,
            "reason": done.reason,
        },
        title=f"Write-off {done.id}",
    )


@payment.command("import")
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--type",
    "kind",
    type=click.Choice(["auto", "csv", "camt053"]),
    default="auto",
    show_default=True,
    help="File type (auto: .xml is camt.053, anything else CSV).",
)
@click.option("--currency", metavar="CUR", help="Currency of CSV rows without one.")
@click.option(
    "--customer-ref",
    "customer_refs",
    metavar="REF=CUSTOMER",
    multiple=True,
    help="A reference (virtual account, payer id) that names a customer; repeatable.",
)
@natural_idempotency_option("lines already imported are skipped by bank reference")
@pass_context
def payment_import(
    obj: Context, file: Path, kind: str, currency: str | None, customer_refs: tuple[str, ...]
) -> None:
    """Import a bank statement (CSV or camt.053) and apply what can be matched.

    Lines are matched to customers by invoice numbers in the remittance text, else by a
    --customer-ref in the remittance or payer, else by an exact open amount. Matched
    payments are applied to the named invoices (for a customer reference: the customer's
    one invoice of exactly that amount, else its oldest due first); the rest stays
    unapplied cash, and `rule` says which rule matched. Unmatched lines are listed and
    not recorded. Every line's bank reference is its payment id: importing the same file
    twice records it once. The whole statement is applied in one transaction.
    """
    from o2c.io import FileProblems, read_file
    from o2c.ledger import parse_bank_csv, parse_camt053

    camt = kind == "camt053" or (kind == "auto" and file.suffix.lower() == ".xml")
    data = read_file(str(file), binary=camt)
    parsed = (
        parse_camt053(bytes(data) if isinstance(data, bytes) else data.encode(), file.name)
        if camt
        else parse_bank_csv(str(data), file.name, currency=currency)
    )
    if parsed.problems:
        raise FileProblems(
            file.name,
            [f"row {p.row}: {p.field}: {p.message} (got {p.value!r})" for p in parsed.problems],
        )
    references: dict[str, str] = {}
    for pair in customer_refs:
        ref, sep, who = pair.partition("=")
        if not sep or not ref.strip() or not who.strip():
            raise click.BadParameter(
                f"expected REF=CUSTOMER, got {pair!r}", param_hint="--customer-ref"
            )
        references[ref.strip()] = who.strip()
    book = obj.book()
    result = book.apply_bank_statement(parsed.lines, customer_references=references)
    if result.conflicts:
        obj.note(
            f"warning: {len(result.conflicts)} line(s) reuse a bank reference recorded before "
            "with another amount, currency or date (the recorded payment stands; these "
            f"lines were NOT applied): {', '.join(result.conflicts[:10])}"
        )
    matched = []
    rules = dict(result.rules)
    recorded = [
        (book.get_payment(pid), book.list_allocations(source=pid)) for pid in result.payments
    ]
    # Every invoice named below, numbered in one query (not one per allocation).
    numbers = book.document_numbers(
        [a.document_id for _paid, applied in recorded for a in applied]
        + [doc for _ref, doc, _amount in result.write_offs]
    )
    for paid, applied in recorded:
        matched.append(
            {
                "reference": paid.id,
                "remittance": paid.reference,
                "date": paid.date,
                "amount": paid.amount,
                "customer": paid.customer,
                "rule": rules.get(paid.id, ""),
                "invoices": [numbers.get(a.document_id, a.document_id) for a in applied],
            }
        )
    unmatched = [{"reference": ref, "reason": why} for ref, why in result.unmatched]
    written = [
        {"reference": ref, "invoice": numbers.get(doc, doc), "amount": amount}
        for ref, doc, amount in result.write_offs
    ]
    if obj.output.value == "json":
        report: dict[str, object] = {
            "file": file.name,
            "recorded": len(result.payments),
            "already_imported": result.duplicates,
            "matched": matched,
            "unmatched": unmatched,
        }
        if written:
            report["written_off"] = written
        obj.emit(report)
        return
    title = (
        f"{file.name}: {len(result.payments)} payments recorded, "
        f"{result.duplicates} already imported"
    )
    obj.emit(matched, title=title)
    if unmatched:
        click.echo("")
        obj.emit(unmatched, title="Not matched (record them with `o2c payment record`)")
    if written:
        click.echo("")
        obj.emit(written, title="Written off within the write-off tolerance (small balances)")


# `o2c approval request refund|writeoff` are the same commands as `o2c refund request` and
# `o2c writeoff request` (both spellings are documented), not copies of them.
approval_request.add_command(refund_request, "refund")
approval_request.add_command(writeoff_request, "writeoff")


# `o2c payment complement PAYMENT` (issue 17) is `o2c cfdi complement`: the Pagos 2.0 CFDI
# of a payment, where a billing person looks for it.
def _register_complement() -> None:
    from o2c.cli._cfdi import cfdi_complement

    payment.add_command(cfdi_complement, "complement")


_register_complement()
