"""Stores: where a book lives. SQLite by default, PostgreSQL for teams.

The Book talks to a :class:`Store`: plain SQL with ``?`` placeholders, one schema for
both dialects (numbered migrations applied on open), exact money as integer minor units.

Example:
    >>> from o2c.store import migrate, open_store, SCHEMA_VERSION
    >>> store = open_store(":memory:")
    >>> migrate(store) == SCHEMA_VERSION
    True
    >>> with store.transaction():
    ...     store.query("SELECT COUNT(*) FROM documents")
    [(0,)]
    >>> store.close()
"""

from o2c.store._backup import (
    POSTGRES_BACKUP_HINT,
    backup_sqlite,
    check_sqlite_file,
    restore_sqlite,
)
from o2c.store._base import Dialect, Param, Row, Store
from o2c.store._migrate import MIGRATIONS, SCHEMA_VERSION, Migration, migrate, schema_version
from o2c.store._open import open_store
from o2c.store._pg_roles import (
    APPEND_ONLY_TABLES,
    IDENTITY_SETTING,
    ROLE_KINDS,
    install_postgres_roles,
    postgres_role_names,
)
from o2c.store._postgres import PostgresStore, split_schema
from o2c.store._seal import (
    SEALED,
    RowRecorder,
    TableInfo,
    fetch_rows,
    stored_keys,
    table_info,
    table_rows,
    take_seals,
)
from o2c.store._sqlite import SqliteStore

__all__ = [
    "APPEND_ONLY_TABLES",
    "IDENTITY_SETTING",
    "MIGRATIONS",
    "POSTGRES_BACKUP_HINT",
    "ROLE_KINDS",
    "SCHEMA_VERSION",
    "SEALED",
    "Dialect",
    "Migration",
    "Param",
    "PostgresStore",
    "Row",
    "RowRecorder",
    "SqliteStore",
    "Store",
    "TableInfo",
    "backup_sqlite",
    "check_sqlite_file",
    "fetch_rows",
    "install_postgres_roles",
    "migrate",
    "open_store",
    "postgres_role_names",
    "restore_sqlite",
    "schema_version",
    "split_schema",
    "stored_keys",
    "table_info",
    "table_rows",
    "take_seals",
]
