"""``o2c backup`` and ``o2c restore``: a consistent copy of a live SQLite book, and back."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import click

from o2c.cli._app import Context, O2CCommand, natural_idempotency_option, pass_context

if TYPE_CHECKING:
    from o2c.book import BackupSummary

__all__ = ["backup_command", "restore_command"]


def _row(summary: BackupSummary) -> dict[str, object]:
    return {
        "file": str(summary.path),
        "bytes": summary.size,
        "schema_version": summary.schema_version,
        "documents": summary.documents,
        "journal_entries": summary.journal_entries,
        "audit_events": summary.audit_events,
    }


@click.command("backup", cls=O2CCommand)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace FILE if it exists.")
@pass_context
def backup_command(obj: Context, file: Path, replace: bool) -> None:
    """Copy the book consistently to a file while it stays in use (SQLite).

    FILE gets SQLite's online backup of the book: the copy holds every command
    committed when it finished, none half-written, in one file that opens as a book
    (o2c --book FILE ...). Do not copy a live book with cp:
    recent commits may still sit in its -wal file. PostgreSQL books: use pg_dump (the
    error says how).
    """
    obj.emit(_row(obj.book().backup(file, force=replace)), title="Backup written")


@click.command("restore", cls=O2CCommand)
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--replace", is_flag=True, help="Replace the book named by --book if it exists.")
@natural_idempotency_option("restoring the same backup again gives the same book")
@pass_context
def restore_command(obj: Context, file: Path, replace: bool) -> None:
    """Restore the book from a backup file (SQLite).

    The book named by --book is written from the backup FILE. FILE is checked first
    (an intact SQLite file holding an o2c book). Replacing an existing book needs
    --replace, and nobody may have that book open meanwhile.
    """
    from o2c.book import Book

    summary = Book.restore(file, obj.book_location, force=replace)
    target = str(summary.path)
    with Book.open(target, create=False) as book:
        problems = book.verify_audit()
    row = _row(summary)
    row["file"] = target
    row["audit"] = "intact" if not problems else f"{len(problems)} problem(s): o2c audit verify"
    obj.emit(row, title="Book restored")
