"""The layout shows the architecture: imports only point inwards (STYLE.md).

core (money, calendar, parties, contracts, pricing, tax, billing, ledger, cases, kpi, audit)
<- store <- book <- cli; ``io`` serves book and cli. The core does no I/O, so it imports
no database driver, no click and no clock-reading shell module.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

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
