"""``o2c dunning``: collection policies, the daily dunning run and the letters sent."""

from __future__ import annotations

import datetime as dt

import click

from o2c.book import DunningRun, LetterDeliveries, SentNotice
from o2c.cli._app import Context, NounGroup, confirm, idempotency_option, pass_context, yes_option
from o2c.cli._i18n import _
from o2c.cli._output import OutputFormat
from o2c.cli._types import DATE
from o2c.credit import LateFee
from o2c.dunning import DunningNotice, DunningPlan, DunningPolicy, DunningSkip

__all__ = ["FEE_COLUMNS", "NOTICE_COLUMNS", "dunning"]

#: The columns of a notice list.
NOTICE_COLUMNS = ("id", "run_date", "customer", "step", "action", "items", "total")
_PLAN_COLUMNS = ("customer", "step", "action", "items", "total")
_SKIP_COLUMNS = ("customer", "document", "reason")
#: The columns of a late-fee list.
FEE_COLUMNS = ("customer", "invoice", "base", "from", "through", "days", "rate", "amount")


def _fee_row(fee: LateFee, debit_note: str | None = None) -> dict[str, object]:
    row: dict[str, object] = {
        "customer": fee.customer,
        "invoice": fee.number,
        "base": fee.base,
        "from": fee.start,
        "through": fee.through,
        "days": fee.days,
        "rate": None if fee.annual_rate is None else f"{fee.annual_rate.normalize():f}%",
        "interest": fee.interest,
        "fixed": fee.fixed,
        "amount": fee.amount,
    }
    if debit_note is not None:
        row["debit_note"] = debit_note
    return row


def _notice_row(notice: DunningNotice | SentNotice) -> dict[str, object]:
    row: dict[str, object] = {}
    if isinstance(notice, SentNotice):
        row["id"] = notice.id
        row["run_date"] = notice.run_date
    row.update(
        {
            "customer": notice.customer,
            "currency": notice.currency.code,
            "step": notice.step,
            "action": notice.action,
            "segment": notice.segment,
            "items": ", ".join(i.number for i in notice.items),
            "total": notice.total,
        }
    )
    return row


def _skip_row(skip: DunningSkip) -> dict[str, object]:
    return {"customer": skip.customer, "document": skip.number, "reason": skip.reason}


def _emit_plan(obj: Context, plan: DunningPlan | DunningRun, title: str) -> None:
    notices = [_notice_row(n) for n in plan.notices]
    skipped = [_skip_row(s) for s in plan.skipped]
    fees = [
        _fee_row(c.fee, c.debit_note_number or c.debit_note_id)
        for c in (plan.late_fees if isinstance(plan, DunningRun) else ())
    ]
    if obj.output is OutputFormat.TABLE:
        obj.emit(
            notices,
            columns=NOTICE_COLUMNS if isinstance(plan, DunningRun) else _PLAN_COLUMNS,
            title=title,
        )
        if skipped:
            obj.emit(skipped, columns=_SKIP_COLUMNS, title="Left alone")
        if plan.credit_holds:
            obj.note(f"Credit hold: {', '.join(plan.credit_holds)}")
        if fees:
            obj.emit(fees, columns=(*FEE_COLUMNS, "debit_note"), title=_("Late fees charged"))
    elif obj.output is OutputFormat.JSON:
        obj.emit(
            {
                "as_of": plan.as_of,
                "notices": notices,
                "skipped": skipped,
                "credit_holds": list(plan.credit_holds),
                "late_fees": fees,
            }
        )
    else:
        obj.emit(notices, columns=NOTICE_COLUMNS if isinstance(plan, DunningRun) else _PLAN_COLUMNS)


@click.group("dunning", cls=NounGroup)
def dunning() -> None:
    """Collections: dunning policies, the daily run (with a preview) and its letters."""


@dunning.command("preview")
@click.option("--as-of", type=DATE, help="Run date (default: today).")
@click.option("--customer", help="Only this customer.")
@pass_context
def dunning_preview(obj: Context, as_of: dt.date | None, customer: str | None) -> None:
    """Show what a dunning run would send, without sending anything."""
    plan = obj.book().plan_dunning(as_of, customer=customer)
    _emit_plan(obj, plan, f"Dunning preview for {plan.as_of} (nothing sent)")


@dunning.command("run")
@click.option("--as-of", type=DATE, help="Run date (default: today).")
@click.option("--customer", help="Only this customer.")
@click.option(
    "--send",
    is_flag=True,
    help="E-mail the letters to the customers (in their language), through o2c invoice smtp.",
)
@idempotency_option
@yes_option
@pass_context
def dunning_run(
    obj: Context,
    as_of: dt.date | None,
    customer: str | None,
    send: bool,
    idempotency_key: str | None,
    yes: bool,
) -> None:
    """Send the notices due (each step once per item; disputes and extensions respected).

    Without --send the notices and their letters are stored (o2c dunning show ID);
    with --send each letter is also e-mailed and its delivery recorded. A letter that
    could not be e-mailed is named in one line, and the command exits 1. It asks first,
    naming how many notices the run sends (--yes answers for a script; `o2c dunning
    preview` shows them).
    """
    book = obj.book()
    if not yes:
        plan = book.plan_dunning(as_of, customer=customer)
        if plan.notices:  # a run that sends nothing needs no yes
            question = _("Send {count} dunning notice(s) as of {date}?").format(
                count=len(plan.notices), date=plan.as_of
            )
            confirm(question, yes=yes)
    run = book.run_dunning(as_of, customer=customer, idempotency_key=idempotency_key)
    _emit_plan(obj, run, f"Dunning run {run.as_of}: {len(run.notices)} notice(s) sent")
    if send and run.notices:
        _send_letters(obj, book.send_dunning_notices([n.id for n in run.notices]))


