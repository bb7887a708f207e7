"""``o2c rerate``: what corrected rates or tax data change on issued invoices, and the fix.

Checks the issued invoices whose *issue date* is in ``--from``..``--to`` (both included)
against the book's current rate cards, contracts and tax table (see
:meth:`o2c.book.Book.rerate`). Without ``--apply`` it only reports; with ``--apply`` it
issues the credit notes (under the approval policy), debit notes and re-bills.
"""

from __future__ import annotations

import datetime as dt

import click

from o2c.billing import ReasonCode
from o2c.book import RerateResult
from o2c.cli._app import Context, O2CCommand, idempotency_option, pass_context
from o2c.cli._types import DATE
from o2c.money import Currency, Money

__all__ = ["rerate_command", "rerate_rows", "rerate_summary"]

ROW_COLUMNS = ("customer", "invoice", "currency", "old", "new", "difference", "action")


def _code(item: tuple[Currency, Money]) -> str:
    return item[0].code


def rerate_rows(result: RerateResult) -> list[dict[str, object]]:
    """One row per affected invoice: customer, number, currency, amounts, proposed action."""
    return [
        {
            "customer": str(row.customer_id),
            "invoice": row.number,
            "currency": row.old.currency.code,
            "old": row.old.amount,
            "new": row.new.amount,
            "difference": row.difference.amount,
            "action": row.action.value,
        }
        for row in result.report.rows
    ]


def rerate_summary(result: RerateResult) -> dict[str, object]:
    """Checked, affected and skipped counts, net difference per currency, what was issued."""
    return {
        "checked": result.report.checked,
        "affected": len(result.report.rows),
        "skipped": result.skipped,
        "difference": {
            cur.code: money.amount
            for cur, money in sorted(result.report.net_difference().items(), key=_code)
        },
        "applied": result.applied,
        "issued": list(result.issued),
        "pending_approvals": list(result.pending),
    }


@click.command("rerate", cls=O2CCommand)
@click.option("--from", "start", type=DATE, required=True, help="First issue date checked.")
@click.option("--to", "end", type=DATE, required=True, help="Last issue date checked (included).")
@click.option("--customer", metavar="ID", help="Only this customer's invoices.")
@click.option("--apply", is_flag=True, help="Issue the proposed credit/debit notes and re-bills.")
@click.option(
    "--reason",
    type=click.Choice([c.value for c in ReasonCode]),
    default=ReasonCode.WRONG_PRICE.value,
    show_default=True,
    help="Reason code on the fixes.",
)
@idempotency_option
@pass_context
def rerate_command(
    obj: Context,
    start: dt.date,
    end: dt.date,
    customer: str | None,
    apply: bool,
    reason: str,
    idempotency_key: str | None,
) -> None:
    """Re-rate issued invoices dated --from..--to with the current rates and tax tables.

    Lists each affected invoice with its old and new amount and the document that fixes
    it; --apply issues those documents (credit notes above the approval limit wait as
    approval requests).
    """
    if end < start:
        raise click.BadParameter(f"{end} is before --from {start}", param_hint="--to")
    result = obj.book().rerate(
        start,
        end,
        customer=customer,
        apply=apply,
        reason=reason,
        idempotency_key=idempotency_key,
    )
    rows = rerate_rows(result)
    summary = rerate_summary(result)
    if obj.output.value == "json":
        obj.emit({"rows": rows, "summary": summary})
        return
    if obj.output.value == "csv":
        obj.emit(rows, columns=ROW_COLUMNS)
    else:
        obj.emit(rows, columns=ROW_COLUMNS, title=f"Re-rating {start}..{end}")
    differences = ", ".join(
        str(money) for _, money in sorted(result.report.net_difference().items(), key=_code)
    )
    line = (
        f"checked {summary['checked']}, affected {summary['affected']}, "
        f"skipped {summary['skipped']}" + (f"; difference {differences}" if differences else "")
    )
    if result.applied:
        line += f"; issued {', '.join(result.issued) or 'nothing'}"
        if result.pending:
            line += f"; waiting for approval: {', '.join(result.pending)}"
    obj.note(line)
