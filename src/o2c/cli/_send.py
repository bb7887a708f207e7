"""``o2c invoice send``, ``o2c invoice deliveries`` and ``o2c invoice smtp``: e-mail issued
documents to customers over the book's SMTP server, and the record of each delivery.

The commands are added to the ``invoice`` group by :mod:`o2c.cli`.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from typing import Any

import click

from o2c.book import Book, Delivery
from o2c.cli._app import Context, O2CCommand, idempotency_option, pass_context
from o2c.errors import Conflict

__all__ = ["DELIVERY_COLUMNS", "delivery_row", "invoice_deliveries", "invoice_send", "invoice_smtp"]

#: The columns of a delivery list.
DELIVERY_COLUMNS = ("id", "sent_at", "document", "notice", "status", "recipients", "error")


def delivery_row(delivery: Delivery) -> dict[str, object]:
    """One delivery as a row."""
    return {
        "id": delivery.id,
        "sent_at": delivery.sent_at.isoformat(timespec="seconds"),
        "document": delivery.document or "",
        "notice": delivery.notice or "",
        "status": delivery.status,
        "recipients": ", ".join(delivery.recipients),
        "error": delivery.error,
        "message_id": delivery.message_id,
        "sender": delivery.sender,
        "subject": delivery.subject,
        "attachments": ", ".join(delivery.attachments),
        "created_by": delivery.created_by,
    }


def _line(delivery: Delivery) -> str:
    what = delivery.document or delivery.notice or delivery.id
    if delivery.sent:
        return f"sent {what} to {', '.join(delivery.recipients)} ({delivery.message_id})"
    return f"{what} not sent (recorded as failed, {delivery.id}): {delivery.error}"


def _send_run(
    obj: Context,
    book: Book,
    run_id: str,
    *,
    again: bool,
    to: list[str] | None,
    ubl: bool | None,
    locale: str | None,
) -> None:
    documents = [d for d in book.list_documents(bill_run=run_id) if d.number is not None]
    if not documents:
        raise click.ClickException(f"bill run {run_id} has no issued documents to send")
    sent, failed, skipped = 0, [], 0
    with click.progressbar(
        documents, label=f"Sending {len(documents)} documents", file=sys.stderr
    ) as bar:
        for doc in bar:
            try:
                delivery = book.send_document(
                    str(doc.number), to=to, ubl=ubl, locale=locale, again=again
                )
            except Conflict:
                skipped += 1
                continue
            if delivery.sent:
                sent += 1
            else:
                failed.append(delivery)
    summary = f"bill run {run_id}: {sent} sent, {len(failed)} failed, {skipped} sent before"
    if skipped:
        summary += " (--again sends them once more)"
    if failed:
        raise click.ClickException(f"{summary}; first failure: {_line(failed[0])}")
    obj.note(summary)


@click.command("send", cls=O2CCommand)
@click.argument("document", required=False)
@click.option("--run", "run_id", metavar="RUN_ID", help="Send every invoice of this bill run.")
@click.option(
    "--to",
    "to",
    multiple=True,
    metavar="ADDRESS",
    help="Send to this address instead of the customer's (repeatable).",
)
@click.option(
    "--ubl/--no-ubl",
    default=None,
    help="Attach the UBL e-invoice too (default: as the customer's delivery format says).",
)
@click.option("--locale", help="Override the customer's language (es_MX, de_DE...).")
@click.option("--again", is_flag=True, help="Send a document that was sent already.")
@idempotency_option
@pass_context
def invoice_send(
    obj: Context,
    document: str | None,
    run_id: str | None,
    to: Sequence[str],
    ubl: bool | None,
    locale: str | None,
    again: bool,
    idempotency_key: str | None,
) -> None:
    """E-mail issued DOCUMENT (or each of a bill run's) to its customer, with the PDF.

    The e-mail is in the customer's language, from the seller's e-mail address to the
    customer's (o2c customer edit C --email ...), through the book's SMTP server
    (o2c invoice smtp). Each attempt is recorded (o2c invoice deliveries N); a server
    that cannot be reached is recorded as failed and reported in one line.
    """
    if (document is None) == (run_id is None):
        raise click.UsageError("give a DOCUMENT or --run RUN_ID (not both)")
    book = obj.book()
    if run_id is not None:
        if idempotency_key is not None:
            raise click.UsageError("--idempotency-key goes with one DOCUMENT, not --run")
        _send_run(obj, book, run_id, again=again, to=list(to) or None, ubl=ubl, locale=locale)
        return
    delivery = book.send_document(
        str(document),
        to=list(to) or None,
        ubl=ubl,
        locale=locale,
        again=again,
        idempotency_key=idempotency_key,
    )
    if not delivery.sent:
        raise click.ClickException(_line(delivery))
    obj.note(_line(delivery))
    obj.emit(delivery_row(delivery), title=f"Delivery {delivery.id}")


@click.command("deliveries", cls=O2CCommand)
@click.argument("document", required=False)
@pass_context
def invoice_deliveries(obj: Context, document: str | None) -> None:
    """List the deliveries of DOCUMENT (every delivery without one), oldest first."""
    found = obj.book().list_deliveries(document=document)
    obj.emit([delivery_row(d) for d in found], columns=DELIVERY_COLUMNS)


@click.command("smtp", cls=O2CCommand)
@click.option("--host", help="SMTP server host name.")
@click.option("--port", type=click.IntRange(1, 65535), help="Port (default 587).")
@click.option("--starttls/--no-starttls", default=None, help="STARTTLS before login (default on).")
@click.option("--user", help="Login, if the server needs one.")
@click.option(
    "--password-env",
    metavar="VARIABLE",
    help="The environment variable that holds the password (never stored in the book).",
)
@click.option("--sender", metavar="ADDRESS", help="From address when the seller has no e-mail.")
@click.option("--timeout", type=float, help="Seconds to wait for the server (default 30).")
@click.option("--clear", is_flag=True, help="Forget the server.")
@idempotency_option
@pass_context
def invoice_smtp(
    obj: Context,
    host: str | None,
    port: int | None,
    starttls: bool | None,
    user: str | None,
    password_env: str | None,
    sender: str | None,
    timeout: float | None,
    clear: bool,
    idempotency_key: str | None,
) -> None:
    """Show the book's SMTP server, or set it (options not given keep their value)."""
    import attrs

    from o2c.io.delivery import SmtpSettings

    book = obj.book()
    current = book.smtp_settings()
    given = {
        "host": host,
        "port": port,
        "starttls": starttls,
        "user": user,
        "password_env": password_env,
        "sender": sender,
        "timeout": timeout,
    }
    changes: dict[str, Any] = {k: v for k, v in given.items() if v is not None}
    if clear:
        if changes:
            raise click.UsageError("--clear takes no other option")
        book.set_smtp(None, idempotency_key=idempotency_key)
        current = None
    elif changes:
        if current is None and host is None:
            raise click.UsageError("the first setting needs --host")
        base = current or SmtpSettings(str(host))
        current = book.set_smtp(attrs.evolve(base, **changes), idempotency_key=idempotency_key)
    if current is None:
        obj.emit([], columns=("setting", "value"))
        obj.note("no SMTP server: o2c invoice smtp --host HOST [--port 587] ...")
        return
    rows = [
        {"setting": f"smtp.{name}", "value": str(getattr(current, name))}
        for name in ("host", "port", "starttls", "user", "password_env", "timeout", "sender")
    ]
    obj.emit(rows, columns=("setting", "value"))
