"""``o2c revrec``: recognition rules, recognition runs, releases and the deferred revenue
reports (roll-forward, waterfall)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, NounGroup, idempotency_option, pass_context
from o2c.cli._i18n import _
from o2c.cli._types import AMOUNT, DATE, DECIMAL

if TYPE_CHECKING:
    from o2c.money import Money

__all__ = ["revrec"]

_METHODS = ("at_issue", "ratable", "usage", "milestone")


def _text(amount: Money) -> str:
    # The amount with its currency's decimals (a zero sum prints 0.00, not 0).
    return str(amount.round().amount)


@click.group("revrec", cls=NounGroup)
def revrec() -> None:
    """Revenue recognition: deferred revenue, schedules, runs and reports."""


@revrec.group("rule", cls=NounGroup)
def rule() -> None:
    """How each item's revenue is recognized."""


@rule.command("set")
@click.argument("item")
@click.argument("method", type=click.Choice(_METHODS))
@click.option("--term-months", type=click.IntRange(1, 600), help="Ratable term from issue.")
@idempotency_option
@pass_context
def rule_set(
    obj: Context, item: str, method: str, term_months: int | None, idempotency_key: str | None
) -> None:
    """Recognize ITEM's revenue by METHOD (lines issued from now on)."""
    chosen = obj.book().set_recognition_rule(
        item, method, term_months=term_months, idempotency_key=idempotency_key
    )
    obj.emit(
        {"item": chosen.item, "method": chosen.method.value, "term_months": chosen.term_months}
    )


@rule.command("list")
@pass_context
def rule_list(obj: Context) -> None:
    """List the recognition rules (items without one are recognized at issue)."""
    obj.emit(
        [
            {"item": r.item, "method": r.method.value, "term_months": r.term_months}
            for r in obj.book().recognition_rules()
        ],
        columns=("item", "method", "term_months"),
    )


@revrec.command("run")
@click.option("--through", type=DATE, required=True, help="Recognize what is due by then.")
@click.option("--dry-run", is_flag=True, help="Show what would be recognized; write nothing.")
@idempotency_option
@pass_context
def revrec_run(obj: Context, through: dt.date, dry_run: bool, idempotency_key: str | None) -> None:
    """Recognize the schedule months due through --through (running again adds nothing)."""
    result = obj.book().revrec_run(through, dry_run=dry_run, idempotency_key=idempotency_key)
    obj.emit(
        [
            {"currency": cur, "month": month, "recognized": _text(amount)}
            for cur, month, amount in result.amounts
        ],
        columns=("currency", "month", "recognized"),
        money=("recognized",),
    )
    if dry_run:
        obj.note(_("dry run: nothing was written"))
    obj.note(
        _("{lines} schedule months recognized in {entries} journal entries").format(
            lines=result.lines, entries=len(result.entries)
        )
    )


@revrec.command("release")
@click.argument("document")
@click.argument("line", type=click.IntRange(1))
@click.option("--amount", type=AMOUNT, help="Amount released (milestone lines).")
@click.option("--quantity", type=DECIMAL, help="Quantity consumed (usage lines).")
@click.option("--on", "on", type=DATE, help="Recognition date (today by default).")
@idempotency_option
@pass_context
def revrec_release(
    obj: Context,
    document: str,
    line: int,
    amount: Money | Decimal | None,
    quantity: Decimal | None,
    on: dt.date | None,
    idempotency_key: str | None,
) -> None:
    """Recognize part of DOCUMENT's deferred LINE: a milestone amount or usage consumed."""
    from o2c.money import Money

    book = obj.book()
    money: Money | None = None
    if isinstance(amount, Decimal):
        money = Money.of(amount, book.get_document(document).currency)
    else:
        money = amount
    released = book.release_revenue(
        document, line, amount=money, quantity=quantity, on=on, idempotency_key=idempotency_key
    )
    obj.emit(
        {"document": document, "line": line, "recognized": _text(released),
         "currency": released.currency.code}
    )  # fmt: skip


@revrec.command("schedule")
@click.argument("document", required=False)
@pass_context
def revrec_schedule(obj: Context, document: str | None) -> None:
    """Show the recognition schedules of DOCUMENT (all when omitted), month by month."""
    rows = []
    for ls in obj.book().revrec_schedules(document):
        left = {s.month: s.amount for s in ls.remaining}
        for s in ls.plan or ():
            rows.append(
                {
                    "document": ls.document_id,
                    "line": ls.line,
                    "item": ls.item,
                    "method": ls.method.value,
                    "month": s.month.label,
                    "due_on": s.due_on.isoformat(),
                    "planned": _text(s.amount),
                    "to_recognize": _text(left.get(s.month, s.amount * 0)),
                    "currency": s.amount.currency.code,
                }
            )
        if not ls.plan:
            rows.append(
                {
                    "document": ls.document_id,
                    "line": ls.line,
                    "item": ls.item,
                    "method": ls.method.value,
                    "month": "",
                    "due_on": "",
                    "planned": _text(ls.balances.billed),
                    "to_recognize": _text(ls.balances.deferred),
                    "currency": ls.balances.billed.currency.code,
                }
            )
    obj.emit(
        rows,
        columns=(
            "document", "line", "item", "method", "month", "due_on", "planned",
            "to_recognize", "currency",
        ),
        money=("planned", "to_recognize"),
    )  # fmt: skip


@revrec.command("rollforward")
@click.option("--from", "start", type=DATE, required=True, help="First day of the range.")
@click.option("--to", "end", type=DATE, required=True, help="Last day of the range.")
@pass_context
def revrec_rollforward(obj: Context, start: dt.date, end: dt.date) -> None:
    """Deferred revenue per currency: opening + billed - recognized - reversed = closing."""
    obj.emit(
        [
            {
                "currency": r.currency.code,
                "opening": _text(r.opening),
                "billed": _text(r.billed),
                "recognized": _text(r.recognized),
                "reversed": _text(r.reversed),
                "closing": _text(r.closing),
            }
            for r in obj.book().revrec_rollforward(start, end)
        ],
        columns=("currency", "opening", "billed", "recognized", "reversed", "closing"),
        money=("opening", "billed", "recognized", "reversed", "closing"),
    )


@revrec.command("waterfall")
@pass_context
def revrec_waterfall(obj: Context) -> None:
    """Deferred revenue still to recognize, per currency and month ("unscheduled": waiting
    for usage or a milestone release)."""
    obj.emit(
        [
            {
                "currency": r.currency.code,
                "month": r.month.label if r.month is not None else "unscheduled",
                "amount": _text(r.amount),
            }
            for r in obj.book().revrec_waterfall()
        ],
        columns=("currency", "month", "amount"),
        money=("amount",),
    )
