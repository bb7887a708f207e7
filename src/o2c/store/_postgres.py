"""The PostgreSQL store: psycopg 3, imported only when a PostgreSQL book is opened."""

from __future__ import annotations

import functools
import hashlib
import re
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Final
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from o2c.errors import Conflict, O2CError, PermissionDenied, StoreError
from o2c.store._base import Dialect, Param, Row
from o2c.store._seal import RowRecorder, materialize

__all__ = ["PostgresStore", "split_schema"]

_SCHEMA_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


@functools.lru_cache(maxsize=1024)
def _to_format(sql: str) -> str:
    """Translate ``?`` placeholders to psycopg's ``%s`` (and escape literal ``%``)."""
    return sql.replace("%", "%%").replace("?", "%s")


def split_schema(url: str) -> tuple[str, str | None]:
    """Remove o2c's ``schema=`` query option from a PostgreSQL URL.

    Returns:
        The URL libpq understands, and the schema name (``None`` for the default).

    Raises:
        StoreError: The schema name is not a plain lower-case SQL identifier.

    Example:
        >>> split_schema("postgresql://127.0.0.1:5432/test?schema=o2c_t1&connect_timeout=3")
        ('postgresql://127.0.0.1:5432/test?connect_timeout=3', 'o2c_t1')
    """
    conninfo, options = _split_options(url)
    schema = options.get("schema")
    if schema is not None and not _SCHEMA_NAME.match(schema):
        raise StoreError(f"schema must be a lower-case SQL identifier, got {schema!r}")
    return conninfo, schema


#: The query options o2c reads from a PostgreSQL URL itself (libpq gets the rest).
_O2C_OPTIONS: Final = frozenset({"schema", "lock_timeout_ms", "statement_timeout_ms"})


def _split_options(url: str) -> tuple[str, dict[str, str]]:
    parts = urlsplit(url)
    options: dict[str, str] = {}
    kept = []
    for key, value in parse_qsl(parts.query, keep_blank_values=True):
        if key in _O2C_OPTIONS:
            options[key] = value
        else:
            kept.append((key, value))
    return urlunsplit(parts._replace(query=urlencode(kept))), options


def _milliseconds(options: dict[str, str], key: str, default: int) -> int:
    text = options.get(key)
    if text is None:
        return default
    if not text.isdigit():
        raise StoreError(f"{key} must be a whole number of milliseconds, got {text!r}")
    return int(text)


def _redact(url: str) -> str:
    parts = urlsplit(url)
    if parts.password:
        netloc = parts.netloc.replace(f":{parts.password}@", ":***@")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


