"""``o2c ratecard``, ``o2c tax``, ``o2c usage``, ``o2c time``: what billing is computed from."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

import click

from o2c.cli._app import (
    Context,
    NounGroup,
    confirm,
    idempotency_option,
    natural_idempotency_option,
    pass_context,
    yes_option,
)
from o2c.cli._i18n import _
from o2c.cli._types import DATE, PERIOD

if TYPE_CHECKING:
    from o2c.book import Book, ImportResult, VoidedRecord
    from o2c.calendar import Period
    from o2c.pricing import RateCard

__all__ = ["ratecard", "tax", "time_group", "usage"]

_FILE = click.Path(exists=True, dir_okay=False, path_type=Path)


@click.group("ratecard", cls=NounGroup)
def ratecard() -> None:
    """Import and read rate cards (TOML price books, effective-dated)."""


@ratecard.command("import")
@click.argument("file", type=_FILE)
@idempotency_option
@pass_context
def ratecard_import(obj: Context, file: Path, idempotency_key: str | None) -> None:
    """Import rate card FILE (TOML); a card imported again becomes its next version.

    Every problem of the file is listed at once and nothing is imported.
    """
    from o2c.io import read_file

    text = str(read_file(str(file)))
    card = obj.book().import_rate_card(file.name, text=text, idempotency_key=idempotency_key)
    obj.emit(_card_row(card), title=f"Rate card {card.code} imported")


def _card_row(card: RateCard) -> dict[str, object]:
    latest = card.versions[-1]
    return {
        "code": card.code,
        "name": card.name,
        "currency": card.currency,
        "versions": len(card.versions),
        "latest_from": latest.effective_from,
        "items": len(latest.items),
    }


@ratecard.command("list")
@pass_context
def ratecard_list(obj: Context) -> None:
    """List rate cards (latest version of each)."""
    obj.emit([_card_row(c) for c in obj.book().list_rate_cards()])


@ratecard.command("show")
@click.argument("code")
@click.option("--at", type=DATE, help="The prices in force on this date (default: today).")
@pass_context
def ratecard_show(obj: Context, code: str, at: dt.date | None) -> None:
    """Show the items and price models of rate card CODE."""
    card = obj.book().get_rate_card(code)
    version = card.version_at(at or obj.today())
    if obj.output.value == "json":
        obj.emit(card)
        return
    rows = [
        {
            "item": item.code,
            "name": item.name,
            "unit": item.unit,
            "model": type(item.model).__name__,
            "tax": item.tax_category,
        }
        for item in version.items
    ]
    obj.emit(rows, title=f"{card.code} ({card.currency}), prices from {version.effective_from}")


@click.group("tax", cls=NounGroup)
def tax() -> None:
    """Import tax rate tables and choose the one the book bills with."""


@tax.command("import")
@click.argument("file", type=_FILE)
@click.option("--use/--no-use", default=True, show_default=True, help="Bill with it from now on.")
@idempotency_option
@pass_context
def tax_import(obj: Context, file: Path, use: bool, idempotency_key: str | None) -> None:
    """Import tax table FILE (TOML); every problem is listed at once."""
    from o2c.io import read_file

    text = str(read_file(str(file)))
    table = obj.book().import_tax_table(
        file.name, text=text, use=use, idempotency_key=idempotency_key
    )
    obj.emit(
        {"name": table.name, "rates": len(table.rates), "in_use": use},
        title=f"Tax table {table.name} imported",
    )


@tax.command("list")
@pass_context
def tax_list(obj: Context) -> None:
    """List imported tax tables and the rates of the table in use."""
    book = obj.book()
    current = book.tax_table()
    if obj.output.value == "table":
        names = book.list_tax_tables()
        click.echo(f"in use: {current.name}; imported: {', '.join(names) or '(none)'}")
    rows = [
        {
            "code": r.code,
            "tax": r.tax,
            "category": r.category,
            "rate": r.rate,
            "from": r.valid_from,
            "to": r.valid_to,
            "where": r.jurisdiction,
            "kind": r.kind,
        }
        for r in current.rates
    ]
    obj.emit(rows)


@click.group("usage", cls=NounGroup)
def usage() -> None:
    """Import metered usage (records with an id are never billed twice)."""


def _imported(file: Path, result: ImportResult) -> dict[str, object]:
    return {
        "file": file.name,
        "imported": result.inserted,
        "duplicates": result.duplicates,
        "conflicts": len(result.conflicts),
    }


def _warn_conflicts(obj: Context, what: str, ids: Sequence[str]) -> None:
    """Say which re-sent ids carried other content: the stored record was kept."""
    if ids:
        shown = ", ".join(ids[:10]) + (f" and {len(ids) - 10} more" if len(ids) > 10 else "")
        obj.note(
            f"warning: {len(ids)} {what} reuse an id already imported with other content "
            f"(kept as first imported, the new content was NOT imported): {shown}; give "
            "new records new ids"
        )


@usage.command("import")
@click.argument("file", type=_FILE)
@click.option("--contract", metavar="ID", help="The contract, when a customer has several.")
@natural_idempotency_option("records already imported are skipped by id")
@pass_context
def usage_import(obj: Context, file: Path, contract: str | None) -> None:
    """Import usage records from CSV FILE: id,customer,item,quantity,timestamp.

    Timestamps need an offset (2026-10-31T23:30:00-06:00). Every row is checked first:
    with any problem nothing is imported. Records already imported (same id) are skipped.
    """
    from o2c.io import read_file, read_usage_csv

    records = read_usage_csv(str(read_file(str(file))), file.name)
    book = obj.book()
    _check_customers(book, file.name, {r.customer: r.id for r in reversed(records)})
    result = book.import_usage(records, contract=contract)
    obj.emit(_imported(file, result), title="Usage imported")
    _warn_conflicts(obj, "usage records", result.conflicts)
    _warn_off_contract(obj, book, {r.id for r in records})


def _warn_off_contract(obj: Context, book: Book, ids: set[str]) -> None:
    """Say which imported records no contract of their customer bills (the bill run will
    put them in the exceptions queue), instead of importing them without a word."""
    from o2c.billing.unbilled import UnbilledKind, UnbilledStatus

    off = [
        u
        for u in book.list_unbilled()
        if u.kind is UnbilledKind.USAGE and u.id in ids and u.status is UnbilledStatus.EXCEPTION
    ]
    if off:
        shown = "; ".join(u.reason for u in off[:3]) + ("; ..." if len(off) > 3 else "")
        obj.note(
            f"warning: {len(off)} record{'s' if len(off) > 1 else ''} will not be billed until a"
            " contract bills the item"
            f" (the bill run queues them as exceptions): {shown}"
        )


@usage.command("list")
@click.option(
    "--unbilled",
    is_flag=True,
    help="What no invoice bills yet (usage, time, sales orders), each with why.",
)
@click.option(
    "--voided",
    is_flag=True,
    help="The usage records and time entries taken out with `usage void` / `time void`.",
)
@click.option("--customer", metavar="ID", help="With --voided: this customer's only.")
@click.option("--period", type=PERIOD, help="As a run for this period sees it (default: now).")
@click.option("--cut-off", type=DATE, help="The run's cut-off (default: the period's end).")
@pass_context
def usage_list(
    obj: Context,
    unbilled: bool,
    voided: bool,
    customer: str | None,
    period: Period | None,
    cut_off: dt.date | None,
) -> None:
    """List unbilled usage records, time entries and sales orders with why: an
    exception (no contract of the customer bills the item) or pending (the run that
    bills it, the cut-off, approval...). Billed usage shows on its invoice.

    With --voided: the voided records, with who voided them, when and why."""
    from o2c.cli._bill import UNBILLED_COLUMNS, unbilled_row

    if unbilled and voided:
        raise click.UsageError("give --unbilled or --voided, not both")
    if voided:
        if period is not None or cut_off is not None:
            raise click.UsageError("--period and --cut-off go with --unbilled, not --voided")
        book = obj.book()
        found = [*book.list_voided("usage", customer=customer)]
        found += book.list_voided("time", customer=customer)
        found.sort(key=lambda r: (r.voided_at, r.kind.value, r.id))
        obj.emit([_voided_row(r) for r in found], columns=list(VOIDED_COLUMNS), title="Voided")
        return
    if customer is not None:
        raise click.UsageError("--customer goes with --voided")
    if not unbilled:
        raise click.UsageError(
            "give --unbilled or --voided (billed usage is on its invoice: `o2c invoice show`)"
        )
    rows = [unbilled_row(u) for u in obj.book().list_unbilled(period=period, cut_off=cut_off)]
    obj.emit(rows, columns=list(UNBILLED_COLUMNS), title="Unbilled")


@usage.command("charge")
@click.option("--date", "day", type=DATE, help="Date of the invoices (default: today).")
@click.option("--through", type=DATE, help="Charge events up to this date (default: --date).")
@click.option(
    "--each/--per-period",
    default=False,
    help="An invoice per charged event, or one per contract period (default).",
)
@click.option("--customer", metavar="ID", help="Only this customer's events.")
@idempotency_option
@pass_context
def usage_charge(
    obj: Context,
    day: dt.date | None,
    through: dt.date | None,
    each: bool,
    customer: str | None,
    idempotency_key: str | None,
) -> None:
    """Charge usage of items priced per event (per_event = true on the rate card) and
    invoice it now: each event costs what the period's amount to date grows by with it,
    so a period's charges add up to its period rating. Each event is charged once."""
    result = obj.book().charge_usage_events(
        date=day, through=through, each=each, customer=customer, idempotency_key=idempotency_key
    )
    obj.emit(
        {
            "invoices": len(result.document_ids),
            "events": result.charged,
            "documents": list(result.document_ids),
            "problems": list(result.problems),
        },
        title=_("Usage charged per event"),
    )
    for problem in result.problems:
        obj.note(_("not charged: {problem}").format(problem=problem))


