"""``o2c report``: aging, statement, trial balance, reconciliation."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import click

from o2c.cli._app import Context, NounGroup, pass_context
from o2c.cli._output import OutputFormat, force_option
from o2c.cli._rendering import current_seller, emit_bytes, one_line, template_dirs
from o2c.cli._types import DATE
from o2c.errors import O2CError
from o2c.io import money_to_plain
from o2c.ledger import AgingReport, Statement
from o2c.money import Money

__all__ = ["aging_columns", "aging_rows", "open_item_rows", "report"]


def _amount(money: Money) -> str:
    """The amount at the currency's precision (the currency has its own column)."""
    return money_to_plain(money)["amount"]


def aging_rows(report: AgingReport, *, typed: bool = False) -> list[dict[str, object]]:
    """One row per customer and currency, then one total row per currency.

    Amounts are text at the currency's precision (the currency has its own column), or
    ``Money`` with ``typed`` (numbers in a spreadsheet).
    """

    def shown(money: Money) -> object:
        return money if typed else _amount(money)

    rows: list[dict[str, object]] = []
    for row in (*report.rows, *report.totals):
        entry: dict[str, object] = {"customer": row.customer or "TOTAL", "currency": row.currency}
        for bucket, amount in zip(report.buckets, row.buckets, strict=True):
            entry[bucket.label] = shown(amount)
        entry["disputed"] = shown(row.disputed)
        entry["unapplied"] = shown(row.unapplied)
        rows.append(entry)
    return rows


def aging_columns(report: AgingReport) -> list[str]:
    """The columns of :func:`aging_rows` (also the header of an empty aging)."""
    return ["customer", "currency", *(b.label for b in report.buckets), "disputed", "unapplied"]


@click.group("report", cls=NounGroup)
def report() -> None:
    """Aging, statements, trial balance, reconciliation and KPIs."""


_LEDGER_ONLY_HELP = (
    "The plain ledger figures: every open amount by its own due date, no disputed column "
    "(what reconciles to the journal)."
)


def open_item_rows(stated: Statement) -> list[dict[str, object]]:
    """The open items at the end of a statement: original due date, extension, disputed."""
    return [
        {
            "number": item.number,
            "date": item.document_date,
            "due": item.due_date,
            "extended_to": item.extended_due,
            "open": item.open,
            "disputed": item.disputed,
        }
        for item in stated.open_items
    ]


@report.command("aging")
@click.option("--as-of", type=DATE, help="Age as of this date (default: today).")
@click.option(
    "--basis",
    type=click.Choice(["due_date", "document_date"]),
    default="due_date",
    show_default=True,
    help="Count days from the due date or the document date.",
)
@click.option("--customer", metavar="ID", help="Only this customer.")
@click.option("--ledger-only", is_flag=True, help=_LEDGER_ONLY_HELP)
@pass_context
def report_aging(
    obj: Context, as_of: dt.date | None, basis: str, customer: str | None, ledger_only: bool
) -> None:
    """Open receivables by days past due; the totals equal the AR balance.

    Amounts under an active dispute are in the disputed column, out of the buckets, and an
    invoice with a payment extension ages from its extended due date.
    """
    aged = obj.book().aging(as_of, basis=basis, customer=customer, cases=not ledger_only)
    if obj.output.value == "json":
        obj.emit(aged)
        return
    title = f"Aging as of {aged.as_of} (by {aged.basis.value}"
    obj.emit(
        aging_rows(aged, typed=obj.output is OutputFormat.XLSX),
        columns=aging_columns(aged),
        title=title + (", ledger only)" if ledger_only else ")"),
    )


