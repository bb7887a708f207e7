"""``o2c export``: whole tables of the book as CSV or JSON, for spreadsheets and analysts."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, O2CCommand, pass_context
from o2c.cli._output import OutputFormat, render

if TYPE_CHECKING:
    from o2c.book import Book

__all__ = ["TABLES", "export_command"]


def _lines(book: Book) -> list[object]:
    rows: list[object] = []
    for doc in book.list_documents():
        for line in doc.lines:
            rows.append(
                {
                    "document_id": doc.id,
                    "number": doc.number,
                    "kind": doc.kind,
                    "customer": doc.customer.customer_id,
                    "line": line.number,
                    "item": line.item,
                    "description": line.description,
                    "quantity": line.quantity,
                    "unit_price": line.unit_price,
                    "net": line.net,
                    "tax": line.tax,
                    "withheld": line.withheld,
                    "tax_category": line.tax_category,
                    "source": line.source,
                    "period": line.period,
                }
            )
    return rows


def _journal(book: Book) -> list[object]:
    rows: list[object] = []
    for entry in book.journal():
        for number, posting in enumerate(entry.lines, start=1):
            row: dict[str, object] = {
                "entry": entry.id,
                "date": entry.date,
                "kind": entry.kind,
                "source": entry.source,
                "reference": entry.reference,
                "line": number,
            }
            row.update(_fields(posting))
            rows.append(row)
    return rows


def _fields(value: object) -> dict[str, object]:
    from o2c.io import to_plain

    plain = to_plain(value)
    return dict(plain) if isinstance(plain, dict) else {"value": plain}


#: What can be exported: name -> (description, rows of the book).
TABLES: dict[str, tuple[str, Callable[[Book], list[object]]]] = {
    "customers": ("customers with every detail", lambda b: list(b.list_customers())),
    "contracts": ("contracts with their versions", lambda b: list(b.list_contracts())),
    "documents": ("invoices, credit and debit notes (headers and totals)",
                  lambda b: [_document(d) for d in b.list_documents()]),
    "lines": ("document lines", _lines),
    "payments": ("payments received", lambda b: list(b.list_payments())),
    "allocations": ("payment and credit applications", lambda b: list(b.list_allocations())),
    "open-items": ("what is open on each invoice today", lambda b: list(b.open_items())),
    "journal": ("journal lines (one row per posting)", _journal),
    "refunds": ("refunds paid out", lambda b: list(b.list_refunds())),
    "disputes": ("disputes", lambda b: list(b.list_disputes())),
    "approvals": ("approval requests", lambda b: list(b.list_approvals())),
    "exceptions": ("bill run exceptions (all)", lambda b: list(b.list_exceptions(status=None))),
    "audit": ("the audit trail", lambda b: list(b.audit_log())),
}  # fmt: skip


def _document(doc: object) -> dict[str, object]:
    from o2c.billing import Document
    from o2c.cli._views import document_row

    assert isinstance(doc, Document)
    row = document_row(doc)
    row["gross"] = doc.totals.gross
    row["withheld"] = doc.totals.withheld
    row["period"] = doc.period
    row["po_number"] = doc.po_number
    return row


@click.command("export", cls=O2CCommand)
@click.argument("table", type=click.Choice(sorted(TABLES)))
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: stdout).",
)
@pass_context
def export_command(obj: Context, table: str, output: Path | None) -> None:
    """Export TABLE of the book as CSV (the default) or JSON (--format json).

    CSV cells that a spreadsheet would run as a formula are neutralized; amounts are
    exact decimal strings with the currency in its own column.
    """
    source = click.get_current_context().get_parameter_source("output_format")
    root = click.get_current_context().find_root().get_parameter_source("output")
    chosen_here = source is not None and source.name != "DEFAULT"
    chosen_globally = root is not None and root.name != "DEFAULT"
    form = obj.output if chosen_here or chosen_globally else OutputFormat.CSV
    if form is OutputFormat.TABLE:
        form = OutputFormat.CSV
    _, rows_of = TABLES[table]
    text = render(rows_of(obj.book()), form)
    if output is None:
        click.echo(text)
    else:
        output.write_text(text + "\n", encoding="utf-8")
        obj.note(f"wrote {output}")
