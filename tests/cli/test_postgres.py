"""The CLI on a PostgreSQL book: same commands, and the actor is the database user."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from o2c.cli import cli
from tests.store.backends import book_url

pytestmark = pytest.mark.postgres


def test_cli_on_postgres_records_the_session_user(tmp_path: Path) -> None:
    runner = CliRunner()
    with book_url("postgres", tmp_path) as url:

        def o2c(*args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
            result = runner.invoke(cli, ["--book", url, *args], env=env or {"O2C_ACTOR": ""})
            return result.exit_code, result.stdout, result.stderr

        assert o2c("init")[0] == 0
        args = ["customer", "add", "C-1", "--name", "Acme", "--country", "US", "--currency", "USD"]
        code, _, err = o2c(*args)
        assert code == 0, err
        code, out, _ = o2c("--format", "json", "customer", "list")
        assert [c["id"] for c in json.loads(out)] == ["C-1"]
        code, out, _ = o2c("--format", "json", "audit", "log")
        actors = {e["actor"] for e in json.loads(out)}
        assert len(actors) == 1
        assert "mallory" not in actors
        code, _, err = o2c("--actor", "mallory", "customer", "list")
        assert code == 1
        assert "you act as the database user" in err
