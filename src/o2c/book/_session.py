"""The Book's session: the store, the one clock, the actor and the command runner.

Every use case of the Book takes a :class:`Session` as its first argument. The session
is the only place that reads the clock (so "now" and the book's "today" are one and the
same for every area and for the CLI), knows who acts, and runs a command as one store
transaction with idempotency and one audit event.

It is also the one place that checks who may run a command: :meth:`Session.run` asks the
permission matrix (:mod:`o2c.cases.permissions`) before anything else, inside the
command's transaction, so a refused command changes nothing.

Who acts: the actor is an identity the embedding application authenticated (``actor=`` of
:meth:`o2c.Book.open` and of each command); the Book records it, it cannot check it. On
PostgreSQL a book opened without an actor acts as the database user and a command cannot
name anyone else (:meth:`Session.who`).

The book's "today" is the date in the book's time zone (setting ``book.timezone``, an
IANA name; UTC when unset). A team in Mexico City sets ``America/Mexico_City`` so that a
bill run or a dunning run started at 19:00 local time is dated today, not tomorrow (the
UTC date). Customer billing periods keep their own zones.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final
from zoneinfo import ZoneInfo

import cattrs

from o2c.audit import make_event, seal_hash
from o2c.book._codec import book_converter
from o2c.book._tables import approvals as approvals_table
from o2c.book._tables import audit as audit_table
from o2c.book._tables import settings as settings_table
from o2c.calendar import zone
from o2c.cases.permissions import Command, check_permission, parse_command
from o2c.errors import DuplicateCommand, PermissionDenied, ValidationError
from o2c.io import to_plain
from o2c.ledger.accounts import DEFAULT_CHART, ChartOfAccounts
from o2c.money import Currency
from o2c.store import Dialect, PostgresStore, Store, take_seals

__all__ = ["TIMEZONE_SETTING", "Clock", "Session", "Touched", "parse_timezone", "system_clock"]

#: Returns the current time, time-zone aware. Tests pass a fixed clock.
Clock = Callable[[], dt.datetime]

#: The settings key of the book's time zone (an IANA name such as ``America/Mexico_City``).
TIMEZONE_SETTING: Final = "book.timezone"

_UTC: Final = ZoneInfo("UTC")


def system_clock() -> dt.datetime:
    """The system clock, in UTC."""
    return dt.datetime.now(dt.UTC)


def parse_timezone(name: str) -> ZoneInfo:
    """The IANA time zone ``name`` (see :func:`o2c.calendar.zone`).

    Raises:
        ValidationError: ``name`` is not a known IANA time zone.
    """
    return zone(str(name).strip())


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


class Session:
    """One open book: its store, clock, chart, default actor and command runner.

    Not part of the public API: use :class:`o2c.Book`, whose area groups hold one session
    between them.
    """

    __slots__ = (
        "_converter",
        "_currencies",
        "_depth",
        "_zone",
        "actor_is_database_user",
        "chart",
        "clock",
        "default_actor",
        "identity_from_database",
        "location",
        "snapshots",
        "store",
    )

    def __init__(
        self,
        store: Store,
        *,
        actor: str | None = None,
        clock: Clock | None = None,
        chart: ChartOfAccounts = DEFAULT_CHART,
    ) -> None:
        self.store = store
        self.clock: Clock = clock or system_clock
        self.chart = chart
        self.default_actor = actor
        #: The default actor is the PostgreSQL session user (the book was opened without
        #: an actor): commands act as that user and cannot name another actor.
        self.actor_is_database_user = False
        #: The book's database roles are installed (PostgreSQL, ``o2c db roles``): the
        #: actor of every command is the database role it runs as (``current_user``); an
        #: application's ``actor=`` is recorded beside it, never instead of it.
        self.identity_from_database = False
        self._depth = 0  # commands running (a held command runs inside its approval)
        # Where Book.open found the store, to open it again in another process (bill run
        # workers); None for an in-memory book or a book built around a store.
        self.location: tuple[str, str | None] | None = None
        self._currencies: set[str] = set()
        self._converter: cattrs.Converter | None = None
        self._zone: ZoneInfo | None = None
        #: Customer snapshots -> their stored JSON, shared by the commands of a session
        #: (a bill run writes one snapshot per invoice; most repeat).
        self.snapshots: dict[Any, str] = {}

    # -- the one clock -----------------------------------------------------------------

    @property
    def uses_system_clock(self) -> bool:
        """Whether the session reads the system clock (not a test's fixed one)."""
        return self.clock is system_clock

    def now(self) -> dt.datetime:
        """The current time, time-zone aware, from the session's clock."""
        now = self.clock()
        if now.tzinfo is None:
            raise ValidationError("clock", now, "a time-zone aware datetime")
        return now

    def timezone(self) -> ZoneInfo:
        """The book's time zone (setting ``book.timezone``; UTC when unset)."""
        if self._zone is None:
            name = self.setting(TIMEZONE_SETTING)
            self._zone = _UTC if name is None else parse_timezone(name)
        return self._zone

    def forget_timezone(self) -> None:
        """Read the time zone again on next use (after it was changed)."""
        self._zone = None

    def today(self) -> dt.date:
        """Today in the book's time zone."""
        return self.now().astimezone(self.timezone()).date()

    # -- who acts ----------------------------------------------------------------------

    def who(self, actor: str | None) -> str:
        """The actor of a command: ``actor`` or the book's default, stripped.

        ``actor`` is the identity the embedding application authenticated; the Book
        records it and cannot check it. On a PostgreSQL book with its database roles
        installed (:func:`o2c.store.install_postgres_roles`) the actor is the database
        role the command runs as, whatever ``actor`` says (:meth:`run` records a
        different ``actor`` beside it as ``app_identity``). A PostgreSQL book opened
        without an actor acts as the database user, and a command there may not name
        another actor (the database vouches for its user, nobody for the name); an
        approval still runs the command it holds as its requester.

        Raises:
            ValidationError: Neither names anyone.
            PermissionDenied: The book acts as its database user and ``actor`` is someone
                else.
        """
        if self.identity_from_database:
            return self.database_user()
        who = actor if actor is not None else self.default_actor
        if who is None or not str(who).strip():
            raise ValidationError(
                "actor", who, "who runs the command (pass actor=... or open the book with one)"
            )
        name = str(who).strip()
        user = self.default_actor
        if (
            self.actor_is_database_user
            and self._depth == 0
            and user is not None
            and name.casefold() != user.strip().casefold()
        ):
            raise PermissionDenied(
                f"this PostgreSQL book acts as the database user {user!r}, not {name!r}; an "
                "application that authenticated its users opens the book with actor=... "
                "and passes their names"
            )
        return name

    def authorize(self, command: Command | str, actor: str | None) -> None:
        """Refuse ``command`` to ``actor`` (or the book's default) unless the permission
        matrix lets them run it (:func:`o2c.cases.permissions.check_permission`).

        A book without role assignments is open: no actor is needed to pass.

        Raises:
            CommandNotPermitted: The book has roles and none of the actor's permits it.
            InvariantViolation: ``command`` is not in the permission matrix.
        """
        chosen = parse_command(command)
        assignments = approvals_table.role_assignments(self.store)
        if assignments:
            check_permission(chosen, self.who(actor), assignments)

    # -- the command runner ------------------------------------------------------------

    def converter(self) -> cattrs.Converter:
        """The Book's cattrs converter, built once (building one costs milliseconds)."""
        if self._converter is None:
            self._converter = book_converter()
        return self._converter

    def run(
        self,
        command: str,
        *,
        actor: str | None,
        key: str | None,
        args: Mapping[str, object],
        body: Callable[[Touched], dict[str, Any]],
    ) -> dict[str, Any]:
        """Run ``body`` as one command: one transaction, idempotency, one audit event.

        ``command`` must be in the permission matrix and the actor must hold a role it
        permits (when the book has roles; :meth:`authorize`), checked first. ``body``
        returns a JSON-able result; a repeated idempotency key returns the first result
        without running ``body`` again.

        Raises:
            CommandNotPermitted: The actor may not run ``command``; nothing changed.
        """
        chosen = parse_command(command)
        who = self.who(actor)
        if self.identity_from_database:
            claimed = actor if actor is not None else self.default_actor
            if claimed and claimed.strip().casefold() != who.casefold():
                # An application's own name for its user, kept beside the database role.
                args = {**args, "app_identity": claimed.strip()}
        plain_args = json.dumps(
            to_plain(dict(args), self.converter()), sort_keys=True, separators=(",", ":")
        )
        with self.store.transaction():
            self._depth += 1
            try:
                result = self._run_inside(chosen, command, who, key, plain_args, body)
            finally:
                self._depth -= 1
        return result

    def _run_inside(
        self,
        chosen: Command,
        command: str,
        who: str,
        key: str | None,
        plain_args: str,
        body: Callable[[Touched], dict[str, Any]],
    ) -> dict[str, Any]:
        # The command inside its transaction: permission, idempotency, body, audit.
        self.authorize(chosen, who)
        digest = ""
        if key is not None:
            digest = hashlib.sha256(f"{command}\n{plain_args}".encode()).hexdigest()
            found = settings_table.idempotent_result(self.store, key)
            if found is not None:
                stored_command, stored_digest, result = found
                if stored_command != command or stored_digest != digest:
                    raise DuplicateCommand(key, f"for {stored_command} with other arguments")
                return result
        touched = Touched()
        result = body(touched)
        if key is not None:
            settings_table.remember_result(
                self.store, key, command, digest, result, self.now().isoformat()
            )
        self.append_audit(who, command, plain_args, touched.ids)
        return result

    def append_audit(self, actor: str, command: str, args: str, ids: Iterable[str]) -> None:
        """Append one event to the audit chain (inside the command's transaction), sealing
        the money-carrying rows the command wrote (:mod:`o2c.store._seal`); the first
        sealed event of a book also seals the rows stored before."""
        previous = audit_table.last_event(self.store)
        groups = take_seals(self.store)
        if previous is None or not previous.seal:
            groups = audit_table.baseline_groups(self.store, groups) + groups
        event = make_event(
            previous,
            at=self.now().isoformat(),
            actor=actor,
            command=command,
            args=args,
            ids=ids,
            seal=seal_hash(groups),
            db_user=self.database_user(),
        )
        audit_table.append_event(self.store, event, groups)
        self.set_setting(audit_table.HEAD_SETTING, f"{event.seq}:{event.hash}")

    def database_user(self) -> str:
        """The database user the book's connection acts as now (PostgreSQL's
        ``current_user``), recorded beside the actor of every audit event; "" on SQLite."""
        store = self.store
        return store.current_user() if isinstance(store, PostgresStore) else ""

    # -- small shared steps ------------------------------------------------------------

    def setting(self, key: str) -> str | None:
        """The book setting ``key``, or None."""
        return settings_table.get(self.store, key)

    def set_setting(self, key: str, value: str) -> None:
        """Set the book setting ``key``."""
        settings_table.put(self.store, key, value)

    def ensure_currency(self, currency: Currency) -> None:
        """Register ``currency`` in the book (once per session)."""
        if currency.code in self._currencies:
            return
        settings_table.ensure_currency(self.store, currency, self.chart.receivable.code)
        self._currencies.add(currency.code)

    def next_numbers(self, counter: str, count: int = 1) -> int:
        """Reserve ``count`` consecutive values of ``counter``; return the first.

        Inside the command's write transaction, and under the row lock the ``UPDATE``
        takes on PostgreSQL, so values are gapless (a rollback returns them) and unique.
        """
        if count < 1:
            raise ValidationError("count", count, "at least 1")
        return settings_table.reserve_numbers(self.store, counter, count)

    @property
    def dialect(self) -> Dialect:
        """The store's SQL dialect."""
        return self.store.dialect
