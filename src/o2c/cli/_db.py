"""``o2c db``: the PostgreSQL side of a team's book (database roles, append-only records)."""

from __future__ import annotations

import click

from o2c.cli._app import Context, NounGroup, natural_idempotency_option, pass_context

__all__ = ["db"]

_WHAT = {
    "reader": "reads the book: reports, exports, the audit trail",
    "writer": "runs o2c commands (includes reader)",
    "approver": "a writer who decides approvals (includes writer)",
    "owner": "migrations; the only role that may correct a record by hand",
}


@click.group("db", cls=NounGroup)
def db() -> None:
    """PostgreSQL books: database roles and append-only records."""


@db.command("roles")
@natural_idempotency_option("existing roles are kept, grants and triggers re-applied")
@pass_context
def db_roles(obj: Context) -> None:
    """Create the book's database roles and make its records append-only.

    Creates reader, writer, approver and owner group roles for the book (grant them to
    your users' login roles: GRANT o2c_SCHEMA_writer TO luis) and triggers that refuse
    any UPDATE or DELETE of issued documents, the journal and the audit trail to all but
    the owner. Run it as the user who created the book (it needs CREATEROLE), and again
    after upgrading o2c. Safe to repeat.
    """
    names = obj.book().install_database_roles()
    obj.emit(
        [{"role": name, "kind": kind, "may": _WHAT[kind]} for kind, name in names.items()],
        columns=("role", "kind", "may"),
        title="Database roles",
    )
