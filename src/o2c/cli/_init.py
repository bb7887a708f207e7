"""``o2c init``: create a book (or bring an existing one's schema up to date)."""

from __future__ import annotations

import click

from o2c.cli._app import Context, O2CCommand, pass_context

__all__ = ["init_command"]


@click.command("init", cls=O2CCommand)
@pass_context
def init_command(obj: Context) -> None:
    """Create the book named by --book, or migrate an existing one.

    Running it again is safe: an up-to-date book is left as it is.
    """
    book = obj.book(create=True)
    obj.emit(
        {"book": obj.book_location, "schema_version": book.schema_version()},
        title="Book ready",
    )