class PostgresStore:
    """A book in a PostgreSQL database (optionally in its own schema).

    Write transactions take a transaction-scoped advisory lock keyed by the book's
    schema, which gives them the same "one writer at a time, from the start" semantics
    as SQLite's ``BEGIN IMMEDIATE``: a read-check-write (is the invoice still open?
    allocate) cannot interleave with another session. Number series are additionally
    row-locked by the ``UPDATE`` that takes the next number. Readers never wait.

    Args:
        url: ``postgresql://user@host:port/db``; an extra ``schema=name`` query option
            puts the book in that schema (created when missing), and
            ``lock_timeout_ms=`` / ``statement_timeout_ms=`` override the timeouts below.
        schema: The schema, overriding the URL's option.
        connect_timeout: Seconds to wait for the server.
        lock_timeout_ms: How long a writer waits for another one (the book's write
            lock, or any row lock) before :class:`~o2c.errors.Conflict` says the book is
            busy. Readers take no lock and never wait.
        statement_timeout_ms: The longest one statement may run before it is cancelled
            (:class:`~o2c.errors.StoreError`; the transaction rolls back).
    """

    def __init__(
        self,
        url: str,
        *,
        schema: str | None = None,
        connect_timeout: int = 10,
        lock_timeout_ms: int = 30_000,
        statement_timeout_ms: int = 600_000,
    ) -> None:
        try:
            import psycopg
        except ImportError as error:  # pragma: no cover - depends on the install
            raise StoreError(
                "PostgreSQL books need psycopg 3: pip install 'o2c[postgres]'"
            ) from error
        self._psycopg = psycopg
        conninfo, url_schema = split_schema(url)
        options = _split_options(url)[1]
        lock_timeout_ms = _milliseconds(options, "lock_timeout_ms", lock_timeout_ms)
        statement_timeout_ms = _milliseconds(options, "statement_timeout_ms", statement_timeout_ms)
        self._schema = schema or url_schema
        if self._schema is not None and not _SCHEMA_NAME.match(self._schema):
            raise StoreError(f"schema must be a lower-case SQL identifier, got {self._schema!r}")
        self._url = _redact(url)
        try:
            self._con: Any = psycopg.connect(
                conninfo, autocommit=True, connect_timeout=connect_timeout
            )
        except psycopg.Error as error:
            raise StoreError(f"cannot open PostgreSQL book {self._url}: {error}") from error
        if self._schema is not None:
            # Creating the schema needs CREATE on the database; a book that exists is
            # opened without it, so team members need no more than their o2c role.
            exists = self._con.execute(
                "SELECT 1 FROM pg_namespace WHERE nspname = %s", (self._schema,)
            ).fetchone()
            if exists is None:
                self._con.execute(f'CREATE SCHEMA IF NOT EXISTS "{self._schema}"')
            self._con.execute(f'SET search_path TO "{self._schema}"')
        # Nobody waits without limit: a writer waits at most ``lock_timeout`` for the
        # book's write lock (then "the book is busy; retry"), and one statement runs at
        # most ``statement_timeout`` (a bill run's statements are batches, far below it).
        self._con.execute(f"SET lock_timeout = {int(lock_timeout_ms)}")
        self._con.execute(f"SET statement_timeout = {int(statement_timeout_ms)}")
        row: tuple[str] | None = self._con.execute("SELECT current_schema()").fetchone()
        key = self._schema or (row[0] if row else "public")
        digest = hashlib.sha256(f"o2c-book:{key}".encode()).digest()
        self._lock_key = int.from_bytes(digest[:8], "big", signed=True)
        self._depth = 0
        self._cursors = 0
        self._tx: Any = None
        self._closed = False
        #: What the open transaction wrote to the sealed tables (see o2c.store._seal).
        self.seals = RowRecorder(self)

    @property
    def dialect(self) -> Dialect:
        """Always :attr:`Dialect.POSTGRES`."""
        return Dialect.POSTGRES

    @property
    def url(self) -> str:
        """The URL the store was opened with, password removed."""
        return self._url

    @property
    def schema(self) -> str | None:
        """The schema the book lives in (``None``: the connection's default)."""
        return self._schema

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction opened by :meth:`transaction` is running."""
        return self._depth > 0

    def session_user(self) -> str:
        """The database user of this connection (the default actor on PostgreSQL)."""
        row = self._con.execute("SELECT session_user").fetchone()
        return str(row[0])

    def current_user(self) -> str:
        """The role this connection acts as now (``current_user``: the session user, or
        the role a ``SET ROLE`` chose); every audit event records it beside the actor."""
        row = self._con.execute("SELECT current_user").fetchone()
        return str(row[0])

    def _translate(self, error: Exception, sql: str) -> O2CError:
        errors = self._psycopg.errors
        text = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        if isinstance(error, self._psycopg.IntegrityError):
            return Conflict(f"the book refused a write ({text}); it conflicts with stored data")
        if isinstance(error, errors.SerializationFailure | errors.DeadlockDetected):
            return Conflict(f"a concurrent update won ({text}); retry")
        if isinstance(error, errors.LockNotAvailable):
            return Conflict(f"the book is busy: another writer holds it ({text}); retry")
        if isinstance(error, errors.InsufficientPrivilege):
            return PermissionDenied(
                f"the database refused it: {text} (the book's database roles decide who "
                "may write it; see o2c.store.install_postgres_roles)"
            )
        if isinstance(error, errors.QueryCanceled):
            return StoreError(f"a statement ran past the statement timeout ({text})")
        first = " ".join(sql.split())[:80]
        return StoreError(f"PostgreSQL error {text!r} in {first!r}")

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        """Run the block in one transaction; nested calls join the outer one.

        Args:
            write: Serialize with other writers of this book from the start.
        """
        if self._closed:
            raise StoreError(f"the book {self._url} is closed")
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        psycopg = self._psycopg
        try:
            tx = self._con.transaction()
            tx.__enter__()
        except psycopg.Error as error:
            raise self._translate(error, "BEGIN") from error
        self._depth = 1
        self.seals.clear()
        try:
            if write:
                self._con.execute("SELECT pg_advisory_xact_lock(%s)", (self._lock_key,))
            else:
                self._con.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
            yield
        except BaseException as error:
            self._depth = 0
            self.seals.clear()
            tx.__exit__(type(error), error, error.__traceback__)
            if isinstance(error, psycopg.Error):
                raise self._translate(error, "transaction") from error
            raise
        self._depth = 0
        self.seals.clear()
        try:
            tx.__exit__(None, None, None)
        except psycopg.Error as error:
            raise self._translate(error, "COMMIT") from error

    def _check_tx(self) -> None:
        if not self._depth:
            raise StoreError("o2c runs every statement inside store.transaction()")

    def execute(self, sql: str, params: Sequence[Param] = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        self._check_tx()
        plan = self.seals.plan(sql)
        if plan is not None and plan.op != "insert":
            self.seals.before(plan, params)
        try:
            cursor = self._con.execute(_to_format(sql), params)
        except self._psycopg.Error as error:
            raise self._translate(error, sql) from error
        if plan is not None and plan.op == "insert":
            self.seals.inserted(plan, [params])
        return int(cursor.rowcount)

    def executemany(self, sql: str, rows: Iterable[Sequence[Param]]) -> None:
        """Run one statement for every parameter row (pipelined by psycopg)."""
        self._check_tx()
        plan = self.seals.plan(sql)
        if plan is not None:
            rows = materialize(rows)
            if plan.op != "insert":
                for params in rows:
                    self.seals.before(plan, params)
        try:
            with self._con.cursor() as cursor:
                cursor.executemany(_to_format(sql), rows)
        except self._psycopg.Error as error:
            raise self._translate(error, sql) from error
        if plan is not None and plan.op == "insert":
            self.seals.inserted(plan, rows)  # type: ignore[arg-type]

    def query(self, sql: str, params: Sequence[Param] = ()) -> list[Row]:
        """Run a query and return all rows."""
        try:
            rows: list[Row] = self._con.execute(_to_format(sql), params).fetchall()
        except self._psycopg.Error as error:
            raise self._translate(error, sql) from error
        return rows

    def query_one(self, sql: str, params: Sequence[Param] = ()) -> Row | None:
        """Run a query and return its first row, or ``None``."""
        try:
            row: Row | None = self._con.execute(_to_format(sql), params).fetchone()
        except self._psycopg.Error as error:
            raise self._translate(error, sql) from error
        return row

    def iterate(self, sql: str, params: Sequence[Param] = (), *, size: int = 2000) -> Iterator[Row]:
        """Stream a query's rows through a server-side cursor, ``size`` at a time."""
        try:
            self._cursors += 1
            with self._con.cursor(name=f"o2c_iter_{self._cursors}") as cursor:
                cursor.itersize = size
                cursor.execute(_to_format(sql), params)
                yield from cursor
        except self._psycopg.Error as error:
            raise self._translate(error, sql) from error

    def drop_schema(self) -> None:
        """Drop the book's schema and everything in it (for tests and teardown)."""
        if self._schema is None:
            raise StoreError("drop_schema needs a store opened with an explicit schema")
        self._con.execute(f'DROP SCHEMA IF EXISTS "{self._schema}" CASCADE')

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if not self._closed:
            self._closed = True
            self._con.close()

    def __repr__(self) -> str:
        return f"PostgresStore({self._url!r})"
