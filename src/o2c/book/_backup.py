"""Backups of a book and restoring one (``o2c backup`` / ``o2c restore``), and a
PostgreSQL book's database roles (``o2c db roles``).

A SQLite book is copied with SQLite's online backup API (:func:`o2c.store.backup_sqlite`):
a consistent snapshot of committed transactions, taken while other processes keep writing,
in one self-contained file. A PostgreSQL book is backed up with ``pg_dump``; the Book
says so rather than pretend (:data:`o2c.store.POSTGRES_BACKUP_HINT`).
"""

from __future__ import annotations

from pathlib import Path

import attrs

from o2c.book._area import Area
from o2c.book._session import Session
from o2c.book._tables import backups as backups_table
from o2c.errors import StoreError
from o2c.store import (
    POSTGRES_BACKUP_HINT,
    SqliteStore,
    backup_sqlite,
    check_sqlite_file,
    install_postgres_roles,
    restore_sqlite,
)
from o2c.store import schema_version as store_schema_version

__all__ = ["BackupMixin", "BackupSummary", "backup", "restore"]


@attrs.frozen(slots=True)
class BackupSummary:
    """What a backup (or a restored book) holds.

    Attributes:
        path: The file.
        size: Its size in bytes.
        schema_version: The book's schema version.
        documents: Documents in it (drafts, issued and void).
        journal_entries: Journal entries in it.
        audit_events: Audit events in it: the last one is the last command it holds.
    """

    path: Path
    size: int
    schema_version: int
    documents: int
    journal_entries: int
    audit_events: int


def _summary(path: Path) -> BackupSummary:
    store = SqliteStore(path)
    try:
        documents, entries, events = backups_table.book_counts(store)
        version = store_schema_version(store)
    finally:
        store.close()
    return BackupSummary(path, path.stat().st_size, version, documents, entries, events)


def backup(session: Session, target: str | Path, *, force: bool = False) -> BackupSummary:
    """Write a consistent copy of the book to ``target``; see :meth:`BackupMixin.backup`."""
    path = backup_sqlite(session.store, target, force=force)
    return _summary(path)


def restore(backup_file: str | Path, target: str | Path, *, force: bool = False) -> BackupSummary:
    """Put the book in ``backup_file`` at ``target``; see :meth:`BackupMixin.restore`."""
    text = str(target)
    if text.startswith(("postgresql://", "postgres://")):
        raise StoreError(f"o2c restore writes SQLite books; {POSTGRES_BACKUP_HINT}")
    target = text.removeprefix("sqlite:///").partition("?")[0]
    check_sqlite_file(backup_file)
    path = restore_sqlite(backup_file, target, force=force)
    return _summary(path)


class BackupMixin(Area):
    """Backups and restores."""

    def backup(self, target: str | Path, *, force: bool = False) -> BackupSummary:
        """Copy the book, consistently, to the SQLite file ``target`` while it stays in use.

        The copy holds every command committed when it finished and nothing of one still
        running (a bill run writing at the same time is either wholly in it or not at
        all); it opens as a book of its own (``Book.open(target)``).

        Args:
            target: The backup file.
            force: Replace ``target`` if it exists.

        Raises:
            StoreError: The book is on PostgreSQL (use ``pg_dump``; the message says how),
                in memory, or ``target`` exists without ``force``.
        """
        return backup(self._session, target, force=force)

    @staticmethod
    def restore(
        backup_file: str | Path, target: str | Path, *, force: bool = False
    ) -> BackupSummary:
        """Restore the SQLite book at ``target`` from ``backup_file``.

        The backup is checked first (an intact SQLite file holding an o2c book); then it
        is copied beside ``target`` and renamed into place. Replacing an existing book
        needs ``force``, and no process may have that book open.

        Raises:
            StoreError: The backup is missing, damaged or not a book, ``target`` exists
                without ``force``, or ``target`` is a PostgreSQL URL (use ``pg_restore``).
        """
        return restore(backup_file, target, force=force)

    def install_database_roles(self) -> dict[str, str]:
        """Create the PostgreSQL book's database roles and append-only triggers, and make
        the database role the actor of every command from now on; see
        :func:`o2c.store.install_postgres_roles`. Returns the role names by kind.

        Database administration, not a book command: the database's own privileges
        (``CREATEROLE``, owning the tables) decide who may run it.

        Raises:
            StoreError: The book is not on PostgreSQL, or the server refused.
        """
        names = install_postgres_roles(self._session.store)
        self._session.identity_from_database = True
        return names
