"""The Book's machinery: opening, the command runner (transaction, idempotency, audit)."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from types import TracebackType
from typing import Any, Final, Self

import cattrs

from o2c.audit import AuditEvent, make_event
from o2c.book._codec import book_converter
from o2c.errors import DuplicateCommand, NotFound, ValidationError
from o2c.io import to_plain
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.money import Currency
from o2c.store import Dialect, PostgresStore, Store, migrate, open_store

__all__ = ["BookBase", "Clock", "Touched"]

#: Returns the current time, time-zone aware. Tests pass a fixed clock.
Clock = Callable[[], dt.datetime]

_HEAD: Final = "audit.head"


def _system_clock() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


class Touched:
    """The ids a command created or changed; they go into its audit event."""

    __slots__ = ("ids",)

    def __init__(self) -> None:
        self.ids: list[str] = []

    def add(self, *ids: str) -> None:
        """Record ``ids`` as touched."""
        self.ids.extend(ids)

    def extend(self, ids: Iterable[str]) -> None:
        """Record every id in ``ids`` as touched."""
        self.ids.extend(ids)


class BookBase:
    """What every group of Book commands builds on. Use :class:`o2c.Book`."""

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        clock: Clock | None = None,
        chart: ChartOfAccounts = DEFAULT_CHART,
    ) -> None:
        self._store = store
        self._clock: Clock = clock or _system_clock
        self._chart = chart
        self._default_actor = actor
        self._currencies: set[str] = set()
        self._converter_cache: cattrs.Converter | None = None
        # Where open() found the store, to open it again in another process (bill run
        # workers); None for an in-memory book or a book built around a store.
        self._location: tuple[str, str | None] | None = None

    def _converter(self) -> cattrs.Converter:
        """The Book's cattrs converter, built once (building one costs milliseconds)."""
        if self._converter_cache is None:
            self._converter_cache = book_converter()
        return self._converter_cache

    # -- opening and closing -------------------------------------------------------------

    @classmethod
    def open(
        cls,
        location: str | Path,
        *,
        create: bool = True,
        actor: str | None = None,
        clock: Clock | None = None,
        schema: str | None = None,
    ) -> Self:
        """Open (and migrate) the book at a path or URL.

        Args:
            location: A file path or ``sqlite:///path`` for SQLite, or
                ``postgresql://user@host/db`` (``?schema=name`` for a schema of its own).
            create: Create a missing SQLite file; ``False`` raises :class:`NotFound`.
            actor: The default actor of commands that name none. On PostgreSQL it
                defaults to the database session user.
            clock: Returns the current time (aware); the system clock by default.
            schema: PostgreSQL schema, overriding the URL option.

        Raises:
            NotFound: ``create`` is false and the SQLite file does not exist.
            StoreError: The store cannot be opened or was written by a newer o2c.

        Example:
            >>> from o2c.book import Book
            >>> with Book.open(":memory:", actor="ana") as book:
            ...     book.schema_version() >= 1
            True
        """
        text = str(location)
        if not create and "://" not in text.replace("sqlite:///", "") and text != ":memory:":
            path = Path(text.removeprefix("sqlite:///").partition("?")[0])
            if not path.exists():
                raise NotFound("book", text, hint="create it with o2c init or Book.init()")
        store = open_store(location, schema=schema)
        try:
            migrate(store, now=(clock or _system_clock)())
            if actor is None and isinstance(store, PostgresStore):
                actor = store.session_user()
        except BaseException:
            store.close()
            raise
        book = cls(store, actor=actor, clock=clock)
        if text != ":memory:" and not text.endswith("sqlite:///:memory:"):
            book._location = (text, schema)
        return book

    @classmethod
    def init(
        cls,
        location: str | Path,
        *,
        actor: str | None = None,
        clock: Clock | None = None,
        schema: str | None = None,
    ) -> Self:
        """Create (or open) a book and bring its schema up to date; see :meth:`open`."""
        return cls.open(location, create=True, actor=actor, clock=clock, schema=schema)

    @property
    def store(self) -> Store:
        """The store the book lives in (for SQL reports and exports)."""
        return self._store

    @property
    def chart(self) -> ChartOfAccounts:
        """The chart of accounts the book posts to."""
        return self._chart

    def schema_version(self) -> int:
        """The schema version of the book."""
        row = self._store.query_one("SELECT MAX(version) FROM schema_version")
        return int(row[0]) if row and row[0] is not None else 0

    def close(self) -> None:
        """Close the book's connection."""
        self._store.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Book({self._store.url!r})"

    # -- the command runner ----------------------------------------------------------

    def _now(self) -> dt.datetime:
        now = self._clock()
        if now.tzinfo is None:
            raise ValidationError("clock", now, "a time-zone aware datetime")
        return now

    def _today(self) -> dt.date:
        return self._now().date()

    def _who(self, actor: str | None) -> str:
        who = actor if actor is not None else self._default_actor
        if who is None or not str(who).strip():
            raise ValidationError(
                "actor", who, "who runs the command (pass actor=... or open the book with one)"
            )
        return str(who).strip()

    def _run(
        self,
        command: str,
        *,
        actor: str | None,
        key: str | None,
        args: Mapping[str, object],
        body: Callable[[Touched], dict[str, Any]],
    ) -> dict[str, Any]:
        """Run ``body`` as one command: one transaction, idempotency, one audit event.

        ``body`` returns a JSON-able result; a repeated idempotency key returns the first
        result without running ``body`` again.
        """
        who = self._who(actor)
        plain_args = json.dumps(
            to_plain(dict(args), self._converter()), sort_keys=True, separators=(",", ":")
        )
        with self._store.transaction():
            if key is not None:
                digest = hashlib.sha256(f"{command}\n{plain_args}".encode()).hexdigest()
                row = self._store.query_one(
                    "SELECT command, args_hash, result FROM idempotency WHERE key = ?", (key,)
                )
                if row is not None:
                    if row[0] != command or row[1] != digest:
                        raise DuplicateCommand(key, f"for {row[0]} with other arguments")
                    stored = row[2]
                    result: dict[str, Any] = (
                        json.loads(stored) if isinstance(stored, str | bytes) else dict(stored)
                    )
                    return result
            touched = Touched()
            result = body(touched)
            if key is not None:
                self._store.execute(
                    "INSERT INTO idempotency (key, command, args_hash, result, created_at)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (key, command, digest, json.dumps(result), self._now().isoformat()),
                )
            self._append_audit(who, command, plain_args, touched.ids)
        return result

    def _append_audit(self, actor: str, command: str, args: str, ids: Iterable[str]) -> None:
        row = self._store.query_one(
            "SELECT seq, at, actor, command, args, ids, prev_hash, hash FROM audit_events"
            " ORDER BY seq DESC LIMIT 1"
        )
        previous = None if row is None else _event(row)
        event = make_event(
            previous, at=self._now().isoformat(), actor=actor, command=command, args=args, ids=ids
        )
        self._store.execute(
            "INSERT INTO audit_events (seq, at, actor, command, args, ids, prev_hash, hash)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (
                event.seq,
                event.at,
                event.actor,
                event.command,
                event.args,
                json.dumps(list(event.ids)),
                event.prev_hash,
                event.hash,
            ),
        )
        self._set_setting(_HEAD, f"{event.seq}:{event.hash}")

    # -- small shared steps ------------------------------------------------------------

    def _setting(self, key: str) -> str | None:
        row = self._store.query_one("SELECT value FROM settings WHERE key = ?", (key,))
        return None if row is None else str(row[0])

    def _set_setting(self, key: str, value: str) -> None:
        self._store.execute(
            "INSERT INTO settings (key, value) VALUES (?, ?)"
            " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
            (key, value),
        )

    def _ensure_currency(self, currency: Currency) -> None:
        if currency.code in self._currencies:
            return
        self._store.execute(
            "INSERT INTO currencies (code, minor_units) VALUES (?, ?)"
            " ON CONFLICT (code) DO NOTHING",
            (currency.code, currency.minor_units),
        )
        self._ensure_accounts()
        self._currencies.add(currency.code)

    def _ensure_accounts(self) -> None:
        self._store.execute(
            "INSERT INTO settings (key, value) VALUES ('account.receivable', ?)"
            " ON CONFLICT (key) DO NOTHING",
            (self._chart.receivable.code,),
        )

    def _next_numbers(self, counter: str, count: int = 1) -> int:
        """Reserve ``count`` consecutive values of ``counter``; return the first.

        Inside the command's write transaction, and under the row lock the ``UPDATE``
        takes on PostgreSQL, so values are gapless (a rollback returns them) and unique.
        """
        if count < 1:
            raise ValidationError("count", count, "at least 1")
        row = self._store.query_one(
            "UPDATE number_series SET next_value = next_value + ? WHERE series = ?"
            " RETURNING next_value",
            (count, counter),
        )
        if row is None:
            self._store.execute(
                "INSERT INTO number_series (series, next_value) VALUES (?, ?)",
                (counter, count + 1),
            )
            return 1
        return int(row[0]) - count

    def _dialect(self) -> Dialect:
        return self._store.dialect


def _event(row: tuple[Any, ...]) -> AuditEvent:
    ids = json.loads(row[5]) if isinstance(row[5], str) else list(row[5])
    return AuditEvent(
        int(row[0]), str(row[1]), str(row[2]), str(row[3]), str(row[4]), tuple(ids), row[6], row[7]
    )
