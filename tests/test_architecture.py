"""The layout shows the architecture: imports only point inwards (STYLE.md).

core (money, calendar, parties, contracts, pricing, tax, billing, ledger, cases, kpi, audit)
<- store <- book <- cli; ``io`` serves book and cli. The core does no I/O, so it imports
no database driver, no click and no clock-reading shell module.

The rules themselves are pure functions in ``tests/architecture/rules.py``:

* SQL strings only in the tables layer (``o2c.book._tables``) and ``o2c.store``;
* no import of another package's private modules or names;
* the core's dependency order (:data:`~tests.architecture.rules.CORE_ORDER`);
* no clock, file, console or network I/O and no randomness in the core, except the
  loaders of bundled tables named in :data:`IO_ALLOWED`;
* no module over 800 lines.

``PENDING_*`` allow-lists name today's offenders while issue 15 moves code: each one's
modules are reported as expected failures, and a listed module that no longer breaks the
rule fails the run, so the lists can only shrink. The last part of this file plants a
violation of each rule in a small tree under ``tmp_path`` and shows the rule catches it.
"""

from __future__ import annotations

import ast
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest

from tests.architecture.rules import (
    CORE_ORDER,
    Finding,
    Module,
    by_module,
    find_io,
    find_long,
    find_order_breaches,
    find_private_imports,
    find_sql,
    is_core,
    scan,
    stale_entries,
)

SRC = Path(__file__).resolve().parents[1] / "src" / "o2c"

LAYER_OF_TOP = {
    "book": "book",
    "store": "store",
    "cli": "cli",
    "io": "io",
}
ALLOWED = {
    "core": {"core"},
    "store": {"core", "store"},
    "io": {"core", "io"},
    "book": {"core", "store", "io", "book"},
    "cli": {"core", "io", "book", "cli"},
}
FORBIDDEN_IN_CORE = {"sqlite3", "psycopg", "click", "subprocess", "socket", "requests"}

#: Where SQL may be written: the tables layer of the Book and the store.
SQL_HOMES: Final = ("o2c.book._tables", "o2c.store")

# The allow-lists below MUST ONLY SHRINK: remove a module as soon as it obeys the rule
# (the run fails until you do); never add one.

#: Book modules that still hold SQL (it moves to ``o2c.book._tables``).
PENDING_SQL: Final[frozenset[str]] = frozenset()
#: Modules that import another package's private modules or names (the other package
#: should export what they need, or the code should move).
PENDING_PRIVATE: Final[frozenset[str]] = frozenset()
#: Modules over 800 lines (to be split by sub-area).
PENDING_LONG: Final[frozenset[str]] = frozenset()
#: The core's only I/O: loaders of the tables o2c ships or the caller names, and what
#: each may do. This list is not transitional; grow it only for a new bundled table.
IO_ALLOWED: Final[dict[str, frozenset[str]]] = {
    # bundled_table(): the tax tables shipped in o2c/tax/tables/*.toml.
    "o2c.tax._table": frozenset({"file: importlib.resources", "file: .read_text()"}),
    # load_ratecard(path): the rate card file the caller names (size check, then read).
    "o2c.pricing._toml": frozenset({"file: .stat()", "file: .read_text()"}),
}

MODULES: Final = scan(SRC)
Rule = Callable[[Module], list[Finding]]


def _layer(module_parts: tuple[str, ...]) -> str:
    if not module_parts:
        return "core"
    return LAYER_OF_TOP.get(module_parts[0], "core")


def _modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py"))


def _imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append(node.module)
    return found


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_imports_point_inwards(path: Path) -> None:
    rel = path.relative_to(SRC).with_suffix("").parts
    if rel[-1] == "__init__":
        rel = rel[:-1]
    if rel == ():
        return  # the top-level facade re-exports every layer
    layer = _layer(rel)
    for name in _imports(path):
        parts = name.split(".")
        if parts[0] == "o2c":
            target = _layer(tuple(parts[1:]))
            assert target in ALLOWED[layer], f"{'.'.join(rel)} ({layer}) imports {name} ({target})"
        elif layer == "core":
            assert parts[0] not in FORBIDDEN_IN_CORE, f"core module {'.'.join(rel)} imports {name}"


def test_there_is_no_grab_bag_module() -> None:
    names = {p.stem for p in SRC.rglob("*.py")}
    assert not names & {"utils", "helpers", "misc", "_utils", "_helpers", "_misc"}


def test_py_typed_is_shipped() -> None:
    assert (SRC / "py.typed").exists()


# --- the rules, as functions of a tree of modules ----------------------------------------


