"""The ``o2c`` command group: global options, the shared context, error handling."""

from __future__ import annotations

import datetime as dt
import getpass
import os
import sys
import traceback
from collections.abc import Callable, Collection, Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, TypeVar

import attrs
import click

from o2c import __version__
from o2c.cli._i18n import (
    TranslatedUsageError,
    TranslatingContext,
    gettext,
    language,
    short_help,
    translate_error,
)
from o2c.cli._lazy import LazyGroup
from o2c.cli._output import BOM, OutputFormat, emit, render, stream, write_file, xlsx_sheet
from o2c.errors import O2CError, PermissionDenied, StoreError

if TYPE_CHECKING:
    from o2c.book import Book

__all__ = [
    "Context",
    "NounGroup",
    "O2CCommand",
    "O2CGroup",
    "cli",
    "confirm",
    "idempotency_option",
    "natural_idempotency_option",
    "pass_context",
    "yes_option",
]

F = TypeVar("F", bound=Callable[..., Any])

#: The default book: a SQLite file in the working directory.
DEFAULT_BOOK: Final = "./o2c.db"


def _default_actor() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        # A container without a passwd entry for the uid: name the uid.
        return f"uid-{os.getuid()}" if hasattr(os, "getuid") else "unknown"


@attrs.define
class Context:
    """What every command gets on ``ctx.obj``: the book location, actor and output form.

    The book is opened on first use only, so ``o2c quote``, ``--help`` and ``--version``
    never create a book file.

    Attributes:
        book_location: A SQLite path or a ``postgresql://`` URL.
        actor: Who runs the commands (recorded in the audit trail).
        output: Table, JSON, CSV or XLSX.
        debug: Show tracebacks of errors.
        output_file: ``-o FILE``: write the result there instead of stdout.
        force: ``--force``: replace ``output_file`` if it exists.
        bom: ``--bom``: start CSV with a UTF-8 byte order mark (Excel on Windows).
    """

    book_location: str = DEFAULT_BOOK
    actor: str | None = None
    output: OutputFormat = OutputFormat.TABLE
    debug: bool = False
    output_file: Path | None = None
    force: bool = False
    bom: bool = False
    _book: Book | None = attrs.field(default=None, init=False, repr=False)
    _sheets: list[tuple[str, list[str], list[list[object]]]] = attrs.field(
        factory=list, init=False, repr=False
    )
    _written: bool = attrs.field(default=False, init=False, repr=False)

    @property
    def is_postgres(self) -> bool:
        """Whether the book is a PostgreSQL database (the actor is the session user)."""
        return self.book_location.startswith(("postgresql://", "postgres://"))

    def book(self, *, create: bool = False) -> Book:
        """Open the book on first use (and close it when the command ends).

        Args:
            create: Create a missing SQLite book (``init`` and ``demo``); other commands
                refuse a missing book with a hint to run ``o2c init``.

        Raises:
            NotFound: The book does not exist and ``create`` is false.
            StoreError: The book cannot be opened.
        """
        if self._book is None:
            from o2c.book import Book

            # On PostgreSQL the actor is the database session user, so a shared book cannot
            # be written under someone else's name by a flag (DESIGN.md, security).
            actor = None if self.is_postgres else (self.actor or _default_actor())
            try:
                self._book = Book.open(self.book_location, create=create, actor=actor)
            except O2CError:
                raise
            except Exception as exc:
                # A file that is not a book (a text file, a newer format...) is the user's
                # input, not a bug: say which file and why.
                raise StoreError(
                    f"cannot open book {self.book_location}: {exc}; is it an o2c book?"
                ) from exc
            current = click.get_current_context(silent=True)
            if current is not None:
                current.find_root().call_on_close(self.close)
            if self.is_postgres and self.actor:
                self._check_session_actor(self._book)
        return self._book

    def _check_session_actor(self, book: Book) -> None:
        # The CLI does not import the store layer; a PostgreSQL store names its user.
        session_user = getattr(book.store, "session_user", None)
        user = str(session_user()) if callable(session_user) else self.actor
        if user != self.actor:
            self.close()
            raise PermissionDenied(
                f"on a PostgreSQL book you act as the database user {user!r}, not "
                f"{self.actor!r}; connect as {self.actor!r} instead of passing --actor"
            )

    def close(self) -> None:
        """Close the book if it was opened."""
        if self._book is not None:
            self._book.close()
            self._book = None

    def emit(
        self,
        data: object,
        *,
        columns: Sequence[str] | None = None,
        title: str | None = None,
        money: Collection[str] = (),
    ) -> None:
        """Print a command's result in the chosen output form (to ``-o FILE`` if given).

        XLSX goes to a file only; each table a command emits is a sheet of it. A second
        table in another form is added to the file after the first. ``money`` names the
        ``columns`` that hold amounts (for the header of an empty result).

        Raises:
            click.UsageError: XLSX without ``-o FILE``.
        """
        if self.output is OutputFormat.XLSX:
            if self.output_file is None:
                raise click.UsageError(
                    "xlsx is a binary file, not for a terminal: give -o FILE.xlsx"
                )
            from o2c.io import write_xlsx

            self._sheets.append(xlsx_sheet(data, columns, title, money))
            write_file(self.output_file, write_xlsx(self._sheets), force=self.force)
            self.force = True  # the sheets of this command replace the file it wrote
            return
        if self.output_file is None:
            emit(data, self.output, columns=columns, title=title, bom=self.bom, money=money)
            return
        text = render(data, self.output, columns=columns, money=money)
        if self.output is OutputFormat.TABLE and title:
            text = f"{title}\n{text}"
        if self.bom and self.output is OutputFormat.CSV and not self._written:
            text = BOM + text
        write_file(self.output_file, text + "\n", force=self.force, append=self._written)
        self._written = True

    def emit_rows(
        self,
        rows: Iterable[object],
        *,
        columns: Sequence[str] | None = None,
        title: str | None = None,
        money: Collection[str] = (),
    ) -> None:
        """Print a long list: streamed a page at a time as CSV or JSON to stdout.

        A table (which needs every row to size its columns), XLSX and ``-o FILE`` take the
        rows as :meth:`emit` does.
        """
        if self.output_file is None and self.output in (OutputFormat.CSV, OutputFormat.JSON):
            stream(rows, self.output, columns=columns, bom=self.bom, money=money)
            return
        self.emit(list(rows), columns=columns, title=title, money=money)

    def today(self) -> dt.date:
        """Today in the book's time zone: the Book's one clock (``o2c init --timezone``).

        Without a book yet (``o2c quote`` before ``o2c init``) it is the UTC date, as for
        a book whose time zone was never set.
        """
        book = self._existing_book()
        return dt.datetime.now(dt.UTC).date() if book is None else book.today()

    def now(self) -> dt.datetime:
        """The current time from the book's clock (time-zone aware)."""
        book = self._existing_book()
        return dt.datetime.now(dt.UTC) if book is None else book.now()

    def _existing_book(self) -> Book | None:
        if self._book is not None or self.is_postgres:
            return self.book()
        location = self.book_location.removeprefix("sqlite:///").partition("?")[0]
        if location == ":memory:" or not Path(location).exists():
            return None
        return self.book()

    def note(self, message: str) -> None:
        """Print a human note to stderr (kept out of JSON and CSV output on stdout)."""
        click.echo(message, err=True)


