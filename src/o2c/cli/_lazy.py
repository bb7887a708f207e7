"""A click group whose commands are imported when they run, not when ``o2c`` starts.

Each command module pulls in the Book and the part of the core it uses; importing all of
them made every call, ``o2c --version`` included, pay for all of them. A :class:`LazyGroup`
knows its commands by name (``"o2c.cli._customer:customer"``) and their short help from a
static table (``tests/cli/test_startup.py`` checks the table against the real commands),
so ``o2c --help`` lists every command without importing one, and ``o2c customer list``
imports the customer commands only.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping, MutableMapping, Sequence
from typing import Any

import attrs
import click

__all__ = ["LazyCommand", "LazyGroup"]


@attrs.frozen
class LazyCommand:
    """Where a command lives and what ``--help`` says about it before it is imported.

    Attributes:
        target: ``"module:attribute"`` of the click command.
        short_help: The first sentence of its help, as click would show it untruncated.
        subcommands: ``"module:attribute"`` of commands to add to it (a group) when it
            is loaded: commands that live in other modules (``report kpis``).
    """

    target: str
    short_help: str
    subcommands: Sequence[str] = ()

    def load(self) -> click.Command:
        """Import the command (and add its subcommands to it)."""
        command = _resolve(self.target)
        if self.subcommands:
            if not isinstance(command, click.Group):
                raise TypeError(f"{self.target} is not a group; it cannot take subcommands")
            for sub in self.subcommands:
                command.add_command(_resolve(sub))
        return command


def _resolve(target: str) -> click.Command:
    module, _, attribute = target.partition(":")
    command = getattr(importlib.import_module(module), attribute)
    if not isinstance(command, click.Command):
        raise TypeError(f"{target} is not a click command")
    return command


class _Commands(MutableMapping[str, click.Command]):
    """``group.commands`` for code that reads it directly: loads every command first."""

    def __init__(self, group: LazyGroup) -> None:
        self._group = group

    def _all(self) -> dict[str, click.Command]:
        self._group.load_all()
        return self._group.loaded

    def __getitem__(self, name: str) -> click.Command:
        return self._all()[name]

    def __setitem__(self, name: str, command: click.Command) -> None:
        self._group.loaded[name] = command

    def __delitem__(self, name: str) -> None:
        self._group.lazy.pop(name, None)
        del self._group.loaded[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._all())

    def __len__(self) -> int:
        return len(self._all())


class LazyGroup(click.Group):
    """A group that imports a command on first use.

    ``list_commands`` and ``--help`` need no import; ``get_command`` imports the one command
    asked for. ``group.commands`` (read by code that walks the tree) loads them all.
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        self.loaded: dict[str, click.Command] = {}
        self.lazy: dict[str, LazyCommand] = {}
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> MutableMapping[str, click.Command]:
        """Every command, imported (for code that walks the command tree)."""
        return _Commands(self)

    @commands.setter
    def commands(self, value: Mapping[str, click.Command]) -> None:
        self.loaded = dict(value)

    def add_lazy_commands(self, commands: Mapping[str, LazyCommand]) -> None:
        """Register commands by name, to be imported when used."""
        for name, spec in commands.items():
            if name not in self.loaded:
                self.lazy[name] = spec

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        super().add_command(cmd, name)
        self.lazy.pop(name or cmd.name or "", None)

    def load_all(self) -> None:
        """Import every command not imported yet."""
        for name in list(self.lazy):
            self._load(name)

    def _load(self, name: str) -> click.Command:
        command = self.lazy[name].load()
        self.loaded[name] = command
        del self.lazy[name]
        return command

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name in self.loaded:
            return self.loaded[cmd_name]
        if cmd_name in self.lazy:
            return self._load(cmd_name)
        return None

    def list_commands(self, ctx: click.Context) -> list[str]:
        return sorted({*self.loaded, *self.lazy})

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        # click's Group.format_commands, with the short help of a command not imported
        # yet taken from its LazyCommand instead of importing it.
        names = [
            name
            for name in self.list_commands(ctx)
            if name in self.lazy or not self.loaded[name].hidden
        ]
        if not names:
            return
        limit = formatter.width - 6 - max(len(name) for name in names)
        with formatter.section("Commands"):
            formatter.write_dl([(name, self._short_help(name, limit)) for name in names])

    def _short_help(self, name: str, limit: int) -> str:
        from o2c.cli._i18n import short_help

        command = self.loaded.get(name)
        if command is None:
            # A stand-in with the same help shortens it exactly as the real command would.
            command = click.Command(name, help=self.lazy[name].short_help)
        return short_help(command, limit)