def sql_outside_tables(modules: list[Module]) -> list[Finding]:
    """SQL strings in modules that are neither the tables layer nor the store."""
    return [
        finding
        for module in modules
        if not module.name.startswith(SQL_HOMES)
        for finding in find_sql(module)
    ]


def private_imports(modules: list[Module]) -> list[Finding]:
    """Imports of another package's private modules or names."""
    return [finding for module in modules for finding in find_private_imports(module)]


def order_breaches(modules: list[Module]) -> list[Finding]:
    """Core imports against :data:`CORE_ORDER`."""
    return [finding for module in modules for finding in find_order_breaches(module)]


def core_io(
    modules: list[Module], allowed: dict[str, frozenset[str]] | None = None
) -> list[Finding]:
    """I/O in core modules, less what :data:`IO_ALLOWED` lets a loader do."""
    allowed = IO_ALLOWED if allowed is None else allowed
    return [
        finding
        for module in modules
        if is_core(module.name)
        for finding in find_io(module)
        if finding.what not in allowed.get(module.name, frozenset())
    ]


def long_modules(modules: list[Module]) -> list[Finding]:
    """Modules over 800 lines."""
    return [finding for module in modules for finding in find_long(module)]


RULES: Final[dict[str, tuple[Callable[[list[Module]], list[Finding]], frozenset[str]]]] = {
    "sql": (sql_outside_tables, PENDING_SQL),
    "private-import": (private_imports, PENDING_PRIVATE),
    "core-order": (order_breaches, frozenset()),
    "core-io": (core_io, frozenset()),
    "size": (long_modules, PENDING_LONG),
}


def _report(findings: list[Finding]) -> str:
    return "\n".join(str(finding) for finding in findings)


@pytest.mark.parametrize("rule", sorted(RULES))
def test_rule_holds_outside_its_pending_list(rule: str) -> None:
    check, pending = RULES[rule]
    found = [f for f in check(MODULES) if f.module not in pending]
    assert not found, f"{rule}: {len(found)} breach(es):\n{_report(found)}"


def _pending_cases() -> list[object]:
    return [
        pytest.param(
            rule,
            name,
            id=f"{rule}:{name}",
            marks=pytest.mark.xfail(
                strict=True, reason=f"pending {rule} offender (the list only shrinks)"
            ),
        )
        for rule, (_, pending) in sorted(RULES.items())
        for name in sorted(pending)
    ]


@pytest.mark.parametrize(("rule", "name"), _pending_cases())
def test_pending_module_obeys_rule(rule: str, name: str) -> None:
    """Reports a pending offender as XFAIL; XPASS (strict: a failure) means it is fixed and
    must leave its ``PENDING_*`` list."""
    check, _ = RULES[rule]
    found = by_module(check(MODULES)).get(name, [])
    assert not found, f"{rule}:\n{_report(found)}"


def test_allow_lists_name_existing_modules() -> None:
    lists = {
        "PENDING_SQL": PENDING_SQL,
        "PENDING_PRIVATE": PENDING_PRIVATE,
        "PENDING_LONG": PENDING_LONG,
        "IO_ALLOWED": frozenset(IO_ALLOWED),
    }
    stale = {name: stale_entries(entries, MODULES) for name, entries in lists.items()}
    assert not any(stale.values()), f"remove renamed or deleted modules: {stale}"


def test_io_allowances_are_still_used() -> None:
    unused = {
        module.name: sorted(allowed - {f.what for f in find_io(module)})
        for module in MODULES
        if (allowed := IO_ALLOWED.get(module.name))
    }
    assert not any(unused.values()), f"remove unused IO_ALLOWED entries: {unused}"


def test_every_core_package_has_a_place_in_the_order() -> None:
    tops = {m.name.split(".")[1] for m in MODULES if is_core(m.name)}
    ordered = set().union(*CORE_ORDER)
    assert tops == ordered, f"add to CORE_ORDER: {tops - ordered}; drop: {ordered - tops}"


# --- tests of the tests: each rule fails on a planted violation ---------------------------


def _plant(root: Path, files: dict[str, str]) -> list[Module]:
    """Write ``files`` (paths under the ``o2c`` package) and scan them like ``src/o2c``."""
    package = root / "o2c"
    for rel, text in {"__init__.py": "", **files}.items():
        path = package / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        for parent in path.relative_to(package).parents:
            (package / parent / "__init__.py").touch()
        path.write_text(text, encoding="utf-8")
    return scan(package)


def _names(findings: list[Finding]) -> set[str]:
    return {f.module for f in findings}


