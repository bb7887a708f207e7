"""``o2c invoice``: list, show, explain, issue, void and render documents."""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path
from typing import Any

import attrs
import click

from o2c.billing import DocumentKind, DocumentStatus
from o2c.cli._app import (
    Context,
    NounGroup,
    confirm,
    idempotency_option,
    pass_context,
    yes_option,
)
from o2c.cli._i18n import _
from o2c.cli._output import force_option
from o2c.cli._rendering import (
    DOCUMENT_FORMS,
    SUFFIXES,
    emit_bytes,
    one_line,
    render_document,
    template_dirs,
    ubl_units,
    write_atomic,
)
from o2c.cli._types import DATE, LINE, LineSpec
from o2c.cli._views import DOCUMENT_COLUMNS, document_detail, document_row
from o2c.errors import O2CError

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
@click.option("--from", "start", type=DATE, help="Only documents issued on or after this day.")
@click.option("--to", "end", type=DATE, help="Only documents issued on or before this day.")
@click.option(
    "--after",
    metavar="DOC",
    help="Only documents created after DOC (a number or id): the last of a page, for the next.",
)
@click.option("--limit", type=click.IntRange(min=1), default=None, help="At most this many.")
@pass_context
def invoice_list(
    obj: Context,
    customer: str | None,
    kind: str | None,
    status: str | None,
    bill_run: str | None,
    start: dt.date | None,
    end: dt.date | None,
    after: str | None,
    limit: int | None,
) -> None:
    """List invoices, credit notes and debit notes in creation order.

    --from and --to take issue dates, both included (drafts have none yet). A long list
    streams out as CSV or JSON; page it with --limit N and --after LAST.
    """
    documents = obj.book().iter_documents(
        customer=customer,
        kind=kind,
        status=status,
        bill_run=bill_run,
        start=start,
        end=end,
        after=after,
        limit=limit,
    )
    obj.emit_rows(
        (document_row(d) for d in documents),
        columns=DOCUMENT_COLUMNS,
        money=("net", "tax", "payable"),
    )


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
    """Explain how each line of DOCUMENT was priced and taxed, and how its tax was
    rounded (kept off the customer's document)."""
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
    for note in (*doc.explain, *doc.notes):
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
    obj.emit(
        document_row(doc),
        columns=DOCUMENT_COLUMNS,
        title=_("Issued {number}").format(number=doc.number),
    )


@invoice.command("void")
@click.argument("document")
@click.option("--reason", required=True, help="Why it is voided (kept in the audit trail).")
@click.option("--date", type=DATE, help="Date of the reversal (default: today).")
@idempotency_option
@yes_option
@pass_context
def invoice_void(
    obj: Context,
    document: str,
    reason: str,
    date: dt.date | None,
    idempotency_key: str | None,
    yes: bool,
) -> None:
    """Void issued DOCUMENT that nothing paid or credited (it keeps its number).

    It asks first (--yes answers for a script).
    """
    book = obj.book()
    if not yes:
        found = book.get_document(document)
        question = _("Void {number} of {customer} ({amount})? This cannot be undone.")
        confirm(
            question.format(
                number=found.number or found.id,
                customer=found.customer.customer_id,
                amount=found.totals.payable,
            ),
            yes=yes,
        )
    doc = book.void_document(document, reason=reason, date=date, idempotency_key=idempotency_key)
    obj.emit(
        document_row(doc),
        columns=DOCUMENT_COLUMNS,
        title=_("Voided {number}").format(number=doc.number),
    )


