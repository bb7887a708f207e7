"""``o2c period``: close and reopen accounting months."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click

from o2c.calendar import Period
from o2c.cli._app import Context, NounGroup, confirm, idempotency_option, pass_context, yes_option
from o2c.cli._i18n import _
from o2c.cli._types import PERIOD

if TYPE_CHECKING:
    from o2c.book import PeriodStatus

__all__ = ["period"]


def _row(status: PeriodStatus) -> dict[str, object]:
    return {
        "period": status.period,
        "status": status.status,
        "changed_by": status.changed_by,
        "changed_at": status.changed_at,
    }


@click.group("period", cls=NounGroup)
def period() -> None:
    """Close accounting months (no posting may be dated in a closed month)."""


@period.command("close")
@click.argument("month", type=PERIOD)
@idempotency_option
@yes_option
@pass_context
def period_close(obj: Context, month: Period, idempotency_key: str | None, yes: bool) -> None:
    """Close MONTH (e.g. 2026-10); later corrections post in the next open month.

    It asks first (--yes answers for a script).
    """
    question = _("Close {month}? Nothing can be posted on its days afterwards.")
    confirm(question.format(month=month.label), yes=yes)
    obj.emit(_row(obj.book().close_period(month, idempotency_key=idempotency_key)))


@period.command("reopen")
@click.argument("month", type=PERIOD)
@idempotency_option
@pass_context
def period_reopen(obj: Context, month: Period, idempotency_key: str | None) -> None:
    """Reopen closed MONTH."""
    obj.emit(_row(obj.book().reopen_period(month, idempotency_key=idempotency_key)))


@period.command("list")
@pass_context
def period_list(obj: Context) -> None:
    """List months that were ever closed or reopened (all others are open)."""
    obj.emit(
        [_row(p) for p in obj.book().list_periods()],
        columns=("period", "status", "changed_by", "changed_at"),
    )
