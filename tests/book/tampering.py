"""Editing a book behind o2c's back, as someone with the database would (for audit tests)."""

from __future__ import annotations

import sqlite3
from collections.abc import Sequence

from o2c.book import Book
from o2c.store import Param, SqliteStore, table_info


def tamper(book: Book, *statements: tuple[str, Sequence[Param]]) -> None:
    """Run ``statements`` on the book's database with foreign keys off, outside o2c.

    SQLite: a second connection to the file (foreign keys are off by default there).
    PostgreSQL: one transaction with triggers (and so foreign keys) off for the session.
    """
    store = book.store
    if isinstance(store, SqliteStore):
        con = sqlite3.connect(store.path, isolation_level=None)
        try:
            con.execute("BEGIN IMMEDIATE")
            for sql, params in statements:
                con.execute(sql, params)
            con.execute("COMMIT")
        finally:
            con.close()
        return
    with store.transaction():
        store.execute("SET LOCAL session_replication_role = replica")
        for sql, params in statements:
            store.execute(sql, params)


def first_key(book: Book, table: str, *, last: bool = False) -> tuple[str | int, ...]:
    """The primary key of the first (or last) row of ``table`` in key order."""
    key = table_info(book.store, table).key
    order = ", ".join(f"{c} DESC" if last else c for c in key)
    with book.store.transaction(write=False):
        row = book.store.query_one(f"SELECT {', '.join(key)} FROM {table} ORDER BY {order}")
    assert row is not None, f"{table} is empty"
    return tuple(row)


def where_key(book: Book, table: str) -> str:
    """``a = ? AND b = ?`` over the primary key of ``table``."""
    return " AND ".join(f"{c} = ?" for c in table_info(book.store, table).key)


def copy_row_as(book: Book, table: str, key: Sequence[str | int], new_first: str) -> None:
    """Insert a copy of the row ``key`` of ``table`` whose first key column is ``new_first``."""
    info = table_info(book.store, table)
    with book.store.transaction(write=False):
        row = book.store.query_one(
            f"SELECT {', '.join(info.columns)} FROM {table} WHERE {where_key(book, table)}",
            list(key),
        )
    assert row is not None
    values = list(row)
    values[info.columns.index(info.key[0])] = new_first
    for unique in ("number", "run_key"):
        if table == "documents" and values[info.columns.index(unique)] is not None:
            values[info.columns.index(unique)] = f"{new_first}-{unique}"
    tamper(
        book,
        (
            f"INSERT INTO {table} ({', '.join(info.columns)})"
            f" VALUES ({', '.join('?' for _ in values)})",
            [_param(v) for v in values],
        ),
    )


def _param(value: object) -> Param:
    if value is None or isinstance(value, str | int | bytes):
        return value
    if isinstance(value, dict | list):
        import json

        return json.dumps(value)
    return str(value)