def test_sql_outside_the_tables_layer_is_caught(tmp_path: Path) -> None:
    modules = _plant(
        tmp_path,
        {
            "book/_payments.py": (
                '"""Docstring: select the payments from the book, update nothing."""\n'
                "def load(store, pid, cols):\n"
                '    return store.query(f"SELECT {cols} FROM payments WHERE id = ?", (pid,))\n'
            ),
            "book/_filters.py": 'WHERE = " AND customer_id = ?"\n',
            "book/_concat.py": 'def q(t):\n    return "delete from " + t\n',
            "book/_tables/payments.py": 'Q = "SELECT * FROM payments"\n',
            "store/_sqlite.py": 'Q = "PRAGMA foreign_keys = ON"\n',
            "cli/_help.py": (
                'HELP = "Select the invoices from a period; update the set of payments."\n'
                "import re\n"
                'PATTERN = re.compile(r"CREATE TABLE (\\w+)")\n'
            ),
        },
    )
    found = sql_outside_tables(modules)
    assert _names(found) == {"o2c.book._payments", "o2c.book._filters", "o2c.book._concat"}


def test_private_import_across_packages_is_caught(tmp_path: Path) -> None:
    modules = _plant(
        tmp_path,
        {
            "cli/_invoice.py": "from o2c.book._billing import BillRun\n",
            "cli/_report.py": "from o2c.book import _parse_period\n",
            "cli/_export.py": "import o2c.store._sqlite\n",
            "cli/_order.py": "from o2c.cli._app import Context\nfrom . import _types\n",
            "book/_payments.py": "from ._tables import payments\nfrom o2c.book._codec import x\n",
            "book/_bill.py": "from o2c.billing import BillRun, __version__\n",
        },
    )
    assert _names(private_imports(modules)) == {
        "o2c.cli._invoice",
        "o2c.cli._report",
        "o2c.cli._export",
    }


def test_ledger_importing_billing_breaks_the_core_order(tmp_path: Path) -> None:
    modules = _plant(
        tmp_path,
        {
            "ledger/journal.py": "from o2c.billing import Document\nfrom o2c.money import M\n",
            "ledger/aging.py": "def f():\n    from o2c import billing\n",
            "money.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n"
            "    from o2c.calendar import Period\n",
            "kpi.py": "from o2c.cases import Dispute\n",  # a peer
            "billing/posting.py": "from o2c.ledger import post\nfrom ..tax import rate\n",
            "newcore.py": "",
        },
    )
    found = order_breaches(modules)
    assert _names(found) == {
        "o2c.ledger.journal",
        "o2c.ledger.aging",
        "o2c.money",
        "o2c.kpi",
        "o2c.newcore",
    }
    assert any("ledger imports billing" in str(f) for f in found)


def test_clock_file_and_network_io_in_the_core_are_caught(tmp_path: Path) -> None:
    modules = _plant(
        tmp_path,
        {
            "ledger/aging.py": "import datetime as dt\ndef f():\n    return dt.date.today()\n",
            "billing/clock.py": "from datetime import datetime\nCLOCK = datetime.now\n",
            "kpi.py": "import time\ndef f():\n    return time.time()\n",
            "ledger/journal.py": "def f(p):\n    return open(p).read()\n",
            "pricing/_toml.py": "def f(path):\n    return path.read_text()\n",
            "tax/_net.py": "import urllib.request\n",
            "cases/_ids.py": "import uuid\nNEW = uuid.uuid4\n",
            "dunning.py": "import os\nLANG = os.environ['LANG']\n",
            # the allowed loader may read its bundled tables, and only that
            "tax/_table.py": (
                "import importlib.resources\n"
                "def load(key):\n"
                "    return (importlib.resources.files('o2c.tax') / key).read_text()\n"
            ),
            "tax/_rules.py": "import datetime as dt\nEPOCH = dt.date(2026, 1, 1)\n",
            "book/_session.py": "import datetime as dt\nNOW = dt.datetime.now()\n",  # shell
        },
    )
    found = core_io(modules, {"o2c.tax._table": IO_ALLOWED["o2c.tax._table"]})
    assert _names(found) == {
        "o2c.ledger.aging",
        "o2c.billing.clock",
        "o2c.kpi",
        "o2c.ledger.journal",
        "o2c.pricing._toml",
        "o2c.tax._net",
        "o2c.cases._ids",
        "o2c.dunning",
    }
    planted = _plant(tmp_path / "more", {"tax/_table.py": "def f(p):\n    return open(p)\n"})
    assert _names(core_io(planted)) == {"o2c.tax._table"}


def test_module_over_800_lines_is_caught(tmp_path: Path) -> None:
    modules = _plant(
        tmp_path,
        {"book/_big.py": "x = 1\n" * 801, "book/_fits.py": "x = 1\n" * 800},
    )
    assert _names(long_modules(modules)) == {"o2c.book._big"}