#: The columns ``usage list --voided`` and the void commands show.
VOIDED_COLUMNS = ("kind", "id", "customer", "item", "quantity", "voided_at", "voided_by", "reason")


def _voided_row(record: VoidedRecord) -> dict[str, object]:
    return {
        "kind": record.kind.value,
        "id": record.id,
        "customer": record.customer,
        "contract": record.contract,
        "item": record.item,
        "quantity": record.quantity,
        "date": record.work_date or (record.occurred_at and record.occurred_at.isoformat()),
        "voided_at": record.voided_at.isoformat(timespec="seconds"),
        "voided_by": record.voided_by,
        "reason": record.reason,
    }


def _void(
    obj: Context,
    kind: str,
    ids: Sequence[str],
    reason: str,
    idempotency_key: str | None,
    yes: bool,
) -> None:
    """Void usage records or time entries (``usage void`` / ``time void``)."""
    noun = "usage record" if kind == "usage" else "time entry"
    plural = "usage records" if kind == "usage" else "time entries"
    what = f"{noun} {ids[0]}" if len(ids) == 1 else f"{len(ids)} {plural} ({', '.join(ids)})"
    if not yes:
        confirm(f"Void {what}? No bill run will bill it again.", yes=yes)
    book = obj.book()
    void = book.void_usage if kind == "usage" else book.void_time
    done = void(ids, reason=reason, idempotency_key=idempotency_key)
    obj.emit(
        [_voided_row(r) for r in done],
        columns=list(VOIDED_COLUMNS),
        title=f"Voided {len(done)} {noun if len(done) == 1 else plural}",
    )


