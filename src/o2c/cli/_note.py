"""``o2c note``: interaction notes on customers, invoices and disputes."""

from __future__ import annotations

import datetime as dt

import click

from o2c.cases import Channel, InteractionNote
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import TIMESTAMP

__all__ = ["NOTE_COLUMNS", "note", "note_row"]

#: The columns of a note list.
NOTE_COLUMNS = (
    "id",
    "started",
    "customer",
    "about",
    "channel",
    "author",
    "minutes",
    "resolved",
    "summary",
)


def note_row(n: InteractionNote) -> dict[str, object]:
    """One line of a note list; ``minutes`` is the handle time."""
    took = n.handle_time
    minutes = None
    if took is not None:
        seconds = took.days * 86_400 + took.seconds
        minutes = f"{seconds // 60}:{seconds % 60:02d}"
    return {
        "id": n.id,
        "started": n.started.isoformat(timespec="minutes"),
        "ended": None if n.ended is None else n.ended.isoformat(timespec="minutes"),
        "customer": n.customer,
        "about": f"{n.target_kind.value} {n.target_id}",
        "channel": n.channel,
        "author": n.author,
        "minutes": minutes,
        "resolved": n.first_contact_resolution,
        "summary": n.summary,
    }


@click.group("note", cls=NounGroup)
def note() -> None:
    """Interaction notes: who said what, on which channel, how long, was it solved."""


@note.command("add")
@click.option("--customer", metavar="ID", help="A note about this customer.")
@click.option("--invoice", metavar="NUMBER", help="A note about this invoice.")
@click.option("--dispute", metavar="ID", help="A note about this dispute.")
@click.option("--channel", required=True, type=click.Choice([c.value for c in Channel]))
@click.option("--summary", required=True, help="What was said and agreed.")
@click.option("--started", type=TIMESTAMP, help="When the contact started (default: now).")
@click.option("--ended", type=TIMESTAMP, help="When it ended.")
@click.option("--minutes", type=click.IntRange(min=0), help="Or: how long it took.")
@click.option(
    "--resolved", is_flag=True, help="Settled in this contact (first-contact resolution)."
)
@idempotency_option
@pass_context
def note_add(
    obj: Context,
    customer: str | None,
    invoice: str | None,
    dispute: str | None,
    channel: str,
    summary: str,
    started: dt.datetime | None,
    ended: dt.datetime | None,
    minutes: int | None,
    resolved: bool,
    idempotency_key: str | None,
) -> None:
    """Record a contact about a customer, an invoice or a dispute (exactly one)."""
    targets = [(k, v) for k, v in (("customer", customer), ("invoice", invoice)) if v] + (
        [("dispute", dispute)] if dispute else []
    )
    if len(targets) != 1:
        raise click.UsageError("name exactly one of --customer, --invoice or --dispute")
    if minutes is not None and ended is not None:
        raise click.UsageError("give --ended or --minutes, not both")
    start = started or obj.now()
    if minutes is not None:
        ended = start + dt.timedelta(minutes=minutes)
    [(kind, target)] = targets
    assert target is not None
    done = obj.book().add_note(
        kind,
        target,
        channel=channel,
        summary=summary,
        started=start,
        ended=ended,
        first_contact_resolution=resolved,
        idempotency_key=idempotency_key,
    )
    obj.emit(note_row(done), title=f"Note {done.id}")


@note.command("list")
@click.option("--customer", metavar="ID", help="Only notes with this customer.")
@click.option("--invoice", metavar="NUMBER", help="Only notes about this invoice.")
@click.option("--dispute", metavar="ID", help="Only notes about this dispute.")
@pass_context
def note_list(obj: Context, customer: str | None, invoice: str | None, dispute: str | None) -> None:
    """List interaction notes in the order they started."""
    found = obj.book().list_notes(customer=customer, document=invoice, dispute=dispute)
    obj.emit([note_row(n) for n in found], columns=NOTE_COLUMNS)