@invoice.command("render")
@click.argument("document", required=False)
@click.option(
    "--as",
    "form",
    type=click.Choice(list(DOCUMENT_FORMS)),
    default="text",
    show_default=True,
    help="Plain text, an HTML page, a PDF or UBL 2.1 XML.",
)
@click.option("--locale", help="Override the customer's locale (es_MX, de_DE...).")
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="Look for templates in DIR first (then the book's folder, then the bundled ones).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of stdout.",
)
@click.option("--run", "run_id", metavar="RUN_ID", help="Render every invoice of this bill run.")
@click.option(
    "--out-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="With --run: the folder for the files (NUMBER.html, NUMBER.pdf, NUMBER.xml).",
)
@click.option(
    "--embed-ubl",
    is_flag=True,
    help="With --as pdf: embed the UBL e-invoice in the PDF (Factur-X/ZUGFeRD style).",
)
@force_option
@pass_context
def invoice_render(
    obj: Context,
    document: str | None,
    form: str,
    locale: str | None,
    templates: Path | None,
    output: Path | None,
    run_id: str | None,
    out_dir: Path | None,
    embed_ubl: bool,
    force: bool,
) -> None:
    """Render issued DOCUMENT for the customer, in the customer's language and locale.

    With --run RUN_ID --out-dir DIR, render each issued document of a bill run to its own
    file. A draft, an unknown document or a failing template is refused and writes no
    file (each file is written whole, then renamed into place).
    """
    if (document is None) == (run_id is None):
        raise click.UsageError("give a DOCUMENT or --run RUN_ID (not both)")
    if run_id is not None and (out_dir is None or output is not None):
        raise click.UsageError("--run writes one file per document: give --out-dir DIR, not -o")
    book = obj.book()
    dirs = template_dirs(book, templates)
    if embed_ubl and form != "pdf":
        raise click.UsageError("--embed-ubl goes with --as pdf")
    options: dict[str, Any] = {"locale": locale, "templates": dirs} if form != "ubl" else {}
    if embed_ubl:
        options["embed_ubl"] = True
    if form == "ubl" or embed_ubl:
        options["units"] = ubl_units(book)
    try:
        if run_id is not None and out_dir is not None:
            _render_run(obj, run_id, out_dir, form, options, force=force)
            return
        data = render_document(book, book.get_document(str(document)), form, **options)
    except O2CError as exc:
        raise one_line(exc) from None
    if emit_bytes(data, output, force=force, binary=form == "pdf"):
        obj.note(_("wrote {path}").format(path=output))


def _render_run(
    obj: Context, run_id: str, out_dir: Path, form: str, options: dict[str, Any], *, force: bool
) -> None:
    """Render the issued documents of bill run ``run_id``, one file each, with a progress bar."""
    if form == "text":
        raise click.UsageError("--run renders --as html, pdf or ubl")
    book = obj.book()
    documents = [d for d in book.list_documents(bill_run=run_id) if d.number is not None]
    if not documents:
        raise click.ClickException(f"bill run {run_id} has no issued documents to render")
    if not out_dir.is_dir():
        raise click.ClickException(f"cannot write to {out_dir}: not an existing folder")
    targets = [out_dir / f"{d.number}.{SUFFIXES[form]}" for d in documents]
    if not force:
        taken = [t for t in targets if t.exists()]
        if taken:
            raise click.ClickException(
                f"{taken[0]} exists ({len(taken)} of {len(targets)}); pass --force to replace"
            )
    with click.progressbar(
        list(zip(documents, targets, strict=True)),
        label=f"Rendering {len(documents)} documents",
        file=sys.stderr,
    ) as bar:
        for doc, target in bar:
            write_atomic(target, render_document(book, doc, form, **options), force=True)
    obj.note(f"wrote {len(targets)} files to {out_dir}")


@invoice.command("templates")
@click.argument(
    "folder", required=False, type=click.Path(exists=True, file_okay=False, path_type=Path)
)
@click.option("--bundled", is_flag=True, help="Go back to the bundled templates.")
@idempotency_option
@pass_context
def invoice_templates(
    obj: Context, folder: Path | None, bundled: bool, idempotency_key: str | None
) -> None:
    """Render this book's documents with the templates in FOLDER first (the book's
    render.templates setting); without FOLDER, show the folder in use.

    A template missing from FOLDER comes from the bundled ones; --templates on
    o2c invoice render comes before both.
    """
    book = obj.book()
    if folder is not None and bundled:
        raise click.UsageError("give a FOLDER or --bundled, not both")
    if folder is not None or bundled:
        book.set_render_templates(folder, idempotency_key=idempotency_key)
    chosen = book.render_templates()
    obj.emit({"templates": str(chosen) if chosen else "(bundled)"})


