"""The SQLite store: one file, stdlib :mod:`sqlite3`, WAL and ``BEGIN IMMEDIATE``."""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from o2c.errors import Conflict, O2CError, StoreError
from o2c.store._base import Dialect, Param, Row
from o2c.store._seal import RowRecorder, materialize

__all__ = ["SqliteStore"]

_SYNCHRONOUS = frozenset({"off", "normal", "full", "extra"})


def _translate(error: sqlite3.Error, sql: str) -> O2CError:
    text = str(error)
    if isinstance(error, sqlite3.IntegrityError):
        return Conflict(f"the book refused a write ({text}); it conflicts with stored data")
    if isinstance(error, sqlite3.OperationalError) and "locked" in text:
        return Conflict(f"the book is busy ({text}); another writer held it too long; retry")
    first = " ".join(sql.split())[:80]
    return StoreError(f"SQLite error {text!r} in {first!r}")


class SqliteStore:
    """A book in one SQLite file (or ``":memory:"``).

    The connection runs in autocommit mode and o2c opens every transaction itself:
    writes with ``BEGIN IMMEDIATE`` (the write lock is taken at the start, so two
    processes never interleave a read-check-write), reads with a deferred ``BEGIN``
    (a consistent snapshot under WAL). Foreign keys are enforced; a busy book is waited
    for up to ``busy_timeout_ms`` before :class:`~o2c.errors.Conflict` is raised.

    Args:
        path: The database file; created when missing.
        busy_timeout_ms: How long a writer waits for another one.
        synchronous: SQLite's ``synchronous`` pragma (``full`` survives power loss;
            ``normal`` survives a crash of the process, and is faster).

    Example:
        >>> store = SqliteStore(":memory:")
        >>> with store.transaction():
        ...     _ = store.execute("CREATE TABLE t (a INTEGER)")
        ...     store.executemany("INSERT INTO t VALUES (?)", [(1,), (2,)])
        >>> store.query("SELECT SUM(a) FROM t")
        [(3,)]
        >>> store.close()
    """

    def __init__(
        self, path: str | Path, *, busy_timeout_ms: int = 30_000, synchronous: str = "full"
    ) -> None:
        if synchronous.lower() not in _SYNCHRONOUS:
            raise StoreError(
                f"synchronous must be one of {sorted(_SYNCHRONOUS)}, got {synchronous!r}"
            )
        self._path = str(path)
        try:
            con = sqlite3.connect(self._path, isolation_level=None, timeout=busy_timeout_ms / 1000)
        except sqlite3.Error as error:
            raise StoreError(f"cannot open SQLite book {self._path!r}: {error}") from error
        self._con = con
        self._depth = 0
        self._closed = False
        #: What the open transaction wrote to the sealed tables (see o2c.store._seal).
        self.seals = RowRecorder(self)
        con.execute(f"PRAGMA busy_timeout = {int(busy_timeout_ms)}")
        if self._path != ":memory:":
            mode = con.execute("PRAGMA journal_mode = WAL").fetchone()
            if mode is None or str(mode[0]).lower() != "wal":
                raise StoreError(f"cannot switch {self._path!r} to WAL journal mode")
        con.execute(f"PRAGMA synchronous = {synchronous.upper()}")
        con.execute("PRAGMA foreign_keys = ON")
        con.execute("PRAGMA temp_store = MEMORY")
        con.execute("PRAGMA cache_size = -65536")

    @property
    def dialect(self) -> Dialect:
        """Always :attr:`Dialect.SQLITE`."""
        return Dialect.SQLITE

    @property
    def url(self) -> str:
        """``sqlite:///`` followed by the file path."""
        return f"sqlite:///{self._path}"

    @property
    def path(self) -> str:
        """The database file (``":memory:"`` for an in-memory book)."""
        return self._path

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction opened by :meth:`transaction` is running."""
        return self._depth > 0

    @contextmanager
    def transaction(self, *, write: bool = True) -> Iterator[None]:
        """Run the block in one transaction; nested calls join the outer one.

        Args:
            write: Take the write lock at once (``BEGIN IMMEDIATE``); a read-only block
                may pass ``False`` for a deferred snapshot.

        Raises:
            Conflict: Another process held the write lock past the busy timeout.
        """
        self._check_open()
        if self._depth:
            self._depth += 1
            try:
                yield
            finally:
                self._depth -= 1
            return
        try:
            self._con.execute("BEGIN IMMEDIATE" if write else "BEGIN")
        except sqlite3.Error as error:
            raise _translate(error, "BEGIN") from error
        self._depth = 1
        self.seals.clear()
        try:
            yield
        except BaseException:
            self._depth = 0
            self.seals.clear()
            self._con.execute("ROLLBACK")
            raise
        self._depth = 0
        self.seals.clear()
        try:
            self._con.execute("COMMIT")
        except sqlite3.Error as error:
            self._con.execute("ROLLBACK")
            raise _translate(error, "COMMIT") from error

    def _check_open(self) -> None:
        if self._closed:
            raise StoreError(f"the book {self._path!r} is closed")

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
            count: int = self._con.execute(sql, params).rowcount
        except sqlite3.Error as error:
            raise _translate(error, sql) from error
        if plan is not None and plan.op == "insert":
            self.seals.inserted(plan, [params])
        return count

    def executemany(self, sql: str, rows: Iterable[Sequence[Param]]) -> None:
        """Run one statement for every parameter row."""
        self._check_tx()
        plan = self.seals.plan(sql)
        if plan is not None:
            rows = materialize(rows)
            if plan.op != "insert":
                for params in rows:
                    self.seals.before(plan, params)
        try:
            self._con.executemany(sql, rows)
        except sqlite3.Error as error:
            raise _translate(error, sql) from error
        if plan is not None and plan.op == "insert":
            self.seals.inserted(plan, rows)  # type: ignore[arg-type]

    def query(self, sql: str, params: Sequence[Param] = ()) -> list[Row]:
        """Run a query and return all rows."""
        try:
            return self._con.execute(sql, params).fetchall()
        except sqlite3.Error as error:
            raise _translate(error, sql) from error

    def query_one(self, sql: str, params: Sequence[Param] = ()) -> Row | None:
        """Run a query and return its first row, or ``None``."""
        try:
            row: Row | None = self._con.execute(sql, params).fetchone()
        except sqlite3.Error as error:
            raise _translate(error, sql) from error
        return row

    def iterate(self, sql: str, params: Sequence[Param] = (), *, size: int = 2000) -> Iterator[Row]:
        """Stream a query's rows in chunks of ``size``."""
        try:
            cursor = self._con.execute(sql, params)
            while chunk := cursor.fetchmany(size):
                yield from chunk
        except sqlite3.Error as error:
            raise _translate(error, sql) from error

    def close(self) -> None:
        """Close the connection (idempotent)."""
        if not self._closed:
            self._closed = True
            self._con.close()

    def __repr__(self) -> str:
        return f"SqliteStore({self._path!r})"
