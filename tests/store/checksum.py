"""A checksum of everything a store holds: every table, every row, every counter.

``store_dump`` reads every table of the book (rows ordered by all their columns, so the
order does not depend on how the database happens to return them) and the counters the
database keeps outside the tables (SQLite's ``sqlite_sequence`` of AUTOINCREMENT keys,
PostgreSQL's sequences behind identity columns): one SHA-256 digest per table.
``store_checksum`` is their digest. A refused command must leave both unchanged; compare
the dumps to see which tables changed.

Example:
    >>> from o2c.store import migrate, open_store
    >>> store = open_store(":memory:")
    >>> _ = migrate(store)
    >>> before = store_dump(store)
    >>> with store.transaction():
    ...     _ = store.execute("INSERT INTO settings (key, value) VALUES ('x', 'y')")
    >>> changed_tables(before, store_dump(store))
    ['settings']
"""

from __future__ import annotations

import hashlib
from typing import Any

from o2c.store import Dialect, Store

__all__ = ["changed_tables", "store_checksum", "store_dump"]


def _tables(store: Store) -> list[str]:
    if store.dialect is Dialect.SQLITE:
        rows = store.query("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
    else:
        rows = store.query(
            "SELECT table_name FROM information_schema.tables"
            " WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'"
            " ORDER BY table_name"
        )
    return [str(r[0]) for r in rows]


def _columns(store: Store, table: str) -> list[str]:
    if store.dialect is Dialect.SQLITE:
        return [str(r[1]) for r in store.query(f"PRAGMA table_info({table})")]
    return [
        str(r[0])
        for r in store.query(
            "SELECT column_name FROM information_schema.columns"
            " WHERE table_schema = current_schema() AND table_name = ?"
            " ORDER BY ordinal_position",
            (table,),
        )
    ]


def _digest(rows: list[Any]) -> str:
    h = hashlib.sha256()
    for row in rows:
        h.update(repr(tuple(row)).encode("utf-8"))
        h.update(b"\n")
    return f"{len(rows)}:{h.hexdigest()}"


def store_dump(store: Store) -> dict[str, str]:
    """``table -> "row count:digest"`` of every table and counter of ``store``."""
    dump: dict[str, str] = {}
    with store.transaction(write=False):
        for table in _tables(store):
            columns = _columns(store, table)
            order = ", ".join(
                f"{c}::text" if store.dialect is Dialect.POSTGRES else c for c in columns
            )
            rows = store.query(f"SELECT {', '.join(columns)} FROM {table} ORDER BY {order}")
            dump[table] = _digest(rows)
        if store.dialect is Dialect.POSTGRES:
            for (name,) in store.query(
                "SELECT sequence_name FROM information_schema.sequences"
                " WHERE sequence_schema = current_schema() ORDER BY sequence_name"
            ):
                row = store.query_one(f'SELECT last_value, is_called FROM "{name}"')
                dump[f"sequence {name}"] = repr(row)
    return dump


def store_checksum(store: Store) -> str:
    """One digest of :func:`store_dump`."""
    return hashlib.sha256(repr(sorted(store_dump(store).items())).encode()).hexdigest()


def changed_tables(before: dict[str, str], after: dict[str, str]) -> list[str]:
    """The tables (and counters) whose contents differ between two dumps."""
    return sorted(k for k in before.keys() | after.keys() if before.get(k) != after.get(k))