def _send_letters(obj: Context, sent: LetterDeliveries) -> None:
    """Report what e-mailing the letters did; exit 1 when one failed."""
    mailed = [d for d in sent.deliveries if d.sent]
    failed = [d for d in sent.deliveries if not d.sent]
    skipped = len(sent.skipped)
    obj.note(f"E-mailed {len(mailed)} letter(s), {len(failed)} failed, {skipped} not sent")
    for notice_id, reason in sent.skipped:
        obj.note(f"{notice_id} not e-mailed: {reason}")
    if failed:
        first = failed[0]
        raise click.ClickException(
            f"{len(failed)} letter(s) not e-mailed (recorded as failed); "
            f"{first.notice}: {first.error}"
        )


@dunning.command("list")
@click.option("--customer", help="Only this customer's notices.")
@click.option("--invoice", metavar="NUMBER", help="Only notices chasing this invoice.")
@pass_context
def dunning_list(obj: Context, customer: str | None, invoice: str | None) -> None:
    """List the notices sent, oldest first."""
    found = obj.book().list_dunning_notices(customer=customer, document=invoice)
    obj.emit([_notice_row(n) for n in found], columns=NOTICE_COLUMNS)


@dunning.command("show")
@click.argument("notice_id")
@pass_context
def dunning_show(obj: Context, notice_id: str) -> None:
    """Show notice NOTICE_ID with its letter."""
    notice = obj.book().get_dunning_notice(notice_id)
    row = _notice_row(notice) | {"letter": notice.letter, "created_by": notice.created_by}
    if obj.output is OutputFormat.TABLE:
        click.echo(notice.letter)
    else:
        obj.emit(row)


@dunning.command("policy")
@click.option("--segment", default="standard", show_default=True, help="Collection segment.")
@click.option(
    "--steps",
    metavar="TEXT",
    help="Steps as '3 reminder, 15 statement, 30 final_notice, 45 credit_hold'.",
)
@click.option("--minimum", metavar="TEXT", default="", help="Per currency: '10.00 USD, 200 MXN'.")
@idempotency_option
@pass_context
def dunning_policy(
    obj: Context, segment: str, steps: str | None, minimum: str, idempotency_key: str | None
) -> None:
    """Show the dunning policies, or set a segment's with --steps."""
    book = obj.book()
    if steps is not None:
        policy = DunningPolicy.parse(segment, steps, minimum)
        policies = book.set_dunning_policy(policy, idempotency_key=idempotency_key)
    else:
        policies = book.dunning_policies()
    rows = [
        {"segment": p.segment, "steps": p.steps_text(), "minimum": p.minimum_text()}
        for p in (policies.default, *policies.segments)
    ]
    obj.emit(rows, columns=("segment", "steps", "minimum"))


@dunning.command("fees")
@click.option("--as-of", type=DATE, help="Run date (default: today).")
@click.option("--customer", help="Only this customer.")
@click.option("--charged", is_flag=True, help="List the late fees charged instead.")
@click.option("--invoice", metavar="NUMBER", help="With --charged: only on this invoice.")
@pass_context
def dunning_fees(
    obj: Context, as_of: dt.date | None, customer: str | None, charged: bool, invoice: str | None
) -> None:
    """Show the late fees a dunning run would charge (the late_fee.<segment> settings),
    or with --charged those charged, each by its debit note."""
    book = obj.book()
    if charged:
        rows = [
            _fee_row(c.fee, c.debit_note_number or c.debit_note_id)
            for c in book.list_late_fees(document=invoice)
            if customer is None or c.fee.customer == customer
        ]
        obj.emit(rows, columns=(*FEE_COLUMNS, "debit_note"))
        return
    plan = book.plan_late_fees(as_of, customer=customer)
    obj.emit(
        [_fee_row(f) for f in plan.fees],
        columns=FEE_COLUMNS,
        title=_("Late fees (nothing charged)"),
    )
    if plan.skipped and obj.output is OutputFormat.TABLE:
        rows = [{"invoice": s.number, "reason": s.reason} for s in plan.skipped]
        obj.emit(rows, columns=("invoice", "reason"), title=_("Not charged"))


@dunning.command("holds")
@click.option("--as-of", type=DATE, help="Date (default: today).")
@pass_context
def dunning_holds(obj: Context, as_of: dt.date | None) -> None:
    """List the customers on credit hold (a credit-hold notice chased an item still owed)."""
    held = obj.book().credit_holds(as_of)
    obj.emit([{"customer": c} for c in held], columns=("customer",))
