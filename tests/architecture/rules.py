"""Architecture rules as pure functions of a module's name and source text.

Each ``find_*`` function takes one :class:`Module` and returns every breach it finds as
:class:`Finding` values (all of them, so a reviewer sees every problem at once).
:func:`scan` reads a source tree into modules; the tests run the rules over ``src/o2c`` and,
to show each rule bites, over small trees with planted violations written to ``tmp_path``.
"""

from __future__ import annotations

import ast
import functools
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Final

#: The shell: every other top-level module or package of ``o2c`` is the functional core.
SHELL: Final = frozenset({"book", "store", "cli", "io"})

#: The core's dependency order, lowest first. A core package may import only packages of
#: EARLIER layers; packages in one layer are peers and do not import each other. Derived
#: from the imports of today's code (``billing`` posts through ``ledger``, so ``ledger``
#: comes first and must never import ``billing``).
CORE_ORDER: Final[tuple[frozenset[str], ...]] = (
    frozenset({"errors", "ids", "audit"}),  # the foundation: imports nothing from o2c
    frozenset({"money"}),
    frozenset({"calendar"}),
    frozenset({"tax"}),
    frozenset({"pricing"}),
    frozenset({"parties"}),  # customers and their tax registrations
    frozenset({"contracts"}),  # versions price through rate cards
    frozenset({"ledger"}),  # journal, open items, aging, payments
    frozenset({"billing"}),  # documents, bill runs; posts to the ledger
    frozenset({"cases", "dunning", "kpi"}),  # work on documents and receivables
    frozenset({"credit"}),  # collections over cases and dunning: promises, worklist
    frozenset({"revrec"}),  # revenue recognition: rules and schedules over money, calendar
    frozenset({"servicedesk"}),  # the billing service desk: inquiries, SLAs, CSAT over cases
    frozenset({"fx"}),  # multi-currency valuation: rates, conversion, functional values
)

#: The longest a module may be (STYLE.md: no god modules).
MAX_LINES: Final = 800


@dataclass(frozen=True)
class Module:
    """One Python module of the tree: its dotted name and its source text."""

    name: str
    source: str
    is_package: bool = False

    @property
    def package(self) -> str:
        """The top-level package the module belongs to (``o2c.book`` for ``o2c.book._x``)."""
        return ".".join(self.name.split(".")[:2])

    @property
    def tree(self) -> ast.Module:
        """The parsed module."""
        return _parse(self.source)


@dataclass(frozen=True)
class Finding:
    """One breach of a rule: where it is and what it is."""

    module: str
    line: int
    what: str

    def __str__(self) -> str:
        return f"{self.module}:{self.line}: {self.what}"


@functools.cache
def _parse(source: str) -> ast.Module:
    return ast.parse(source)


def scan(root: Path) -> list[Module]:
    """Read every module of the package at ``root`` (a directory such as ``src/o2c``)."""
    modules = []
    for path in sorted(root.rglob("*.py")):
        parts = (root.name, *path.relative_to(root).with_suffix("").parts)
        is_package = parts[-1] == "__init__"
        if is_package:
            parts = parts[:-1]
        modules.append(Module(".".join(parts), path.read_text(encoding="utf-8"), is_package))
    return modules


def is_core(name: str) -> bool:
    """Whether the module ``name`` (``o2c.ledger.journal``) is in the functional core."""
    parts = name.split(".")
    return len(parts) > 1 and parts[1] not in SHELL


def _private(part: str) -> bool:
    return part.startswith("_") and not (part.startswith("__") and part.endswith("__"))


# --- imports ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Import:
    """One imported module (absolute) and the names taken from it."""

    line: int
    module: str
    names: tuple[str, ...] = ()