pass_context = click.make_pass_decorator(Context)


class DomainError(click.ClickException):
    """An :class:`~o2c.errors.O2CError` or unexpected error shown as one line, exit 1."""

    exit_code = 1

    def show(self, file: Any = None) -> None:
        message = gettext("Error: {message}").format(message=self.format_message())
        click.echo(message, err=True)


class O2CGroup(LazyGroup):
    """The root group: turns every error into one line on stderr and exit 1.

    Its commands are imported when used (:class:`~o2c.cli._lazy.LazyGroup`).

    This is the one place where domain errors become exit codes. Usage errors (a bad
    option or argument) stay click's, exit 2. With ``--debug`` the traceback is printed
    before the line. Messages are in the user's language where the CLI catalog has them
    (:mod:`o2c.cli._i18n`), else in English.
    """

    context_class = TranslatingContext

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except click.UsageError as exc:
            if language() == "en" or isinstance(exc, TranslatedUsageError):
                raise
            raise TranslatedUsageError(exc) from exc
        except click.ClickException as exc:
            if language() == "en" or isinstance(exc, DomainError):
                raise
            raise DomainError(translate_error(exc.format_message())) from exc
        except (click.exceptions.Exit, click.Abort, BrokenPipeError):
            # A closed pipe (`o2c export journal | head`) is click's to handle quietly.
            raise
        except O2CError as exc:
            self._trace(ctx)
            raise DomainError(translate_error(str(exc))) from exc
        except KeyboardInterrupt:
            raise click.Abort() from None
        except Exception as exc:
            self._trace(ctx)
            name = type(exc).__name__
            raise DomainError(
                f"unexpected {name}: {exc} (this is a bug in o2c; rerun with --debug "
                "and report the traceback)"
            ) from exc

    @staticmethod
    def _trace(ctx: click.Context) -> None:
        if ctx.params.get("debug"):
            traceback.print_exc(file=sys.stderr)


