"""Online backups of a SQLite book, and restoring one.

A plain file copy of a live book is not a backup: under WAL the committed transactions
may still sit in the ``-wal`` file beside it (a copy held 0 of 200 invoices committed a
moment before). :func:`backup_sqlite` uses SQLite's online backup API instead, which
copies a consistent snapshot, committed transactions only, while writers carry on.

PostgreSQL books are backed up with the server's own tools (``pg_dump``), which know
roles, grants and the rest of the database; :data:`POSTGRES_BACKUP_HINT` says how.
"""

from __future__ import annotations

import os
import sqlite3
from pathlib import Path
from typing import Final

from o2c.errors import StoreError
from o2c.store._base import Store
from o2c.store._sqlite import SqliteStore

__all__ = ["POSTGRES_BACKUP_HINT", "backup_sqlite", "check_sqlite_file", "restore_sqlite"]

#: What to do instead on PostgreSQL.
POSTGRES_BACKUP_HINT: Final = (
    "back a PostgreSQL book up with the server's tools: "
    "pg_dump --format=custom --schema=SCHEMA --file=FILE DATABASE "
    "(restore with pg_restore --dbname=DATABASE FILE)"
)


def backup_sqlite(store: Store, target: str | Path, *, force: bool = False) -> Path:
    """Copy a consistent snapshot of the SQLite book behind ``store`` to ``target``.

    Writers are not stopped: the snapshot holds every transaction committed when the
    copy finished its last step and nothing half-written. The copy is written beside
    ``target`` and renamed into place, so a failed backup never leaves a partial file
    under the backup's name.

    Args:
        store: An open SQLite store.
        target: The backup file to write.
        force: Replace ``target`` if it exists.

    Returns:
        The backup's path.

    Raises:
        StoreError: The store is not SQLite, ``target`` exists (without ``force``) or is
            the book itself, or SQLite failed.
    """
    if not isinstance(store, SqliteStore):
        raise StoreError(f"o2c backup copies SQLite books; {POSTGRES_BACKUP_HINT}")
    if store.path == ":memory:":
        raise StoreError("an in-memory book cannot be backed up; it ends with the process")
    path = Path(target)
    if path.resolve() == Path(store.path).resolve():
        raise StoreError(f"the backup file {str(path)!r} is the book itself; name another file")
    if path.exists() and not force:
        raise StoreError(f"the backup file {str(path)!r} exists; pass --force to replace it")
    partial = path.with_name(f".{path.name}.partial")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(store.path)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
                # One self-contained file: no -wal to carry along.
                destination.execute("PRAGMA journal_mode = DELETE")
            finally:
                destination.close()
        finally:
            source.close()
        os.replace(partial, path)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise StoreError(f"the backup to {str(path)!r} failed: {error}") from error
    return path


def check_sqlite_file(path: str | Path) -> None:
    """Refuse a file that is not an intact SQLite book.

    Raises:
        StoreError: The file is missing, not a SQLite database, fails SQLite's integrity
            check, or holds no o2c schema.
    """
    file = Path(path)
    if not file.is_file():
        raise StoreError(f"no such backup file: {str(file)!r}")
    try:
        con = sqlite3.connect(f"file:{file}?mode=ro", uri=True)
        try:
            verdict = con.execute("PRAGMA integrity_check").fetchone()
            has_schema = con.execute(
                "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'"
            ).fetchone()
        finally:
            con.close()
    except sqlite3.Error as error:
        raise StoreError(f"{str(file)!r} is not a SQLite book: {error}") from error
    if verdict is None or verdict[0] != "ok":
        detail = verdict[0] if verdict else "no answer"
        raise StoreError(f"{str(file)!r} fails SQLite's integrity check: {detail}")
    if has_schema is None:
        raise StoreError(f"{str(file)!r} is a SQLite file but not an o2c book")


def restore_sqlite(backup: str | Path, target: str | Path, *, force: bool = False) -> Path:
    """Put the book in ``backup`` at ``target`` (after checking it is an intact book).

    Restoring over an existing book needs ``force``; nobody may have that book open
    (a process still writing to the old file would write into the void). The old
    book's ``-wal`` and ``-shm`` files are removed with it, so none of its
    transactions is replayed into the restored one.

    Raises:
        StoreError: The backup is not an intact book, or ``target`` exists without
            ``force``.
    """
    check_sqlite_file(backup)
    path = Path(target)
    if path.exists() and not force:
        raise StoreError(
            f"the book {str(path)!r} exists; pass --force to replace it with the backup"
        )
    partial = path.with_name(f".{path.name}.restoring")
    partial.unlink(missing_ok=True)
    try:
        source = sqlite3.connect(f"file:{Path(backup)}?mode=ro", uri=True)
        try:
            destination = sqlite3.connect(partial)
            try:
                source.backup(destination)
            finally:
                destination.close()
        finally:
            source.close()
        for suffix in ("-wal", "-shm"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        os.replace(partial, path)
    except sqlite3.Error as error:
        partial.unlink(missing_ok=True)
        raise StoreError(f"restoring {str(backup)!r} failed: {error}") from error
    return path
