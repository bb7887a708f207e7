"""Void, period close, write-off and dunning run ask first; --yes answers (issue 23).

Without a terminal (a script, a pipe, cron) and without --yes they are refused and the
book is left exactly as it was.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.cli import _app, cli
from tests.cli.conftest import Invoke, book_dump

VOID: tuple[str, ...] = ("invoice", "void", "INV-2026-000001", "--reason", "duplicate")
DESTRUCTIVE: dict[str, tuple[tuple[str, ...], str]] = {
    "void": (
        VOID,
        "Void INV-2026-000001 of C-US-1 (1855.99 USD)? This cannot be undone.",
    ),
    "close": (
        ("period", "close", "2026-10"),
        "Close 2026-10? Nothing can be posted on its days afterwards.",
    ),
    "writeoff": (
        ("writeoff", "request", "INV-2026-000002", "--amount", "100", "--date", "2026-11-01"),
        "Write off 100.00 MXN of INV-2026-000002 as bad debt?",
    ),
    "dunning": (
        ("dunning", "run", "--as-of", "2026-12-31"),
        "Send 2 dunning notice(s) as of 2026-12-31?",
    ),
}


@pytest.fixture
def unanswered(monkeypatch: pytest.MonkeyPatch) -> None:
    """No standing yes: confirmations are asked (the CLI tests' O2C_YES=1 is removed)."""
    monkeypatch.delenv("O2C_YES")


@pytest.mark.usefixtures("unanswered")
@pytest.mark.parametrize("name", list(DESTRUCTIVE))
def test_without_a_terminal_and_without_yes_nothing_is_done(
    issued: Invoke, book_path: Path, name: str
) -> None:
    args, question = DESTRUCTIVE[name]
    before = book_dump(book_path)
    result = issued(*args)
    assert result.exit_code == 1
    assert result.stderr == (
        f"Error: not confirmed: {question} (o2c cannot ask without a terminal; "
        "pass --yes to confirm)\n"
    )
    assert book_dump(book_path) == before


@pytest.mark.usefixtures("unanswered")
@pytest.mark.parametrize("name", list(DESTRUCTIVE))
def test_yes_does_it(issued: Invoke, book_path: Path, name: str) -> None:
    args, _question = DESTRUCTIVE[name]
    before = book_dump(book_path)
    result = issued(*args, "--yes")
    assert result.exit_code == 0, result.stderr
    assert book_dump(book_path) != before


@pytest.mark.usefixtures("unanswered")
def test_a_person_who_answers_no_changes_nothing(
    issued: Invoke, book_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_app, "_interactive", lambda: True)
    head = ["--book", str(book_path), "--actor", "ana"]
    before = book_dump(book_path)
    no = CliRunner().invoke(cli, [*head, *VOID], input="n\n")
    assert no.exit_code == 1
    assert "Void INV-2026-000001 of C-US-1 (1855.99 USD)? This cannot be undone. [y/N]:" in (
        no.stderr
    )
    assert book_dump(book_path) == before
    yes = CliRunner().invoke(cli, [*head, *VOID], input="y\n")
    assert yes.exit_code == 0, yes.stderr
    assert "Voided INV-2026-000001" in yes.stdout


@pytest.mark.usefixtures("unanswered")
def test_a_dunning_run_that_sends_nothing_needs_no_yes(issued: Invoke) -> None:
    result = issued("dunning", "run", "--as-of", "2026-10-02")
    assert result.exit_code == 0, result.stderr
    assert "0 notice(s) sent" in result.stdout


def test_o2c_yes_answers_for_a_script(issued: Invoke) -> None:
    # The CLI tests run with O2C_YES=1, as a CI job that sets it once.
    assert issued("period", "close", "2026-10").exit_code == 0


@pytest.mark.usefixtures("unanswered")
def test_the_refusal_is_in_the_users_language(book_path: Path, issued: Invoke) -> None:
    head = ["--book", str(book_path), "--actor", "ana"]
    env = {"O2C_LANG": "es_MX.UTF-8"}
    result = CliRunner().invoke(cli, [*head, "period", "close", "2026-10"], env=env)
    assert result.exit_code == 1
    assert result.stderr == (
        "Error: sin confirmar: ¿Cerrar 2026-10? Después no se puede contabilizar en sus días. "
        "(o2c no puede preguntar sin una terminal; use --yes para confirmar)\n"
    )


def test_a_specialist_cannot_close_a_month(issued: Invoke) -> None:
    for person, role in (("cy", "controller"), ("ana", "specialist")):
        assert issued("approval", "assign", person, role, actor="cy").exit_code == 0
    refused = issued("period", "close", "2026-10", "--yes", actor="ana")
    assert refused.exit_code == 1
    assert refused.stderr == (
        "Error: ana holds specialist; only a controller may close periods (close_period)\n"
    )
    assert issued("period", "close", "2026-10", "--yes", actor="cy").exit_code == 0
