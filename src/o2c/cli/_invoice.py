"""``o2c invoice``: list, show, explain, issue, void and render documents."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from o2c.billing import DocumentKind, DocumentStatus
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import DATE
from o2c.cli._views import DOCUMENT_COLUMNS, document_detail, document_row

__all__ = ["invoice"]


@click.group("invoice", cls=NounGroup)
def invoice() -> None:
    """List, show, explain, issue, void and render invoices (and other documents)."""


@invoice.command("list")
@click.option("--customer", metavar="ID", help="Only this customer's documents.")
@click.option(
    "--kind",
    type=click.Choice([k.value for k in DocumentKind]),
    default=None,
    help="Only this kind (default: every kind).",
)
@click.option(
    "--status", type=click.Choice([s.value for s in DocumentStatus]), help="Only this status."
)
@click.option("--bill-run", metavar="ID", help="Only documents of this bill run.")
@click.option("--limit", type=int, default=None, help="At most this many.")
@pass_context
def invoice_list(
    obj: Context,
    customer: str | None,
    kind: str | None,
    status: str | None,
    bill_run: str | None,
    limit: int | None,
) -> None:
    """List invoices, credit notes and debit notes in creation order."""
    documents = obj.book().list_documents(
        customer=customer, kind=kind, status=status, bill_run=bill_run, limit=limit
    )
    obj.emit([document_row(d) for d in documents], columns=DOCUMENT_COLUMNS)


@invoice.command("show")
@click.argument("document")
@pass_context
def invoice_show(obj: Context, document: str) -> None:
    """Show DOCUMENT (a number such as INV-2026-000001, or a draft's id)."""
    doc = obj.book().get_document(document)
    if obj.output.value == "json":
        obj.emit(doc)
    else:
        obj.emit(document_detail(doc))


@invoice.command("explain")
@click.argument("document")
@pass_context
def invoice_explain(obj: Context, document: str) -> None:
    """Explain how each line of DOCUMENT was priced and taxed."""
    doc = obj.book().get_document(document)
    taxes = {
        line.number: [
            f"{t.code} {t.rate * 100:f}% = {t.amount}" + (" (withheld)" if t.withholding else "")
            for t in line.taxes
        ]
        for line in doc.lines
    }
    rows = [
        {
            "line": line.number,
            "item": line.item,
            "quantity": line.quantity,
            "net": line.net,
            "taxes": taxes[line.number],
            "explain": list(line.explain),
        }
        for line in doc.lines
    ]
    if obj.output.value != "table":
        obj.emit(rows)
        return
    click.echo(f"{doc.number or doc.id}: {doc.customer.legal_name}, {doc.totals.payable} payable")
    for line in doc.lines:
        click.echo(f"\nline {line.number}: {line.item} × {line.quantity:f} = {line.net}")
        for step in line.explain or ("(entered by hand)",):
            click.echo(f"  {step}")
        for tax in taxes[line.number]:
            click.echo(f"  tax: {tax}")
    for note in doc.notes:
        click.echo(f"\n{note}")


@invoice.command("issue")
@click.argument("document")
@click.option("--date", "issue_date", type=DATE, help="Issue date (default: today).")
@idempotency_option
@pass_context
def invoice_issue(
    obj: Context, document: str, issue_date: dt.date | None, idempotency_key: str | None
) -> None:
    """Issue draft DOCUMENT: number it and post it to the ledger."""
    doc = obj.book().issue_document(
        document, issue_date=issue_date, idempotency_key=idempotency_key
    )
    obj.emit(document_row(doc), columns=DOCUMENT_COLUMNS, title=f"Issued {doc.number}")


@invoice.command("void")
@click.argument("document")
@click.option("--reason", required=True, help="Why it is voided (kept in the audit trail).")
@click.option("--date", type=DATE, help="Date of the reversal (default: today).")
@idempotency_option
@pass_context
def invoice_void(
    obj: Context, document: str, reason: str, date: dt.date | None, idempotency_key: str | None
) -> None:
    """Void issued DOCUMENT that nothing paid or credited (it keeps its number)."""
    doc = obj.book().void_document(
        document, reason=reason, date=date, idempotency_key=idempotency_key
    )
    obj.emit(document_row(doc), columns=DOCUMENT_COLUMNS, title=f"Voided {doc.number}")


@invoice.command("render")
@click.argument("document")
@click.option(
    "--as",
    "form",
    type=click.Choice(["text", "html"]),
    default="text",
    show_default=True,
    help="Plain text or an HTML page.",
)
@click.option("--locale", help="Override the customer's locale (es_MX, de_DE...).")
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of stdout.",
)
@pass_context
def invoice_render(
    obj: Context, document: str, form: str, locale: str | None, output: Path | None
) -> None:
    """Render DOCUMENT for the customer, formatted in the customer's locale."""
    from o2c.io import render_html, render_text

    doc = obj.book().get_document(document)
    render = render_html if form == "html" else render_text
    text = render(doc, locale=locale)
    if output is None:
        click.echo(text, nl=False)
    else:
        output.write_text(text, encoding="utf-8")
        obj.note(f"wrote {output}")