@report.command("statement")
@click.argument("customer")
@click.option("--from", "start", type=DATE, required=True, help="First day.")
@click.option("--to", "end", type=DATE, required=True, help="Last day.")
@click.option("--currency", metavar="CUR", help="Currency (default: the customer's).")
@click.option("--ledger-only", is_flag=True, help=_LEDGER_ONLY_HELP)
@click.option(
    "--as",
    "form",
    type=click.Choice(["text", "html", "pdf"]),
    help="The statement for the customer (in their language) instead of a report.",
)
@click.option("--locale", help="With --as: override the customer's locale.")
@click.option(
    "--templates",
    type=click.Path(exists=True, file_okay=False, path_type=Path),
    help="With --as: look for templates in DIR first.",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file instead of stdout (the --as statement or the report; xlsx needs it).",
)
@force_option
@pass_context
def report_statement(
    obj: Context,
    customer: str,
    start: dt.date,
    end: dt.date,
    currency: str | None,
    ledger_only: bool,
    form: str | None,
    locale: str | None,
    templates: Path | None,
    output: Path | None,
    force: bool,
) -> None:
    """CUSTOMER's statement: open items, then opening balance, movements, closing balance.

    Each open item shows its original due date, the extended due date of an active payment
    extension and the amount under dispute. CSV carries the movements; JSON everything.
    With --as html|pdf|text, the statement as sent to the customer (seller, payment details).
    """
    book = obj.book()
    stated = book.statement(customer, start, end, currency=currency, cases=not ledger_only)
    if form is not None:
        _customer_statement(obj, stated, form, locale, templates, output, force=force)
        return
    if output is not None:
        obj.output_file, obj.force = output, force
    if obj.output.value == "json":
        obj.emit(stated)
        return
    lines: list[dict[str, object]] = [
        {"date": stated.start, "what": "opening balance", "amount": None, "balance": stated.opening}
    ]
    lines += [
        {
            "date": line.date,
            "what": f"{line.kind.value} {line.reference}".strip(),
            "amount": line.amount,
            "balance": line.balance,
        }
        for line in stated.lines
    ]
    lines.append(
        {"date": stated.end, "what": "closing balance", "amount": None, "balance": stated.closing}
    )
    if obj.output in (OutputFormat.TABLE, OutputFormat.XLSX) and stated.open_items:
        columns = ["number", "date", "due", "extended_to", "open", "disputed"]
        if ledger_only:
            columns = ["number", "date", "due", "open"]
        obj.emit(open_item_rows(stated), columns=columns, title=f"Open items on {stated.end}")
        if obj.output is OutputFormat.TABLE:
            click.echo()
    obj.emit(
        lines,
        columns=("date", "what", "amount", "balance"),
        title=f"Statement {customer} {stated.start}..{stated.end}",
    )
    if not stated.unapplied.is_zero and obj.output is OutputFormat.TABLE:
        click.echo(f"unapplied credit: {stated.unapplied}")


def _customer_statement(
    obj: Context,
    stated: Statement,
    form: str,
    locale: str | None,
    templates: Path | None,
    output: Path | None,
    *,
    force: bool,
) -> None:
    from o2c.io import render_statement_html, render_statement_pdf, render_statement_text

    book = obj.book()
    person = book.get_customer(str(stated.customer))
    seller = current_seller(book)
    dirs = template_dirs(book, templates)
    try:
        if form == "pdf":
            data = render_statement_pdf(
                stated, person, seller=seller, locale=locale, templates=dirs
            )
        else:
            render = render_statement_html if form == "html" else render_statement_text
            text = render(stated, person, seller=seller, locale=locale, templates=dirs)
            data = text.encode("utf-8")
    except O2CError as exc:
        raise one_line(exc) from None
    if emit_bytes(data, output, force=force, binary=form == "pdf"):
        obj.note(f"wrote {output}")


@report.command("trial-balance")
@click.option("--as-of", type=DATE, help="As of this date (default: today).")
@pass_context
def report_trial_balance(obj: Context, as_of: dt.date | None) -> None:
    """Every account's balance per currency; each currency sums to zero."""
    balance = obj.book().trial_balance(as_of)
    if obj.output.value == "json":
        obj.emit(balance)
        return
    rows = [
        {"account": r.account, "name": r.name, "currency": r.currency, "balance": r.balance}
        for r in balance.rows
    ]
    rows += [
        {"account": "TOTAL", "name": "", "currency": c, "balance": balance.total(c)}
        for c in balance.currencies
    ]
    obj.emit(
        rows,
        columns=("account", "name", "currency", "balance"),
        money=("balance",),
        title=f"Trial balance as of {balance.as_of}",
    )


_RECONCILE_COLUMNS = ("currency", "control", "subledgers", "open_items", "unapplied", "credits")


@report.command("reconcile")
@click.option("--as-of", type=DATE, help="As of this date (default: today).")
@pass_context
def report_reconcile(obj: Context, as_of: dt.date | None) -> None:
    """Reconcile AR control to customer sub-ledgers and open items; exit 1 on a difference."""
    result = obj.book().reconcile(as_of)
    if obj.output.value == "json":
        obj.emit(result)
    else:
        obj.emit(
            [
                {
                    "currency": t.currency,
                    "control": t.control,
                    "subledgers": t.subledgers,
                    "open_items": t.open_items,
                    "unapplied": t.unapplied_control,
                    "credits": t.credit_items,
                }
                for t in result.totals
            ],
            columns=_RECONCILE_COLUMNS,
            money=_RECONCILE_COLUMNS[1:],
            title=f"Reconciliation as of {result.as_of}",
        )
    if result.differences:
        from o2c.errors import InvariantViolation

        first = result.differences[0]
        raise InvariantViolation(
            f"{len(result.differences)} reconciliation difference(s); first: {first.message}"
        )
