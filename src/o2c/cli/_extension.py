"""``o2c extension``: payment extensions (a new due date, approval past the limit)."""

from __future__ import annotations

import datetime as dt

import click

from o2c.cases import ExtensionStatus, PaymentExtension
from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._types import DATE

__all__ = ["EXTENSION_COLUMNS", "extension", "extension_row"]

#: The columns of an extension list.
EXTENSION_COLUMNS = (
    "id",
    "document",
    "original_due",
    "new_due",
    "days",
    "status",
    "approval",
    "granted_by",
    "reason",
)


def extension_row(ext: PaymentExtension, number: str | None = None) -> dict[str, object]:
    """One line of an extension list: the invoice by ``number`` (its id in ``document_id``)."""
    return {
        "id": ext.id,
        "document": number or ext.document_id,
        "document_id": ext.document_id,
        "customer": ext.customer_id,
        "original_due": ext.original_due,
        "new_due": ext.new_due,
        "days": ext.days,
        "status": ext.status,
        "approval": ext.approval_id,
        "requested_by": ext.requested_by,
        "requested_on": ext.requested_on,
        "granted_by": ext.granted_by,
        "reason": ext.reason,
    }


@click.group("extension", cls=NounGroup)
def extension() -> None:
    """Payment extensions: move an invoice's due date (approval past the policy limit)."""


@extension.command("grant")
@click.argument("invoice")
@click.option("--until", "new_due", required=True, type=DATE, help="The new due date.")
@click.option("--reason", required=True, help="Why (a promise to pay, a pending PO...).")
@click.option("--date", type=DATE, help="Date of the request (default: today).")
@idempotency_option
@pass_context
def extension_grant(
    obj: Context,
    invoice: str,
    new_due: dt.date,
    reason: str,
    date: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Give INVOICE a new due date; past the limit it waits for approval."""
    ext = obj.book().grant_extension(
        invoice, new_due, reason=reason, date=date, idempotency_key=idempotency_key
    )
    if ext.status is ExtensionStatus.PENDING_APPROVAL:
        title = f"Extension {ext.id} waits for approval {ext.approval_id}"
    else:
        title = f"Extension {ext.id}: {invoice} now due {ext.new_due}"
    obj.emit(extension_row(ext, _number(obj, ext)), title=title)


@extension.command("list")
@click.option("--invoice", metavar="NUMBER", help="Only this invoice's extensions.")
@click.option("--status", type=click.Choice([s.value for s in ExtensionStatus]), help="Only these.")
@pass_context
def extension_list(obj: Context, invoice: str | None, status: str | None) -> None:
    """List payment extensions, oldest first."""
    book = obj.book()
    found = book.list_extensions(document=invoice, status=status)
    numbers = book.document_numbers([e.document_id for e in found])
    obj.emit(
        [extension_row(e, numbers.get(e.document_id)) for e in found], columns=EXTENSION_COLUMNS
    )


@extension.command("show")
@click.argument("extension_id")
@pass_context
def extension_show(obj: Context, extension_id: str) -> None:
    """Show payment extension EXTENSION_ID."""
    ext = obj.book().get_extension(extension_id)
    obj.emit(extension_row(ext, _number(obj, ext)))


def _number(obj: Context, ext: PaymentExtension) -> str | None:
    return obj.book().document_numbers([ext.document_id]).get(ext.document_id)