def imports(module: Module) -> Iterator[Import]:
    """Every import of ``module``, relative ones resolved, at any depth (also in functions
    and ``if TYPE_CHECKING:`` blocks: a deferred import is still a dependency)."""
    here = module.name.split(".")
    base = here if module.is_package else here[:-1]
    for node in ast.walk(module.tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield Import(node.lineno, alias.name)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                parent = base[: len(base) - (node.level - 1)]
                target = ".".join([*parent, *([node.module] if node.module else [])])
            else:
                target = node.module or ""
            yield Import(node.lineno, target, tuple(alias.name for alias in node.names))


def find_private_imports(module: Module) -> list[Finding]:
    """Imports of another package's private modules or names.

    ``o2c.cli`` may use ``o2c.book`` but not ``o2c.book._billing`` nor ``o2c.book._parse``;
    inside one package (``o2c.book._tables`` from ``o2c.book._payments``) private
    modules are that package's own business.
    """
    found = []
    for imp in imports(module):
        parts = imp.module.split(".")
        if parts[0] != "o2c":
            continue
        if len(parts) == 1:
            # ``from o2c import money``: the names are the submodules.
            targets: list[tuple[str, tuple[str, ...]]] = [("o2c." + name, ()) for name in imp.names]
        else:
            targets = [(imp.module, imp.names)]
        for target, names in targets:
            package = ".".join(target.split(".")[:2])
            if package == module.package:
                continue
            hidden = [p for p in target.split(".")[1:] if _private(p)]
            hidden += [n for n in names if _private(n)]
            if hidden:
                shown = target + (f" ({', '.join(names)})" if names else "")
                found.append(Finding(module.name, imp.line, f"imports private {shown}"))
    return found


def _layer(top: str, order: Sequence[frozenset[str]]) -> int | None:
    for index, layer in enumerate(order):
        if top in layer:
            return index
    return None


def find_order_breaches(
    module: Module, order: Sequence[frozenset[str]] = CORE_ORDER
) -> list[Finding]:
    """Imports of a core module that go against the core's declared dependency ``order``."""
    if not is_core(module.name):
        return []
    top = module.name.split(".")[1]
    mine = _layer(top, order)
    if mine is None:
        return [Finding(module.name, 1, f"core package {top!r} is not in CORE_ORDER")]
    found = []
    for imp in imports(module):
        parts = imp.module.split(".")
        if parts[0] != "o2c":
            continue
        targets = [parts[1]] if len(parts) > 1 else list(imp.names)
        for target in targets:
            if target == top or target in SHELL:
                continue  # the shell is test_imports_point_inwards' business
            theirs = _layer(target, order)
            if theirs is None or theirs >= mine:
                why = "a peer" if theirs == mine else "later in CORE_ORDER"
                if theirs is None:
                    why = "not in CORE_ORDER"
                found.append(Finding(module.name, imp.line, f"{top} imports {target} ({why})"))
    return found


# --- SQL ----------------------------------------------------------------------------------

_IDENT = r"[\"`\[]?[\w{]"
#: What a statement or a clause of SQL looks like, in the house style: keywords in upper
#: case (prose has "Select the invoices from..." but never "SELECT ... FROM").
_SQL_UPPER: Final = tuple(
    re.compile(pattern, re.S)
    for pattern in (
        rf"^\s*SELECT\s+(DISTINCT\s+)?\S.*?\sFROM\s+{_IDENT}",
        r"^\s*SELECT\s+(\d|\*|\{|[A-Z_]+\(|EXISTS\b|\w+\s*$)",
        rf"^\s*INSERT\s+(OR\s+[A-Z]+\s+)?INTO\s+{_IDENT}",
        rf"^\s*(REPLACE|UPSERT)\s+INTO\s+{_IDENT}",
        rf"^\s*UPDATE\s+{_IDENT}[\w.\"{{}}]*\s+SET\s+\w+\s*=",
        rf"^\s*DELETE\s+FROM\s+{_IDENT}",
        r"^\s*WITH\s+(RECURSIVE\s+)?\w+(\s*\([\w\s,]*\))?\s+AS\s*\(",
        r"^\s*(CREATE|ALTER|DROP)\s+(UNIQUE\s+|TEMP(ORARY)?\s+)?"
        r"(TABLE|INDEX|VIEW|TRIGGER|SCHEMA|SEQUENCE)\b",
        r"^\s*PRAGMA\s+\w+",
        r"^\s*(BEGIN|COMMIT|ROLLBACK|SAVEPOINT|RELEASE)(\s+\w+)?\s*;?\s*$",
        r"^\s*(WHERE|AND|OR|ON|HAVING)\s+\(?[\w.]+\s*"
        r"(=|<>|!=|<=|>=|<|>|\bIN\b|\bIS\b|\bLIKE\b|\bBETWEEN\b)",
        r"^\s*(ORDER|GROUP)\s+BY\s+[\w.]+",
        r"^\s*((LEFT|INNER|CROSS)\s+)?JOIN\s+\w+\s+(\w+\s+)?ON\s",
    )
)
#: SQL in lower case, only in shapes prose does not take (a column list with ``,*(``,
#: ``(columns)`` or ``values`` after the table, ``set column =``).
_SQL_LOWER: Final = tuple(
    re.compile(pattern, re.S)
    for pattern in (
        rf"^\s*select\s+(distinct\s+)?[^\s]*[,*({{][^;]*?\sfrom\s+{_IDENT}",
        rf"^\s*insert\s+(or\s+[a-z]+\s+)?into\s+{_IDENT}[\w.\"{{}}]*\s*(\(|values\b|select\b)",
        rf"^\s*update\s+{_IDENT}[\w.\"{{}}]*\s+set\s+\w+\s*=",
        rf"^\s*delete\s+from\s+{_IDENT}[\w.\"{{}}]*\s*(where\b|;|$)",
        r"^\s*(create|alter|drop)\s+(unique\s+)?(table|index|view|trigger|schema)\s+"
        r"(if\s+(not\s+)?exists\s+)?[\w\"{]",
    )
)


def looks_like_sql(text: str) -> bool:
    """Whether ``text`` is (a piece of) an SQL statement rather than prose."""
    return any(pattern.search(text) for pattern in (*_SQL_UPPER, *_SQL_LOWER))


_RE_FUNCTIONS: Final = frozenset(
    {"compile", "match", "fullmatch", "search", "findall", "finditer", "sub", "subn", "split"}
)


def _not_sql(tree: ast.Module) -> set[int]:
    """The ``id`` of strings that are never sent to a database.

    Bare string statements (docstrings) and regular expressions given to ``re`` (a
    pattern that reads a migration's ``CREATE TABLE`` is about SQL, not SQL).
    """
    skip = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant):
            skip.add(id(node.value))
        elif (
            isinstance(node, ast.Call)
            and _dotted(node.func) in {f"re.{name}" for name in _RE_FUNCTIONS}
            and node.args
        ):
            skip.add(id(node.args[0]))
    return skip


