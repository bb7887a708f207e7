"""``o2c audit``: read the audit trail and check its hash chain and row seals."""

from __future__ import annotations

import click

from o2c.cli._app import Context, NounGroup, pass_context
from o2c.errors import InvariantViolation

__all__ = ["audit"]


@click.group("audit", cls=NounGroup)
def audit() -> None:
    """Read the audit trail and check that nobody tampered with it."""


@audit.command("log")
@click.option("--actor", "who", metavar="NAME", help="Only this actor's events.")
@click.option("--command", metavar="NAME", help="Only this command's events (add_customer...).")
@click.option("--after", type=int, default=0, show_default=True, help="Events after this seq.")
@click.option("--limit", type=int, default=None, help="At most this many events.")
@pass_context
def audit_log(
    obj: Context, who: str | None, command: str | None, after: int, limit: int | None
) -> None:
    """List audit events: who did what, when, to which ids."""
    events = obj.book().audit_log(actor=who, command=command, after=after, limit=limit)
    rows = [
        {
            "seq": e.seq,
            "at": e.at,
            "actor": e.actor,
            "db_user": e.db_user or None,
            "command": e.command,
            "ids": list(e.ids),
            "hash": e.hash,
        }
        for e in events
    ]
    obj.emit(rows, columns=["seq", "at", "actor", "command", "ids"])


@audit.command("verify")
@pass_context
def audit_verify(obj: Context) -> None:
    """Check the audit trail's hash chain and the money-carrying rows it seals; exit 1
    when either was tampered with (each finding names the event, or the table and row)."""
    problems = obj.book().verify_audit()
    if problems:
        obj.emit(
            [
                {"seq": p.seq, "kind": p.kind, "table": p.table, "row": p.row, "message": p.message}
                for p in problems
            ],
            columns=["seq", "kind", "table", "row", "message"],
        )
        first = problems[0]
        where = f"at seq {first.seq}" if first.seq else f"in {first.table}"
        raise InvariantViolation(
            f"audit trail broken: {len(problems)} problem(s), first {where}: {first.message}"
        )
    obj.emit({"audit": "intact"})
