"""``o2c export``: a table of the book as CSV, JSON or XLSX, for spreadsheets and analysts.

The tables are the book's own (see the schema guide). Every amount keeps its exact
integer of minor units as stored (``net_minor``), so an export reconciles with SQL, and
gets the same amount in major units beside it (``net``: ``116.00`` MXN, ``1160`` JPY,
``9.250`` KWD) next to the row's currency; ``--as-stored`` leaves out the added columns.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Final

import click

from o2c.cli._app import Context, O2CCommand, pass_context
from o2c.cli._output import BOM, OutputFormat, force_option, write_file
from o2c.cli._types import DATE

_ISO_DATE: Final = re.compile(r"\d{4}-\d{2}-\d{2}")

__all__ = ["export_command"]


@click.command("export", cls=O2CCommand)
@click.argument("table", required=False)
@click.option("--list", "list_tables", is_flag=True, help="List the tables that can be exported.")
@click.option("--limit", type=click.IntRange(1), help="At most this many rows.")
@click.option(
    "--from", "start", type=DATE, help="Only rows dated on or after this day (issue, entry...)."
)
@click.option("--to", "end", type=DATE, help="Only rows dated on or before this day.")
@click.option("--customer", metavar="ID", help="Only this customer's rows.")
@click.option(
    "--as-stored",
    is_flag=True,
    help="Only the stored columns (no major-unit amounts or added currency column).",
)
@click.option(
    "--output",
    "-o",
    type=click.Path(dir_okay=False, writable=True, path_type=Path),
    help="Write to this file (default: stdout).",
)
@force_option
@pass_context
def export_command(
    obj: Context,
    table: str | None,
    list_tables: bool,
    limit: int | None,
    start: dt.date | None,
    end: dt.date | None,
    customer: str | None,
    as_stored: bool,
    output: Path | None,
    force: bool,
) -> None:
    """Export TABLE of the book as CSV (the default), JSON or XLSX (--format, -o FILE).

    `o2c export --list` names the tables (documents, document_lines, journal_lines,
    payments, allocations, ar_open_items, audit_events...). Amounts come in minor units
    as stored (`net_minor`) and in major units beside them (`net`), with the currency.
    --from/--to filter on the table's date (issue_date, received_date, entry_date...)
    and --customer on its customer. CSV cells that a spreadsheet would run as a formula
    are neutralized; --bom adds the byte order mark Excel on Windows needs.
    """
    from o2c.io import to_json, write_csv

    book = obj.book()
    if list_tables or table is None:
        if table is None and not list_tables:
            raise click.UsageError("name a TABLE, or list them with --list")
        obj.emit([{"table": name} for name in book.table_names()])
        return
    chosen = _chosen_format(obj)
    if chosen is OutputFormat.XLSX and output is None:
        raise click.UsageError("xlsx is a binary file, not for a terminal: give -o FILE.xlsx")
    columns, rows = book.export_table(
        table, limit=limit, start=start, end=end, customer=customer, amounts=not as_stored
    )
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    data: str | bytes
    if chosen is OutputFormat.XLSX:
        from o2c.io import write_xlsx

        data = write_xlsx([(table, columns, _typed_rows(columns, rows))])
    elif chosen is OutputFormat.JSON:
        data = to_json(records) + "\n"
    else:
        data = (BOM if obj.bom else "") + write_csv(records, columns)
    if output is None:
        assert isinstance(data, str)
        click.echo(data, nl=False)
    else:
        write_file(output, data, force=force)
        obj.note(f"wrote {len(records)} rows of {table} to {output}")


def _typed_rows(columns: Sequence[str], rows: Sequence[Sequence[object]]) -> list[list[object]]:
    """Cells for XLSX: amounts as Money in the row's currency, ISO dates as dates."""
    from o2c.money import Currency, Money

    at_currency = list(columns).index("currency") if "currency" in columns else None
    amounts = {c.removesuffix("_minor") for c in columns if c.endswith("_minor")}
    typed: list[list[object]] = []
    for row in rows:
        code = row[at_currency] if at_currency is not None else None
        currency = Currency.of(str(code)) if code else None
        cells: list[object] = []
        for column, value in zip(columns, row, strict=True):
            if column in amounts and isinstance(value, Decimal) and currency is not None:
                cells.append(Money(value, currency))
            elif isinstance(value, str) and _ISO_DATE.fullmatch(value):
                cells.append(dt.date.fromisoformat(value))
            else:
                cells.append(value)
        typed.append(cells)
    return typed


def _chosen_format(obj: Context) -> OutputFormat:
    """JSON or XLSX when asked for (here or globally); CSV otherwise, tables included."""
    here = click.get_current_context().get_parameter_source("output_format")
    root = click.get_current_context().find_root().get_parameter_source("output")
    asked = any(s is not None and s.name != "DEFAULT" for s in (here, root))
    if asked and obj.output in (OutputFormat.JSON, OutputFormat.XLSX):
        return obj.output
    return OutputFormat.CSV