def _text(node: ast.expr) -> str | None:
    """The text of a string expression, with ``{}`` for each value put into it.

    Handles constants, f-strings and ``+`` concatenations with at least one string in
    them (``"SELECT * FROM " + name``); other expressions have no text.
    """
    if isinstance(node, ast.Constant):
        return node.value if isinstance(node.value, str) else None
    if isinstance(node, ast.JoinedStr):
        return "".join(
            str(part.value) if isinstance(part, ast.Constant) else "{}" for part in node.values
        )
    if isinstance(node, ast.BinOp) and isinstance(node.op, ast.Add):
        left, right = _text(node.left), _text(node.right)
        if left is None and right is None:
            return None
        return (left if left is not None else "{}") + (right if right is not None else "{}")
    return None


def find_sql(module: Module) -> list[Finding]:
    """Every string in ``module`` that looks like SQL (docstrings aside)."""
    skip = _not_sql(module.tree)
    seen: set[int] = set()
    found = []
    for node in ast.walk(module.tree):
        if not isinstance(node, ast.expr) or id(node) in skip:
            continue
        text = _text(node)
        if text is None or node.lineno in seen or not looks_like_sql(text):
            continue
        seen.add(node.lineno)
        found.append(Finding(module.name, node.lineno, " ".join(text.split())[:72]))
    return found


# --- I/O ----------------------------------------------------------------------------------

#: Methods that read the clock, whatever object they are called on (``dt.date.today``).
_CLOCK_ATTRS: Final = frozenset({"now", "today", "utcnow"})
_TIME_CLOCK: Final = frozenset(
    {
        "time",
        "time_ns",
        "monotonic",
        "monotonic_ns",
        "perf_counter",
        "perf_counter_ns",
        "process_time",
        "localtime",
        "gmtime",
        "ctime",
        "asctime",
        "sleep",
    }
)
#: Methods of ``pathlib.Path`` (and file objects) that touch the file system.
_FILE_ATTRS: Final = frozenset(
    {
        "open",
        "read_text",
        "read_bytes",
        "write_text",
        "write_bytes",
        "iterdir",
        "glob",
        "rglob",
        "mkdir",
        "unlink",
        "rmdir",
        "touch",
        "rename",
        "stat",
        "lstat",
        "exists",
        "is_file",
        "is_dir",
    }
)
_OS_ATTRS: Final = frozenset(
    {
        "environ",
        "getenv",
        "putenv",
        "listdir",
        "scandir",
        "walk",
        "remove",
        "unlink",
        "rename",
        "replace",
        "mkdir",
        "makedirs",
        "stat",
        "open",
        "urandom",
        "getcwd",
        "system",
    }
)
_OS_PATH_ATTRS: Final = frozenset(
    {"exists", "isfile", "isdir", "getsize", "getmtime", "getctime", "getatime"}
)
_BUILTINS: Final = {"open": "file", "input": "console", "print": "console"}
#: Modules whose import alone means I/O or randomness.
_IO_MODULES: Final = {
    "socket": "network",
    "ssl": "network",
    "http": "network",
    "urllib": "network",
    "requests": "network",
    "httpx": "network",
    "aiohttp": "network",
    "ftplib": "network",
    "smtplib": "network",
    "imaplib": "network",
    "poplib": "network",
    "xmlrpc": "network",
    "websockets": "network",
    "shutil": "file",
    "tempfile": "file",
    "glob": "file",
    "fileinput": "file",
    "mmap": "file",
    "pkgutil": "file",
    "importlib.resources": "file",
    "random": "randomness",
    "secrets": "randomness",
}


