"""``o2c series``: the number series patterns of invoices, credit notes and debit notes."""

from __future__ import annotations

import click

from o2c.billing import DocumentKind, NumberSeries
from o2c.cli._app import Context, NounGroup, natural_idempotency_option, pass_context

__all__ = ["series"]

_KINDS = [k.value.replace("_", "-") for k in DocumentKind]


def _row(kind: str, series: NumberSeries) -> dict[str, object]:
    return {
        "kind": kind,
        "series": series.code,
        "pattern": series.pattern,
        "restarts": "monthly"
        if series.resets_monthly
        else "yearly"
        if series.resets_yearly
        else "never",
    }


@click.group("series", cls=NounGroup)
def series() -> None:
    """Number series: the pattern each kind of document is numbered with."""


@series.command("list")
@pass_context
def series_list(obj: Context) -> None:
    """List the pattern of each document kind."""
    book = obj.book()
    obj.emit([_row(kind, book.number_series(kind)) for kind in _KINDS])


@series.command("set")
@click.argument("kind", type=click.Choice(_KINDS))
@click.argument("pattern", required=False)
@click.option("--default", "use_default", is_flag=True, help="Go back to the default pattern.")
@natural_idempotency_option("setting a pattern twice leaves it set")
@pass_context
def series_set(obj: Context, kind: str, pattern: str | None, use_default: bool) -> None:
    """Number KIND documents with PATTERN from now on (a controller's change).

    PATTERN has one {seq} ({seq:06} pads it to 6 digits) and may have {year}, {yy} and
    {month}, e.g. 'F-{yy}{month}-{seq:05}'; a pattern with {year} or {month} counts per
    year or month. Numbers stay gapless and unique.
    """
    if (pattern is None) == (not use_default):
        raise click.UsageError("give a PATTERN, or --default (not both)")
    obj.emit(_row(kind, obj.book().set_number_series(kind, pattern)))
