"""``o2c collections``: the collector's worklist and a customer's credit position."""

from __future__ import annotations

import datetime as dt

import click

from o2c.cli._app import Context, NounGroup, pass_context
from o2c.cli._types import DATE, MONEY
from o2c.credit import CreditCheck, WorklistRow
from o2c.money import Money

__all__ = ["WORKLIST_COLUMNS", "collections", "credit_row"]

#: The columns of the worklist (CSV and JSON carry the last contact's summary too).
WORKLIST_COLUMNS = (
    "rank",
    "customer",
    "name",
    "overdue",
    "oldest_days",
    "items",
    "disputed",
    "promised",
    "promises_not_kept",
    "last_contact",
    "on_hold",
)


def worklist_row(row: WorklistRow) -> dict[str, object]:
    """One worklist row as printed."""
    contact = row.last_contact
    return {
        "rank": row.rank,
        "customer": row.customer,
        "name": row.name,
        "currency": row.currency.code,
        "overdue": row.overdue,
        "oldest_days": row.oldest_days,
        "items": row.items,
        "open": row.open,
        "disputed": row.disputed,
        "promised": row.promised,
        "promises_pending": row.promises_pending,
        "promises_not_kept": row.promises_not_kept,
        "last_contact": None if contact is None else contact.when.date(),
        "last_channel": None if contact is None else contact.channel,
        "last_summary": None if contact is None else contact.summary,
        "last_by": None if contact is None else contact.author,
        "on_hold": row.on_hold,
    }


def credit_row(check: CreditCheck) -> dict[str, object]:
    """A customer's credit position as printed (``o2c customer show`` uses it too)."""
    return {
        "credit_limit": check.limit,
        "open": check.receivable,
        "unapplied": check.unapplied,
        "exposure": check.exposure,
        "headroom": check.headroom,
        "on_hold": check.on_hold,
        "blocked": check.blocked,
        "reason": check.reason,
    }


@click.group("collections", cls=NounGroup)
def collections() -> None:
    """Collections: the collector's worklist, a customer's credit against its limit."""


@collections.command("worklist")
@click.option("--as-of", type=DATE, help="Date (default: today).")
@click.option("--customer", help="Only this customer.")
@pass_context
def collections_worklist(obj: Context, as_of: dt.date | None, customer: str | None) -> None:
    """Rank the customers to call: overdue amount (open less disputed, past the effective
    due date), then the age of the oldest overdue item, per currency; with the last
    contact, promises and disputes. --format csv or json for a spreadsheet."""
    rows = obj.book().collections_worklist(as_of, customer=customer)
    obj.emit(
        [worklist_row(r) for r in rows],
        columns=WORKLIST_COLUMNS,
        money=("overdue", "disputed", "promised"),
    )


@collections.command("credit-check")
@click.argument("customer")
@click.option("--amount", type=MONEY, help="An invoice about to be made, to measure too.")
@click.option("--as-of", type=DATE, help="Date (default: today).")
@pass_context
def collections_credit(
    obj: Context, customer: str, amount: Money | None, as_of: dt.date | None
) -> None:
    """Show CUSTOMER's credit: limit, open, unapplied, exposure, headroom, credit hold."""
    check = obj.book().credit_check(customer, amount=amount, as_of=as_of)
    obj.emit({"customer": check.customer, **credit_row(check), "candidate": check.candidate})
