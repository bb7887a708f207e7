"""``o2c export``: a table of the book as CSV or JSON, for spreadsheets and analysts.

The tables are the book's own (see the schema guide): amounts are exact integers of
minor units next to their currency, exactly as stored, so an export reconciles with SQL.
"""

from __future__ import annotations

from pathlib import Path

import click

from o2c.cli._app import Context, O2CCommand, pass_context
from o2c.cli._output import OutputFormat, force_option, write_file

__all__ = ["export_command"]


@click.command("export", cls=O2CCommand)
@click.argument("table", required=False)
@click.option("--list", "list_tables", is_flag=True, help="List the tables that can be exported.")
@click.option("--limit", type=click.IntRange(1), help="At most this many rows.")
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
    output: Path | None,
    force: bool,
) -> None:
    """Export TABLE of the book as CSV (the default) or JSON (--format json).

    `o2c export --list` names the tables (documents, document_lines, journal_lines,
    payments, allocations, ar_open_items, audit_events...). CSV cells that a spreadsheet
    would run as a formula are neutralized.
    """
    from o2c.io import to_json, write_csv

    book = obj.book()
    if list_tables or table is None:
        if table is None and not list_tables:
            raise click.UsageError("name a TABLE, or list them with --list")
        obj.emit([{"table": name} for name in book.table_names()])
        return
    columns, rows = book.export_table(table, limit=limit)
    records = [dict(zip(columns, row, strict=True)) for row in rows]
    if _chosen_format(obj) is OutputFormat.JSON:
        text = to_json(records)
    else:
        text = write_csv(records, columns).rstrip("\n")
    if output is None:
        click.echo(text)
    else:
        write_file(output, text + "\n", force=force)
        obj.note(f"wrote {len(records)} rows of {table} to {output}")


def _chosen_format(obj: Context) -> OutputFormat:
    """JSON when asked for (here or globally); CSV otherwise, tables included."""
    here = click.get_current_context().get_parameter_source("output_format")
    root = click.get_current_context().find_root().get_parameter_source("output")
    asked = any(s is not None and s.name != "DEFAULT" for s in (here, root))
    return OutputFormat.JSON if asked and obj.output is OutputFormat.JSON else OutputFormat.CSV
