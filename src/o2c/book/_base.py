"""The Book's machinery: opening, the command runner (transaction, idempotency, audit)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from types import TracebackType
from typing import Any, Self

from o2c.book._session import (
    TIMEZONE_SETTING,
    Clock,
    Session,
    Touched,
    parse_timezone,
    system_clock,
)
from o2c.errors import NotFound
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.store import (
    IDENTITY_SETTING,
    PostgresStore,
    Store,
    migrate,
    open_store,
    schema_version,
)

__all__ = ["BookBase", "Clock", "Touched"]


class BookBase:
    """The opener of a book: opening, closing, the store, the clock and its time zone.

    Use :class:`o2c.Book`, which adds one group of commands per area.
    """

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        clock: Clock | None = None,
        chart: ChartOfAccounts = DEFAULT_CHART,
    ) -> None:
        self._session = Session(store, actor=actor, clock=clock, chart=chart)

    @property
    def _store(self) -> Store:
        return self._session.store

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
            actor: The default actor of commands that name none: the identity the
                embedding application authenticated (the Book records it, it cannot
                check it). On PostgreSQL it defaults to the database session user, and a
                book opened so acts as that user only: a command naming another actor is
                refused. Every audit event on PostgreSQL also records the database user
                (``current_user``) beside the actor.
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
        as_database_user = False
        try:
            migrate(store, now=(clock or system_clock)())
            if actor is None and isinstance(store, PostgresStore):
                actor = store.session_user()
                as_database_user = True
        except BaseException:
            store.close()
            raise
        book = cls(store, actor=actor, clock=clock)
        book._session.actor_is_database_user = as_database_user
        if isinstance(store, PostgresStore):
            book._session.identity_from_database = (
                book._session.setting(IDENTITY_SETTING) == "database"
            )
        if text != ":memory:" and not text.endswith("sqlite:///:memory:"):
            book._session.location = (text, schema)
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
        return self._session.chart

    def schema_version(self) -> int:
        """The schema version of the book."""
        return schema_version(self._store)

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

    def now(self) -> dt.datetime:
        """The current time from the book's clock (time-zone aware)."""
        return self._session.now()

    def today(self) -> dt.date:
        """Today in the book's time zone (see :meth:`set_timezone`); UTC when unset.

        The CLI and every command read this one clock, so "today" is the same date for
        a bill run, a dunning run and the report that follows.
        """
        return self._session.today()

    def timezone(self) -> str:
        """The book's time zone, an IANA name (``UTC`` when unset)."""
        return str(self._session.timezone())

    def set_timezone(
        self, zone: str, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> str:
        """Set the book's time zone (an IANA name such as ``America/Mexico_City``).

        It decides the book's "today": the default date of commands and the CLI. Customer
        billing periods keep their own zones.

        Raises:
            ValidationError: ``zone`` is not an IANA time zone.

        Example:
            >>> from o2c.book import Book
            >>> with Book.open(":memory:", actor="ana") as book:
            ...     book.set_timezone("America/Mexico_City")
            'America/Mexico_City'
        """
        name = str(parse_timezone(zone))
        session = self._session

        def body(touched: Touched) -> dict[str, Any]:
            session.set_setting(TIMEZONE_SETTING, name)
            touched.add(TIMEZONE_SETTING)
            return {"timezone": name}

        try:
            result = session.run(
                "set_timezone",
                actor=actor,
                key=idempotency_key,
                args={"zone": name},
                body=body,
            )
        finally:
            session.forget_timezone()
        return str(result["timezone"])
