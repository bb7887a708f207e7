"""The store protocol: what the Book needs from a database, and nothing more."""

from __future__ import annotations

import enum
from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from typing import Any, Protocol, TypeAlias, runtime_checkable

__all__ = ["Dialect", "Param", "Row", "Store"]

#: A value the Book passes as a query parameter. Decimals travel as strings (exact on
#: both stores), dates as ISO strings, money as integer minor units.
Param: TypeAlias = str | int | bytes | None

#: A result row. Columns come back as the driver decodes them: ``int``/``str`` on both
#: stores; on PostgreSQL ``NUMERIC`` and ``DATE`` columns arrive as ``Decimal`` and
#: ``datetime.date``, which the Book's decoders accept alike.
Row: TypeAlias = tuple[Any, ...]


class Dialect(enum.Enum):
    """The SQL dialect of a store; the value is the URL scheme."""

    SQLITE = "sqlite"
    POSTGRES = "postgresql"


@runtime_checkable
class Store(Protocol):
    """A database the Book runs its commands on.

    SQL is written once with ``?`` placeholders; each store translates it for its driver.
    Every statement runs inside :meth:`transaction`; a transaction opened inside another
    joins it, so a command composed of smaller steps still commits or rolls back as one.

    A *write* transaction excludes other writers from its start (``BEGIN IMMEDIATE`` on
    SQLite, a per-book advisory lock on PostgreSQL), so check-then-write sequences such
    as "is this invoice still open? then allocate" cannot interleave with another
    process. Readers are never blocked.
    """

    @property
    def dialect(self) -> Dialect:
        """The store's SQL dialect."""
        ...

    @property
    def url(self) -> str:
        """Where the store lives (password removed)."""
        ...

    @property
    def in_transaction(self) -> bool:
        """Whether a transaction is open on this store."""
        ...

    def transaction(self, *, write: bool = True) -> AbstractContextManager[None]:
        """Run the block in one transaction: commit on success, roll back on any error."""
        ...

    def execute(self, sql: str, params: Sequence[Param] = ()) -> int:
        """Run one statement and return the number of rows it changed."""
        ...

    def executemany(self, sql: str, rows: Iterable[Sequence[Param]]) -> None:
        """Run one statement for every parameter row, in one round trip where possible."""
        ...

    def query(self, sql: str, params: Sequence[Param] = ()) -> list[Row]:
        """Run a query and return all rows."""
        ...

    def query_one(self, sql: str, params: Sequence[Param] = ()) -> Row | None:
        """Run a query and return its first row, or ``None``."""
        ...

    def iterate(self, sql: str, params: Sequence[Param] = (), *, size: int = 2000) -> Iterator[Row]:
        """Stream the rows of a query in chunks of ``size`` (bounded memory)."""
        ...

    def close(self) -> None:
        """Close the connection; the store cannot be used afterwards."""
        ...
