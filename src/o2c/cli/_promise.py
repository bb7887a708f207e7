"""``o2c promise``: promises to pay, taken in a contact and judged from the payments."""

from __future__ import annotations

import datetime as dt

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import DATE, MONEY
from o2c.credit import PromiseOutcome, PromiseStatus
from o2c.money import Money

__all__ = ["PROMISE_COLUMNS", "promise"]

#: The columns of a promise list.
PROMISE_COLUMNS = (
    "id",
    "customer",
    "amount",
    "promised_on",
    "deadline",
    "status",
    "paid",
    "short",
    "items",
)
_CHANNELS = ("email", "phone", "portal", "chat", "letter", "in_person")


def promise_row(outcome: PromiseOutcome) -> dict[str, object]:
    """One promise as a row: what was promised, and how it stands."""
    promise = outcome.promise
    return {
        "id": promise.id,
        "customer": promise.customer_id,
        "amount": promise.amount,
        "promised_on": promise.promised_on,
        "deadline": promise.deadline,
        "status": outcome.status,
        "paid": outcome.paid,
        "short": outcome.short,
        "kept_on": outcome.kept_on,
        "items": ", ".join(promise.numbers or promise.documents),
        "taken_on": promise.taken_on,
        "taken_by": promise.taken_by,
        "note": promise.note_id,
        "grace_days": promise.grace_days,
    }


@click.group("promise", cls=NounGroup)
def promise() -> None:
    """Promises to pay: record one from a contact, see which were kept or broken."""


@promise.command("add")
@click.argument("customer")
@click.option("--by", "promised_on", type=DATE, required=True, help="Date promised to pay by.")
@click.option(
    "--amount", type=MONEY, help="Amount promised (default: what is open, less disputes)."
)
@click.option(
    "--invoice",
    "invoices",
    metavar="NUMBER",
    multiple=True,
    help="A promised item (repeatable; default: every open item of the customer).",
)
@click.option("--note", metavar="NOTE_ID", help="The interaction note of the contact, if recorded.")
@click.option(
    "--channel",
    type=click.Choice(_CHANNELS),
    default="phone",
    show_default=True,
    help="Channel of the new note (without --note).",
)
@click.option("--summary", help="Summary of the new note (default: the promise in words).")
@click.option("--date", type=DATE, help="Day the promise was taken (default: today).")
@idempotency_option
@pass_context
def promise_add(
    obj: Context,
    customer: str,
    promised_on: dt.date,
    amount: Money | None,
    invoices: tuple[str, ...],
    note: str | None,
    channel: str,
    summary: str | None,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Record CUSTOMER's promise to pay by --by; dunning waits while it is pending.

    The promise is kept when the customer's payments (applied to the promised items, or
    not yet applied) reach the amount by --by, kept late when they do in the grace days
    after it (the promise.grace_days setting, 3 by default), and partly kept or broken
    otherwise; then dunning resumes.
    """
    outcome = obj.book().add_promise(
        customer,
        promised_on,
        amount=amount,
        documents=invoices,
        note=note,
        channel=channel,
        summary=summary,
        date=date,
        idempotency_key=idempotency_key,
    )
    obj.emit(promise_row(outcome))


@promise.command("list")
@click.option("--customer", help="Only this customer's promises.")
@click.option("--invoice", metavar="NUMBER", help="Only promises covering this invoice.")
@click.option(
    "--status",
    type=click.Choice([s.value for s in PromiseStatus]),
    help="Only promises that stand so on --as-of.",
)
@click.option("--as-of", type=DATE, help="Judge them on this date (default: today).")
@pass_context
def promise_list(
    obj: Context,
    customer: str | None,
    invoice: str | None,
    status: str | None,
    as_of: dt.date | None,
) -> None:
    """List promises in the order they were taken, each judged on --as-of."""
    found = obj.book().list_promises(customer=customer, document=invoice, as_of=as_of)
    rows = [promise_row(o) for o in found if status is None or o.status.value == status]
    obj.emit(rows, columns=PROMISE_COLUMNS)


@promise.command("show")
@click.argument("promise_id")
@click.option("--as-of", type=DATE, help="Judge it on this date (default: today).")
@pass_context
def promise_show(obj: Context, promise_id: str, as_of: dt.date | None) -> None:
    """Show promise PROMISE_ID: what was promised, what was paid, kept or broken."""
    obj.emit(promise_row(obj.book().promise(promise_id, as_of=as_of)))


@promise.command("kept-rate")
@click.option("--from", "start", type=DATE, required=True, help="First day of the period.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the period.")
@pass_context
def promise_kept_rate(obj: Context, start: dt.date, end: dt.date) -> None:
    """The promise kept rate: promises kept in full (on time or in the grace days) over
    the promises whose grace ended from --from to --to; partly kept count as not kept."""
    rate = obj.book().promise_kept_rate(start, end)
    obj.emit(
        {
            "from": start,
            "to": end,
            "judged": rate.judged,
            "kept": rate.kept,
            "kept_late": rate.kept_late,
            "partly_kept": rate.partly_kept,
            "broken": rate.broken,
            "rate": None if rate.rate is None else f"{rate.rate * 100:.1f}%",
        }
    )