def _dotted(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        head = _dotted(node.value)
        return None if head is None else f"{head}.{node.attr}"
    return None


def _io_module(name: str) -> str | None:
    for prefix in _IO_MODULES:
        if name == prefix or name.startswith(prefix + "."):
            return prefix
    return None


def _io_attribute(node: ast.Attribute, called: bool) -> str | None:
    dotted = _dotted(node) or ""
    head = dotted.rsplit(".", 1)[0] if "." in dotted else ""
    if node.attr in _CLOCK_ATTRS:
        return f"clock: .{node.attr}()"
    if head == "time" and node.attr in _TIME_CLOCK:
        return f"clock: time.{node.attr}()"
    if head == "uuid" and node.attr in {"uuid1", "uuid4"}:
        return f"randomness: uuid.{node.attr}()"
    if head == "os" and node.attr in _OS_ATTRS:
        return f"file: os.{node.attr}"
    if head == "os.path" and node.attr in _OS_PATH_ATTRS:
        return f"file: os.path.{node.attr}()"
    if head == "sys" and node.attr in {"stdin", "stdout", "stderr", "argv"}:
        return f"console: sys.{node.attr}"
    if head.startswith("importlib.resources") or dotted.startswith("importlib.resources"):
        return "file: importlib.resources"
    if called and node.attr in _FILE_ATTRS:
        return f"file: .{node.attr}()"
    return None


def _import_io(node: ast.Import | ast.ImportFrom) -> Iterator[str]:
    if isinstance(node, ast.Import):
        for alias in node.names:
            prefix = _io_module(alias.name)
            if prefix:
                yield f"{_IO_MODULES[prefix]}: {prefix}"
        return
    if not node.module or node.level:
        return
    for alias in node.names:
        prefix = _io_module(f"{node.module}.{alias.name}") or _io_module(node.module)
        if prefix:
            yield f"{_IO_MODULES[prefix]}: {prefix}"
        elif node.module == "time" and alias.name in _TIME_CLOCK:
            yield f"clock: time.{alias.name}()"
        elif node.module == "uuid" and alias.name in {"uuid1", "uuid4"}:
            yield f"randomness: uuid.{alias.name}()"
        elif node.module == "os" and alias.name in _OS_ATTRS:
            yield f"file: os.{alias.name}"


def find_io(module: Module) -> list[Finding]:
    """Clock reads, file, console and network I/O and randomness in ``module``."""
    tree = module.tree
    called = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    found: set[tuple[int, str]] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import | ast.ImportFrom):
            found.update((node.lineno, what) for what in _import_io(node))
        elif isinstance(node, ast.Attribute) and isinstance(node.ctx, ast.Load):
            what = _io_attribute(node, id(node) in called)
            if what:
                found.add((node.lineno, what))
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
            kind = _BUILTINS.get(node.func.id)
            if kind:
                found.add((node.lineno, f"{kind}: {node.func.id}()"))
    return [Finding(module.name, line, what) for line, what in sorted(found)]


# --- size ---------------------------------------------------------------------------------


def find_long(module: Module, limit: int = MAX_LINES) -> list[Finding]:
    """The module itself, if it has more than ``limit`` lines."""
    lines = len(module.source.splitlines())
    if lines <= limit:
        return []
    return [Finding(module.name, lines, f"{lines} lines (at most {limit})")]


# --- allow-lists --------------------------------------------------------------------------


def by_module(findings: Sequence[Finding]) -> dict[str, list[Finding]]:
    """The findings grouped by module name."""
    grouped: dict[str, list[Finding]] = {}
    for finding in findings:
        grouped.setdefault(finding.module, []).append(finding)
    return grouped


def stale_entries(
    allowed: Mapping[str, object] | frozenset[str], modules: Sequence[Module]
) -> list[str]:
    """Allow-list entries that name no module of the tree (renamed or deleted)."""
    names = {m.name for m in modules}
    return sorted(name for name in allowed if name not in names)
