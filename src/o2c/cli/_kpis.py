"""``o2c report kpis``, ``case-aging`` and ``case-statement``, on the ``report`` group.

``report aging`` and ``report statement`` are case-aware themselves; ``case-aging`` is
kept as an alias of ``report aging`` and ``case-statement`` prints the statement's open
items alone (in any output format).
"""

from __future__ import annotations

import datetime as dt

import click

from o2c.calendar import Period
from o2c.cli._app import Context, O2CCommand, pass_context
from o2c.cli._report import aging_rows, open_item_rows
from o2c.cli._types import DATE, PERIOD
from o2c.kpi import CURRENCY_FREE, KpiValue

__all__ = ["case_aging_command", "case_statement_command", "kpi_row", "kpis_command"]


def kpi_row(kpi: KpiValue) -> dict[str, object]:
    """One KPI: its value (``n/a`` when undefined), unit, the figures and the formula."""
    return {
        "kpi": kpi.name,
        "value": "n/a" if kpi.value is None else kpi.value,
        "unit": kpi.unit,
        "numerator": kpi.numerator,
        "denominator": kpi.denominator,
        "formula": kpi.formula,
    }


@click.command("kpis", cls=O2CCommand)
@click.option("--period", type=PERIOD, help="The month (or range), e.g. 2026-10.")
@click.option("--from", "start", type=DATE, help="First day (instead of --period).")
@click.option("--to", "end", type=DATE, help="Last day, inclusive (instead of --period).")
@click.option(
    "--currency",
    metavar="CUR",
    help="Currency of the money KPIs (default: each currency of the book, one report each).",
)
@click.option(
    "--as-of",
    type=DATE,
    help="Report date: invoice accuracy counts corrections and voids up to it "
    "(default: today, never before the period's last day).",
)
@pass_context
def kpis_command(
    obj: Context,
    period: Period | None,
    start: dt.date | None,
    end: dt.date | None,
    currency: str | None,
    as_of: dt.date | None,
) -> None:
    """The team's KPIs over a period, each with its formula and figures.

    A book that bills in several currencies reports each currency apart (a currency
    column; in JSON one object per currency) unless --currency picks one.
    """
    if period is not None and (start or end):
        raise click.UsageError("give --period or --from/--to, not both")
    if period is None:
        if start is None or end is None:
            raise click.UsageError("give --period, or both --from and --to")
        period = Period(start, end + dt.timedelta(days=1))
    book = obj.book()
    if currency is not None:
        reports = {currency: book.kpis(period.start, period.end, currency=currency, as_of=as_of)}
    else:
        reports = book.kpis_by_currency(period.start, period.end, as_of=as_of)
    single = len(reports) <= 1
    if obj.output.value == "json":
        if single:
            obj.emit([k for values in reports.values() for k in values])
        else:
            obj.emit([{"currency": c, "kpis": list(v)} for c, v in reports.items()])
        return
    columns = ["kpi", "value", "unit", "numerator", "denominator"]
    # In a table for people, the contact KPIs (not money: the same in every currency) are
    # shown once, as currency "all"; CSV keeps a row per currency for scripts.
    once = not single and obj.output.value == "table"
    rows = [
        kpi_row(k) if single else {"currency": code, **kpi_row(k)}
        for code, values in reports.items()
        for k in values
        if not once or k.name not in CURRENCY_FREE
    ]
    if once:
        first = next(iter(reports.values()))
        rows += [{"currency": "all", **kpi_row(k)} for k in first if k.name in CURRENCY_FREE]
    obj.emit(
        rows,
        columns=(columns if single else ["currency", *columns])
        if obj.output.value == "table"
        else None,
        title=f"KPIs {period.start}..{period.last_day}",
    )


@click.command("case-aging", cls=O2CCommand)
@click.option("--as-of", type=DATE, help="Age as of this date (default: today).")
@click.option("--customer", metavar="ID", help="Only this customer.")
@pass_context
def case_aging_command(obj: Context, as_of: dt.date | None, customer: str | None) -> None:
    """The same as `o2c report aging`: disputed amounts apart, extensions honoured."""
    aged = obj.book().aging(as_of, customer=customer)
    if obj.output.value == "json":
        obj.emit(aged)
        return
    obj.emit(aging_rows(aged), title=f"Aging with cases as of {aged.as_of}")


@click.command("case-statement", cls=O2CCommand)
@click.argument("customer")
@click.option("--from", "start", type=DATE, required=True, help="First day.")
@click.option("--to", "end", type=DATE, required=True, help="Last day.")
@click.option("--currency", metavar="CUR", help="Currency (default: the customer's).")
@pass_context
def case_statement_command(
    obj: Context, customer: str, start: dt.date, end: dt.date, currency: str | None
) -> None:
    """CUSTOMER's open items at the end of a statement, disputed and extended parts apart."""
    stated = obj.book().statement(customer, start, end, currency=currency)
    if obj.output.value == "json":
        obj.emit(stated)
        return
    obj.emit(
        open_item_rows(stated),
        title=f"Open items of {customer} on {stated.end} (closing {stated.closing})",
    )
