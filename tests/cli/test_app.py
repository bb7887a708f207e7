"""Global options, version, output rendering and the one place errors become exit codes."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import click
import pytest
from click.testing import CliRunner

from o2c.cli import cli
from o2c.cli._app import Context, O2CGroup, pass_context
from o2c.cli._output import OutputFormat, format_table, render
from o2c.errors import NotFound
from o2c.money import Money


def _group() -> click.Group:
    """A root group like ``o2c`` with commands that fail in each way."""

    @click.group(cls=O2CGroup)
    @click.option("--debug", is_flag=True)
    @click.pass_context
    def root(ctx: click.Context, debug: bool) -> None:
        ctx.obj = Context(debug=debug)

    @root.command()
    def missing() -> None:
        raise NotFound("invoice", "INV-2026-000042", hint="see `o2c invoice list`")

    @root.command()
    def crash() -> None:
        raise RuntimeError("boom")

    @root.command()
    @pass_context
    def ok(obj: Context) -> None:
        obj.emit({"total": Money.of("1", "USD")})

    return root


def test_version_and_help_need_no_book(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert runner.invoke(cli, ["--version"]).stdout.startswith("o2c, version ")
    result = runner.invoke(cli, ["--help"])
    assert result.exit_code == 0
    assert "--idempotency-key" not in result.stdout
    assert list(tmp_path.iterdir()) == []


def test_domain_error_is_one_line_on_stderr_and_exit_1(runner: CliRunner) -> None:
    result = runner.invoke(_group(), ["missing"])
    assert result.exit_code == 1
    assert result.stderr == ("Error: invoice INV-2026-000042 not found; see `o2c invoice list`\n")
    assert "Traceback" not in result.stdout


def test_unexpected_error_is_one_line_without_traceback(runner: CliRunner) -> None:
    result = runner.invoke(_group(), ["crash"])
    assert result.exit_code == 1
    assert result.stderr.count("\n") == 1
    assert "unexpected RuntimeError: boom" in result.stderr
    assert "Traceback" not in result.stderr


def test_debug_shows_the_traceback(runner: CliRunner) -> None:
    result = runner.invoke(_group(), ["--debug", "missing"])
    assert result.exit_code == 1
    assert "Traceback" in result.stderr
    assert result.stderr.rstrip().endswith("see `o2c invoice list`")


def test_usage_error_exits_2(runner: CliRunner) -> None:
    result = runner.invoke(cli, ["--format", "xml", "report"])
    assert result.exit_code == 2
    assert "'xml' is not one of" in result.stderr
    unknown = runner.invoke(cli, ["no-such-command"])
    assert unknown.exit_code == 2
    assert "No such command" in unknown.stderr


def test_actor_and_book_come_from_the_environment(runner: CliRunner) -> None:
    captured: list[Context] = []

    @cli.command("_peek", hidden=True)
    @pass_context
    def peek(obj: Context) -> None:
        captured.append(obj)

    try:
        env = {"O2C_ACTOR": "maria", "O2C_BOOK": "/tmp/x.db", "O2C_FORMAT": "json"}
        result = runner.invoke(cli, ["_peek"], env=env)
    finally:
        cli.commands.pop("_peek")
    assert result.exit_code == 0
    assert captured[0].actor == "maria"
    assert captured[0].book_location == "/tmp/x.db"
    assert captured[0].output is OutputFormat.JSON


ROWS = [
    {"customer": "ACME", "balance": Money.of("-12.5", "USD"), "note": "=1+1"},
    {"customer": "Globex", "balance": Money.of("1000", "MXN"), "note": None},
]


def test_table_right_aligns_amounts() -> None:
    text = render(ROWS, OutputFormat.TABLE, columns=["customer", "balance"])
    assert text.splitlines() == [
        "customer  balance",
        "--------  -----------",
        "ACME       -12.50 USD",
        "Globex    1000.00 MXN",
    ]


def test_json_output_has_string_amounts_and_sorted_keys() -> None:
    data = json.loads(render(ROWS, OutputFormat.JSON))
    assert data[0] == {
        "balance": {"amount": "-12.50", "currency": "USD"},
        "customer": "ACME",
        "note": "=1+1",
    }


def test_csv_output_splits_money_and_neutralizes_formulas() -> None:
    text = render(ROWS, OutputFormat.CSV, columns=["customer", "balance", "note"])
    assert list(csv.reader(io.StringIO(text))) == [
        ["customer", "balance.amount", "balance.currency", "note"],
        ["ACME", "-12.50", "USD", "'=1+1"],
        ["Globex", "1000.00", "MXN", ""],
    ]


def test_a_single_record_is_shown_as_fields_with_line_tables() -> None:
    record = {
        "number": "INV-1",
        "total": Money.of("116", "MXN"),
        "lines": [{"item": "seat", "net": Money.of("100", "MXN")}],
    }
    assert render(record, OutputFormat.TABLE).splitlines() == [
        "number  INV-1",
        "total   116.00 MXN",
        "",
        "lines:",
        "item  net",
        "----  ----------",
        "seat  100.00 MXN",
    ]


@pytest.mark.parametrize("output", list(OutputFormat))
def test_an_empty_list_renders_in_every_format(output: OutputFormat) -> None:
    assert render([], output) in ("(none)", "[]", "")


def test_long_cells_are_cut_in_tables_only() -> None:
    long = "x" * 100
    assert len(format_table([{"a": long}], ["a"]).splitlines()[2]) == 60
    assert long in render([{"a": long}], OutputFormat.JSON)