@usage.command("void")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--reason", required=True, help="Why (kept with each record and in the audit).")
@idempotency_option
@yes_option
@pass_context
def usage_void(
    obj: Context, ids: tuple[str, ...], reason: str, idempotency_key: str | None, yes: bool
) -> None:
    """Take wrong usage records ID... out before they are billed.

    They stay in the book as void (a re-import of the same id is still a duplicate) and
    no bill run or per-event charge bills them. A billed record is refused with its
    invoice (correct that with a credit note); with any id refused nothing is voided.
    It asks first (--yes answers for a script).
    """
    _void(obj, "usage", ids, reason, idempotency_key, yes)


def _check_customers(book: Book, source: str, first_record: dict[str, str]) -> None:
    """Refuse the file when it names customers the book does not have (all of them)."""
    from o2c.errors import NotFound
    from o2c.io import FileProblems

    problems = []
    for customer, record in sorted(first_record.items()):
        try:
            book.get_customer(customer)
        except NotFound:
            problems.append(
                f"customer {customer!r} (first in record {record!r}) is not in the book;"
                " add it with `o2c customer add`"
            )
    if problems:
        raise FileProblems(source, problems)


@click.group("time", cls=NounGroup)
def time_group() -> None:
    """Import time entries for time-and-materials billing."""


@time_group.command("import")
@click.argument("file", type=_FILE)
@click.option("--customer", required=True, metavar="ID", help="Whose time it is.")
@click.option("--contract", metavar="ID", help="The contract, when the customer has several.")
@natural_idempotency_option("entries already imported are skipped by id")
@pass_context
def time_import(obj: Context, file: Path, customer: str, contract: str | None) -> None:
    """Import time entries from CSV FILE: id,person,role,date,hours[,billable,approved].

    Only approved, billable entries are billed. Entries already imported are skipped.
    """
    from o2c.io import read_file, read_time_csv

    entries = read_time_csv(str(read_file(str(file))), file.name)
    result = obj.book().import_time(entries, customer=customer, contract=contract)
    obj.emit(_imported(file, result), title="Time imported")
    _warn_conflicts(obj, "time entries", result.conflicts)


@time_group.command("void")
@click.argument("ids", nargs=-1, required=True, metavar="ID...")
@click.option("--reason", required=True, help="Why (kept with each entry and in the audit).")
@idempotency_option
@yes_option
@pass_context
def time_void(
    obj: Context, ids: tuple[str, ...], reason: str, idempotency_key: str | None, yes: bool
) -> None:
    """Take wrong time entries ID... out before they are billed (as `usage void`).

    A billed entry is refused with its invoice; with any id refused nothing is voided.
    It asks first (--yes answers for a script).
    """
    _void(obj, "time", ids, reason, idempotency_key, yes)