def _set_format(ctx: click.Context, _param: click.Parameter, value: str | None) -> None:
    obj = ctx.find_object(Context)
    if value is not None and obj is not None:
        obj.output = OutputFormat(value)


def _setter(name: str) -> Callable[[click.Context, click.Parameter, object], None]:
    """A callback that puts an option's value on the Context (``-o``, ``--force``...)."""

    def store(ctx: click.Context, _param: click.Parameter, value: object) -> None:
        obj = ctx.find_object(Context)
        if value is not None and obj is not None:
            setattr(obj, name, value)

    return store


#: Set to 1 (or true/yes) to make ``--bom`` the default: a setting of the reader's machine.
BOM_ENV: Final = "O2C_CSV_BOM"


def _set_bom(ctx: click.Context, _param: click.Parameter, value: bool | None) -> None:
    # Read here, not as click's envvar: one shared option with an envvar gives every
    # command a documented target of the same name, and twin spellings collide in the docs.
    if value is None:
        value = os.environ.get(BOM_ENV, "").strip().lower() in ("1", "true", "yes", "on")
    obj = ctx.find_object(Context)
    if obj is not None:
        obj.bom = value


def _output_options(params: list[click.Parameter]) -> None:
    """``-o FILE``, ``--force`` and ``--bom`` on a command that has none of its own."""
    names = {p.name for p in params}
    if "output" not in names:
        params.append(
            click.Option(
                ["--output", "-o"],
                type=click.Path(dir_okay=False, path_type=Path),
                expose_value=False,
                callback=_setter("output_file"),
                help="Write the result to FILE instead of stdout (needed for xlsx).",
            )
        )
    if "force" not in names:
        params.append(
            click.Option(
                ["--force"],
                is_flag=True,
                default=None,
                expose_value=False,
                callback=_setter("force"),
                help="Replace the --output file if it exists.",
            )
        )
    if "bom" not in names:
        params.append(
            click.Option(
                ["--bom/--no-bom"],
                default=None,
                expose_value=False,
                callback=_set_bom,
                help="Start CSV with a UTF-8 byte order mark, for Excel on Windows "
                "(env O2C_CSV_BOM=1 makes it your default).",
            )
        )


class O2CCommand(click.Command):
    """A command that also takes ``--format`` after its name (``o2c report aging --format csv``)."""

    context_class = TranslatingContext

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not any(p.name == "output_format" for p in self.params):
            self.params.append(
                click.Option(
                    ["--format", "output_format"],
                    type=click.Choice([f.value for f in OutputFormat]),
                    default=None,
                    expose_value=False,
                    callback=_set_format,
                    help="Output: table, json, csv or xlsx (same as the global --format).",
                )
            )
        _output_options(self.params)


class NounGroup(click.Group):
    """A group of commands about one noun (``o2c invoice ...``); its commands are O2CCommands."""

    command_class = O2CCommand
    context_class = TranslatingContext

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's Group.format_commands, with each short help translated before it is
        # shortened to the width (a cut English text has no translation).
        commands = [
            (name, command)
            for name in self.list_commands(ctx)
            if (command := self.get_command(ctx, name)) is not None and not command.hidden
        ]
        if not commands:
            return
        limit = formatter.width - 6 - max(len(name) for name, _command in commands)
        with formatter.section("Commands"):
            formatter.write_dl([(name, short_help(command, limit)) for name, command in commands])


