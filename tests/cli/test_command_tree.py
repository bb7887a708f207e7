"""The command tree is consistent: every mutating command takes --idempotency-key, every
command takes --format and --help, and no command shows a traceback for --help."""

from __future__ import annotations

from collections.abc import Iterator

import click
import pytest
from click.testing import CliRunner

from o2c.cli import cli

#: Leaf commands that only read the book (or nothing).
READ_ONLY = frozenset(
    {
        "aging", "allocations", "case-aging", "case-statement", "deliveries", "exceptions",
        "explain",
        "export", "holds", "kpis", "list", "log", "permissions", "preview", "quote",
        "reconcile", "render", "roles", "show",
        "statement", "trial-balance", "verify",
        "worklist", "credit-check", "fees", "kept-rate",
        "balances", "journal",
        "impact", "service-desk", "root-causes",
        "backup",
        "seal",
        "rollforward", "schedule", "waterfall",  # revenue recognition reports
        "history",  # o2c wallet history
    }
)  # fmt: skip


def _leaves(command: click.Command, path: tuple[str, ...] = ()) -> Iterator[tuple[str, ...]]:
    if isinstance(command, click.Group):
        for name, sub in sorted(command.commands.items()):
            yield from _leaves(sub, (*path, name))
    else:
        yield path


def _command(path: tuple[str, ...]) -> click.Command:
    command: click.Command = cli
    for name in path:
        assert isinstance(command, click.Group)
        command = command.commands[name]
    return command


LEAVES = list(_leaves(cli))


def _options(path: tuple[str, ...]) -> set[str]:
    return {opt for param in _command(path).params for opt in getattr(param, "opts", [])}


def test_the_issue_commands_exist() -> None:
    names = {" ".join(p) for p in LEAVES}
    for expected in (
        "init", "demo", "quote", "customer add", "customer edit", "contract amend",
        "ratecard import", "tax import", "usage import", "time import", "bill run",
        "bill exceptions", "invoice create", "invoice explain", "invoice render",
        "credit-note create", "debit-note create", "payment import", "payment unapply",
        "refund request", "refund list", "writeoff request", "approval approve",
        "dispute open", "dispute escalate", "extension grant", "note add", "period close",
        "report aging", "report kpis", "audit verify", "export",
    ):  # fmt: skip
        assert expected in names, expected


@pytest.mark.parametrize("path", [p for p in LEAVES if p[-1] not in READ_ONLY], ids=" ".join)
def test_every_mutating_command_takes_an_idempotency_key(path: tuple[str, ...]) -> None:
    assert "--idempotency-key" in _options(path)


@pytest.mark.parametrize("path", LEAVES, ids=" ".join)
def test_every_command_has_help_and_takes_format(path: tuple[str, ...]) -> None:
    assert "--format" in _options(path)
    result = CliRunner().invoke(cli, [*path, "--help"], prog_name="o2c")
    assert result.exit_code == 0
    assert result.stdout.startswith("Usage: o2c ")
    assert _command(path).help, "every command explains itself"


@pytest.mark.parametrize(
    ("spelling", "canonical"),
    [
        (("approval", "request", "refund"), ("refund", "request")),
        (("approval", "request", "writeoff"), ("writeoff", "request")),
    ],
)
def test_documented_twin_spellings_are_one_command(
    spelling: tuple[str, ...], canonical: tuple[str, ...]
) -> None:
    # Both spellings are in the operations guide; they must not drift apart as copies.
    assert _command(spelling) is _command(canonical)
