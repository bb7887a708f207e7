"""Open a store from a path or URL."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

from o2c.errors import StoreError
from o2c.store._base import Store
from o2c.store._sqlite import SqliteStore

__all__ = ["open_store"]


def open_store(url_or_path: str | Path, *, schema: str | None = None) -> Store:
    """Open the store named by a path or URL (without migrating it).

    Accepted forms:

    * a file path (``books/acme.o2c``) or ``sqlite:///books/acme.o2c`` (relative) or
      ``sqlite:////srv/acme.o2c`` (absolute); ``:memory:`` for a throw-away book;
      ``?synchronous=normal`` trades power-loss durability for speed;
    * ``postgresql://user@host:5432/db`` (also ``postgres://``), with an optional
      ``?schema=name`` to keep the book in its own schema.

    Args:
        url_or_path: Where the book is.
        schema: PostgreSQL schema, overriding the URL option.

    Raises:
        StoreError: The URL scheme is not supported or the database cannot be opened.

    Example:
        >>> store = open_store(":memory:")
        >>> store.dialect.value
        'sqlite'
        >>> store.close()
    """
    text = str(url_or_path)
    if text.startswith(("postgresql://", "postgres://")):
        from o2c.store._postgres import PostgresStore

        return PostgresStore(text, schema=schema)
    if text.startswith("sqlite:"):
        parts = urlsplit(text)
        options = dict(parse_qsl(parts.query))
        path = parts.path
        if parts.netloc and parts.netloc != "":
            raise StoreError(f"a SQLite URL has no host: use sqlite:///path, got {text!r}")
        path = path[1:] if path.startswith("/") else path
        if not path:
            raise StoreError(f"the SQLite URL names no file: {text!r}")
        return SqliteStore(path, synchronous=options.get("synchronous", "full"))
    if "://" in text:
        scheme = text.split("://", 1)[0]
        raise StoreError(
            f"unsupported book URL scheme {scheme!r}; use a path, sqlite:/// or postgresql://"
        )
    return SqliteStore(text)