@click.group(cls=O2CGroup, context_settings={"help_option_names": ["-h", "--help"]})
@click.option(
    "--book",
    "book_location",
    metavar="PATH|URL",
    envvar="O2C_BOOK",
    default=DEFAULT_BOOK,
    show_default=True,
    help="The book: a SQLite file or a postgresql:// URL (env O2C_BOOK).",
)
@click.option(
    "--actor",
    metavar="NAME",
    envvar="O2C_ACTOR",
    default=None,
    help="Who acts, for approvals and the audit trail (env O2C_ACTOR; default: OS user;"
    " on PostgreSQL always the database user).",
)
@click.option(
    "--format",
    "output",
    type=click.Choice([f.value for f in OutputFormat]),
    envvar="O2C_FORMAT",
    default=OutputFormat.TABLE.value,
    show_default=True,
    help="Output: a table for people, JSON (amounts as strings), CSV or XLSX (with -o FILE).",
)
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.version_option(__version__, "--version", prog_name="o2c")
@click.pass_context
def cli(
    ctx: click.Context, book_location: str, actor: str | None, output: str, debug: bool
) -> None:
    """o2c: order-to-cash billing from the shell.

    Price contracts, usage and time; run bills; issue invoices, credit and debit notes;
    record payments; handle refunds, write-offs, disputes and approvals; read aging,
    statements and KPIs. Start with `o2c demo --book demo.db`.
    """
    ctx.obj = Context(
        book_location=book_location,
        actor=actor or None,
        output=OutputFormat(output),
        debug=debug,
    )


#: Set to 1 (or true/yes) to answer yes to every confirmation: a script's or a CI job's
#: standing ``--yes`` (as ``--yes`` on each command).
YES_ENV: Final = "O2C_YES"


def yes_option(function: F) -> F:
    """Add ``--yes``/``-y`` to a destructive command (see :func:`confirm`)."""
    return click.option(
        "--yes",
        "-y",
        "yes",
        is_flag=True,
        help="Do it without asking (needed when o2c cannot ask: no terminal; env O2C_YES=1).",
    )(function)


def _interactive() -> bool:
    return sys.stdin.isatty()


def confirm(question: str, *, yes: bool) -> None:
    """Ask ``question`` before a destructive command; go on only on a yes.

    ``--yes`` (or ``O2C_YES=1``) answers it. Without a terminal to ask (a script, a pipe,
    cron) and without ``--yes`` the command is refused, so nothing is voided, closed or
    written off because nobody was there to say no.

    Raises:
        click.ClickException: No terminal and no ``--yes`` (exit 1; nothing was done).
        click.Abort: The person answered no (exit 1; nothing was done).
    """
    if yes or os.environ.get(YES_ENV, "").strip().lower() in ("1", "true", "yes", "on"):
        return
    if not _interactive():
        raise click.ClickException(
            gettext(
                "not confirmed: {question} (o2c cannot ask without a terminal; "
                "pass --yes to confirm)"
            ).format(question=question)
        )
    if not click.confirm(question, default=False, err=True):
        raise click.Abort()


def idempotency_option(function: F) -> F:
    """Add ``--idempotency-key`` to a mutating command."""
    return click.option(
        "--idempotency-key",
        metavar="KEY",
        default=None,
        help="Run at most once per KEY: a retry with the same key changes nothing.",
    )(function)


def natural_idempotency_option(what: str) -> Callable[[F], F]:
    """Add ``--idempotency-key`` to a command that is idempotent by ``what`` already.

    Imports skip records whose ids are stored and bill runs skip billed run keys, so a
    retry changes nothing with or without a key; the option is accepted so that scripts
    can pass a key to every mutating command.
    """

    def decorate(function: F) -> F:
        return click.option(
            "--idempotency-key",
            metavar="KEY",
            default=None,
            expose_value=False,
            help=f"Accepted for scripts; a retry changes nothing anyway ({what}).",
        )(function)

    return decorate
