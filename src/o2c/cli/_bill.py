"""``o2c bill``: run the bill for a period and work the exceptions queue."""

from __future__ import annotations

import contextlib
import datetime as dt
import sys
from collections.abc import Callable
from typing import TYPE_CHECKING

import click

from o2c.calendar import Period
from o2c.cli._app import Context, NounGroup, natural_idempotency_option, pass_context
from o2c.cli._i18n import _
from o2c.cli._types import DATE, PERIOD

if TYPE_CHECKING:
    from o2c.billing.unbilled import Unbilled
    from o2c.book import BillRunProgress, BillRunResult, ExceptionRecord
    from o2c.credit import CreditCheck

__all__ = ["UNBILLED_COLUMNS", "bill", "bill_summary", "unbilled_row"]


def bill_summary(result: BillRunResult) -> dict[str, object]:
    """What a bill run did: billed (invoices, totals per currency), skipped with reasons,
    exceptions and pending (what a later run bills)."""
    reasons = result.skipped_reasons
    return {
        "run": result.run_id or "(dry run: nothing written)",
        "period": result.period,
        "cut_off": result.cut_off,
        "invoices": result.invoices,
        "issued": result.issued and not result.dry_run,
        "skipped": result.skipped,
        "skipped_reasons": ", ".join(f"{n} {why}" for why, n in sorted(reasons.items())),
        "exceptions": len(result.exceptions),
        "pending": len(result.pending),
        "totals": [result.totals[code] for code in sorted(result.totals)],
    }


def unbilled_row(u: Unbilled) -> dict[str, object]:
    """One unbilled input (or contract) and why."""
    return {
        "kind": u.kind.value,
        "id": u.id,
        "customer": u.customer_id,
        "contract": u.contract_id,
        "item": u.item,
        "date": u.day,
        "status": u.status.value,
        "code": u.code,
        "reason": u.reason,
        "run_key": u.run_key,
    }


UNBILLED_COLUMNS = ("kind", "id", "customer", "status", "reason")


def _exception_row(exc: ExceptionRecord) -> dict[str, object]:
    return {
        "customer": exc.customer_id,
        "contract": exc.contract_id,
        "run_key": exc.run_key,
        "code": exc.code,
        "message": exc.message,
    }


@click.group("bill", cls=NounGroup)
def bill() -> None:
    """Run the bill for a period; look at what could not be billed."""


@bill.command("run")
@click.option("--period", required=True, type=PERIOD, help="The period to bill, e.g. 2026-10.")
@click.option(
    "--cut-off",
    type=DATE,
    help="Usage and time after this date go to the next run (default: the period's end).",
)
@click.option(
    "--invoice-date",
    type=DATE,
    help="Date of the invoices (default: the cut-off date, i.e. the period's last day).",
)
@click.option("--dry-run", is_flag=True, help="Show what would be billed; write nothing.")
@click.option("--issue", is_flag=True, help="Issue the invoices (default: leave drafts).")
@click.option("--batch-size", type=click.IntRange(1), default=10_000, show_default=True)
@click.option(
    "--workers",
    type=click.IntRange(1),
    default=1,
    show_default=True,
    help="Processes planning batches while one is written (2 on two cores or more: a large"
    " run is about a fifth faster; numbers and entries come out the same).",
)
@natural_idempotency_option("what was billed for the period is skipped")
@pass_context
def bill_run(
    obj: Context,
    period: Period,
    cut_off: dt.date | None,
    invoice_date: dt.date | None,
    dry_run: bool,
    issue: bool,
    batch_size: int,
    workers: int,
) -> None:
    """Bill every active contract for --period: recurring, usage, time, orders.

    A run is idempotent: what was billed for the period before is skipped. Candidates
    that fail validation go to the exceptions queue (`o2c bill exceptions`) and the run
    goes on.
    """
    book = obj.book()
    show_bar = obj.output.value == "table" and sys.stderr.isatty()
    with contextlib.ExitStack() as stack:
        progress: Callable[[BillRunProgress], None] | None = None
        if show_bar:
            bar = stack.enter_context(
                click.progressbar(length=1, label="billing", file=sys.stderr, show_pos=True)
            )

            def progress(step: BillRunProgress) -> None:
                bar.length = max(step.contracts_total, 1)
                bar.update(step.contracts_done - bar.pos)

        result = book.bill_run(
            period,
            cut_off=cut_off,
            invoice_date=invoice_date,
            dry_run=dry_run,
            issue=issue,
            batch_size=batch_size,
            progress=progress,
            workers=workers,
        )
    if obj.output.value == "json":
        obj.emit(
            {
                **bill_summary(result),
                "documents": list(result.document_ids),
                "exceptions": [_exception_row(e) for e in result.exceptions],
                "pending": [unbilled_row(u) for u in result.pending],
                "credit_warnings": [_credit_row(c) for c in result.credit_warnings],
            }
        )
        return
    obj.emit(bill_summary(result), title=_("Bill run {period}").format(period=result.period.label))
    if result.exceptions:
        click.echo("")
        obj.emit(
            [_exception_row(e) for e in result.exceptions],
            columns=["customer", "contract", "code", "message"],
            title=_("Exceptions (fix them, then run again)"),
        )
    if result.pending:
        click.echo("")
        obj.emit(
            [unbilled_row(u) for u in result.pending],
            columns=list(UNBILLED_COLUMNS),
            title=_("Pending (a later run bills them)"),
        )
    if result.credit_warnings:
        click.echo("")
        obj.emit(
            [_credit_row(c) for c in result.credit_warnings],
            columns=["customer", "credit_limit", "exposure", "on_hold", "reason"],
            title=_("Credit warnings (over the limit or on hold; see o2c collections worklist)"),
        )
    if result.invoices and not result.issued and not result.dry_run:
        obj.note(_("invoices are drafts: check them with `o2c invoice list`, then issue them"))


def _credit_row(check: CreditCheck) -> dict[str, object]:
    from o2c.cli._collections import credit_row

    return {"customer": check.customer, **credit_row(check)}


QUEUE_COLUMNS = ("customer", "contract", "run_key", "code", "status", "last_seen")


def _queue_row(exc: ExceptionRecord) -> dict[str, object]:
    return {
        **_exception_row(exc),
        "status": exc.status,
        "raised_by": exc.bill_run_id,
        "raised_at": exc.raised_at,
        "last_run": exc.last_run_id,
        "last_seen": exc.last_seen_at,
        "resolved_at": exc.resolved_at,
        "resolved_by": exc.resolved_by_run,
    }


@bill.command("exceptions")
@click.option(
    "--status",
    type=click.Choice(["open", "resolved", "all"]),
    default="open",
    show_default=True,
)
@click.option(
    "--run", "bill_run_id", metavar="ID", help="Only what this bill run raised or saw last."
)
@pass_context
def bill_exceptions(obj: Context, status: str, bill_run_id: str | None) -> None:
    """List what bill runs could not bill, and why: one row per contract period and reason.

    A re-run that meets an exception again updates when it was last seen; a run that
    bills the contract period resolves it (--status resolved shows when and by which run).
    The message says how to fix it; then run the bill again.
    """
    records = obj.book().list_exceptions(
        status=None if status == "all" else status, bill_run=bill_run_id
    )
    rows = [_queue_row(e) for e in records]
    if obj.output.value != "table":
        obj.emit(rows)
        return
    obj.emit(rows, columns=QUEUE_COLUMNS)
    # A table cuts long cells; the message (with the fix it suggests) is shown whole.
    for e in records:
        click.echo(f"{e.run_key} {e.code}: {e.message}")
