"""``o2c`` starts fast: the command modules and the heavy libraries load only when used.

``o2c --help`` lists every command from the static table in :data:`o2c.cli.COMMANDS`;
these tests check that table against the real commands, and check in a fresh interpreter
that ``import o2c.cli``, ``--version`` and ``--help`` import none of the heavy libraries
(so a new eager import shows up here, not as a slow start). ``benchmarks/cli_startup.py``
measures the time.
"""

from __future__ import annotations

import json
import subprocess
import sys

import click
import pytest

from o2c.cli import COMMANDS, cli

#: Libraries that cost tens of milliseconds each and that no start-up needs.
HEAVY: tuple[str, ...] = ("lxml", "jinja2", "openpyxl", "psycopg", "pandas", "xhtml2pdf")


def _loaded_after(code: str) -> list[str]:
    """The modules a fresh interpreter has loaded after running ``code``."""
    probe = (
        "import json, sys\n"
        "try:\n"
        + "".join(f"    {line}\n" for line in code.splitlines())
        + "except SystemExit:\n    pass\n"
        "print(json.dumps(sorted(sys.modules)), file=sys.__stderr__)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True, timeout=60
    )
    modules: list[str] = json.loads(done.stderr.strip().splitlines()[-1])
    return modules


def _heavy(modules: list[str]) -> list[str]:
    return [m for m in modules if m.split(".")[0] in HEAVY]


def test_import_o2c_cli_imports_no_heavy_library() -> None:
    modules = _loaded_after("import o2c.cli")
    assert _heavy(modules) == []
    # Nor the Book or any command module: those load when a command runs.
    assert "o2c.book" not in modules
    assert [m for m in modules if m.startswith("o2c.cli.") and m not in _START] == []


#: The only o2c.cli modules ``import o2c.cli`` loads.
_START = frozenset({"o2c.cli._app", "o2c.cli._i18n", "o2c.cli._lazy", "o2c.cli._output"})


#: What ``--version`` and ``--help`` do without as well: output rendering (cattrs), the
#: holiday calendars and the IBAN registry.
LIGHT_START_SKIPS: tuple[str, ...] = ("o2c.io", "o2c.calendar", "cattrs", "holidays", "schwifty")


@pytest.mark.parametrize("argv", [["--version"], ["--help"]])
def test_version_and_help_import_no_command_module(argv: list[str]) -> None:
    modules = _loaded_after(f"from o2c.cli import main\nmain({argv!r})")
    assert _heavy(modules) == []
    assert "o2c.book" not in modules
    assert [m for m in LIGHT_START_SKIPS if m in modules] == []
    assert [m for m in modules if m.startswith("o2c.cli.") and m not in _START] == []


def test_a_command_imports_only_its_own_module() -> None:
    modules = _loaded_after("from o2c.cli import main\nmain(['customer', '--help'])")
    assert "o2c.cli._customer" in modules
    assert "o2c.cli._invoice" not in modules
    assert "o2c.cli._demo" not in modules


def test_the_command_table_names_every_command_with_its_short_help() -> None:
    real = dict(cli.commands)  # reading .commands imports every command
    assert sorted(real) == sorted(COMMANDS)
    for name, spec in COMMANDS.items():
        command = real[name]
        stand_in = click.Command(name, help=spec.short_help)
        for limit in (20, 45, 60, 80, 1000):
            assert stand_in.get_short_help_str(limit) == command.get_short_help_str(limit), (
                name,
                limit,
            )
        for target in spec.subcommands:
            sub = _resolve(target)
            assert isinstance(command, click.Group)
            assert command.commands[sub.name or ""] is sub, (name, target)


def _resolve(target: str) -> click.Command:
    module, _, attribute = target.partition(":")
    command = getattr(sys.modules[module], attribute)
    assert isinstance(command, click.Command)
    return command


def _help(prelude: str) -> str:
    code = f"{prelude}\nfrom o2c.cli import main\nmain(['--help'])"
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    return done.stdout


def test_lazy_help_is_the_help_of_the_loaded_commands() -> None:
    lazy = _help("")
    loaded = _help("from o2c.cli import cli\ncli.load_all()")
    assert "customer  " in lazy
    assert lazy == loaded