@invoice.command("create")
@click.option("--customer", required=True, metavar="ID", help="Who is invoiced.")
@click.option(
    "--line",
    "lines",
    type=LINE,
    multiple=True,
    required=True,
    help="ITEM:QTY@PRICE, or ITEM:QTY priced from --ratecard; repeat.",
)
@click.option("--ratecard", metavar="CODE", help="Price lines without @PRICE from this card.")
@click.option(
    "--description",
    "descriptions",
    multiple=True,
    metavar="ITEM=TEXT",
    help="Text for an item's line (default: the rate card's name or the item).",
)
@click.option("--po", "po_number", help="Customer's purchase order number.")
@click.option("--date", "issue_date", type=DATE, help="Invoice (and tax point) date.")
@click.option("--issue", is_flag=True, help="Issue it now (else it stays a draft).")
@idempotency_option
@pass_context
def invoice_create(
    obj: Context,
    customer: str,
    lines: tuple[LineSpec, ...],
    ratecard: str | None,
    descriptions: tuple[str, ...],
    po_number: str | None,
    issue_date: dt.date | None,
    issue: bool,
    idempotency_key: str | None,
) -> None:
    """Create a manual invoice, e.g. `--line setup:1@500 --line consulting:7.5@150`.

    Lines are taxed like a bill run's (the book's seller and tax table). With --issue it
    is numbered and posted, unless it needs approval (then it waits as a draft).
    """
    from o2c.billing import ManualLine, TaxContext, manual_invoice
    from o2c.cases import ApprovalRequest
    from o2c.ids import DocumentId, ItemCode
    from o2c.money import Money

    book = obj.book()
    who = book.get_customer(customer)
    day = issue_date or obj.today()
    texts = dict(d.partition("=")[::2] for d in descriptions)
    card = book.get_rate_card(ratecard) if ratecard else None
    if card is not None and card.currency != who.currency:
        raise click.UsageError(
            f"rate card {card.code} is in {card.currency}, {customer} is billed in "
            f"{who.currency}; give @PRICE"
        )
    for spec in lines:
        if spec.unit_price is None and card is None:
            raise click.UsageError(f"line {spec.item}: give ITEM:QTY@PRICE or --ratecard")
    # Priced, taxed and checked before anything is written: a refused invoice leaves the
    # book as it was (not even a document id is used up).
    draft = manual_invoice(
        DocumentId("new"),
        who,
        [
            ManualLine(
                ItemCode(spec.item),
                spec.quantity,
                None if spec.unit_price is None else Money(spec.unit_price, who.currency),
                texts.get(spec.item, ""),
            )
            for spec in lines
        ],
        tax=TaxContext(book.seller(), book.tax_table()),
        tax_point=day,
        rate_card=card,
        po_number=po_number,
    )
    # The id, the draft and (with --issue) issuing it run in one transaction: an invoice
    # refused when it is issued (dated in a closed month) leaves no draft behind and
    # uses up no document id.
    # A retry under the same --idempotency-key returns the first outcome: the draft it
    # created (not a new one with a new id, which the key would refuse) and, through a
    # key of its own, what issuing it gave (the invoice, or the same pending approval).
    with book.store.transaction():
        first = book.idempotent_result(idempotency_key) if idempotency_key else None
        if first is not None and first[0] == "create_invoice":
            stored = book.get_document(str(first[1]["id"]))
        else:
            draft = attrs.evolve(draft, id=book.new_document_id())
            stored = book.create_invoice(
                draft, issue=False, issue_date=day, idempotency_key=idempotency_key
            )
        issue_key = f"{idempotency_key}/issue" if idempotency_key else None
        outcome = (
            book.request_manual_invoice(stored.id, issue_date=day, idempotency_key=issue_key)
            if issue
            else stored
        )
    if not issue:
        obj.emit(document_row(stored), columns=DOCUMENT_COLUMNS, title=f"Draft {stored.id}")
        return
    if isinstance(outcome, ApprovalRequest):
        obj.emit(document_row(stored), columns=DOCUMENT_COLUMNS, title=f"Draft {stored.id}")
        obj.note(
            f"the invoice needs approval ({outcome.reason}); pending as {outcome.id}: "
            f"another person runs `o2c approval approve {outcome.id}`"
        )
        return
    obj.emit(document_row(outcome), columns=DOCUMENT_COLUMNS, title=f"Issued {outcome.number}")
