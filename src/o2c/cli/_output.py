"""Render command results as a table, JSON or CSV.

Every command hands its result to :func:`emit`; the global ``--format`` decides the form:

* ``table``: fixed-width columns for people (amounts right-aligned, ``12.50 USD``);
* ``json``: stable (sorted) keys, amounts as strings, Money as
  ``{"amount": "12.50", "currency": "USD"}`` (:mod:`o2c.io`);
* ``csv``: a header and one row per record, nested values as dotted columns
  (``total.amount``), cells neutralized against spreadsheet formulas.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, TypeVar

import click

from o2c.io import flatten, to_json, to_plain, write_csv

__all__ = ["OutputFormat", "emit", "force_option", "format_table", "render", "write_file"]

F = TypeVar("F", bound=Callable[..., Any])

#: Cells longer than this are cut in tables (JSON and CSV always carry everything).
_MAX_CELL: Final = 60


class OutputFormat(enum.Enum):
    """How a command prints its result."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"


def _is_money(value: object) -> bool:
    return isinstance(value, Mapping) and set(value) == {"amount", "currency"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if _is_money(value):
        assert isinstance(value, Mapping)
        return f"{value['amount']} {value['currency']}"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_cell(v)}" for k, v in value.items())
    if isinstance(value, list):
        return ", ".join(_cell(v) for v in value)
    return str(value)


def _numeric(text: str) -> bool:
    head = text.split(" ", 1)[0]
    try:
        Decimal(head)
    except InvalidOperation:
        return False
    return bool(head) and (head[0].isdigit() or head[0] == "-")


def _cut(text: str) -> str:
    text = text.replace("\n", " ")
    return text if len(text) <= _MAX_CELL else text[: _MAX_CELL - 1] + "…"


def format_table(rows: Sequence[Mapping[str, object]], columns: Sequence[str]) -> str:
    """Return ``rows`` as a fixed-width text table with a header line.

    Amounts and numbers are right-aligned; other cells left-aligned.

    Example:
        >>> print(format_table([{"id": "C1", "balance": "5.00 USD"}], ["id", "balance"]))
        id  balance
        --  --------
        C1  5.00 USD
    """
    cells = [[_cut(_cell(row.get(c))) for c in columns] for row in rows]
    widths = [max([len(c), *(len(r[i]) for r in cells)]) for i, c in enumerate(columns)]
    numeric = [
        bool(cells) and all(_numeric(r[i]) or not r[i] for r in cells) for i in range(len(columns))
    ]
    lines = [
        "  ".join(c.ljust(w) for c, w in zip(columns, widths, strict=True)).rstrip(),
        "  ".join("-" * w for w in widths),
    ]
    for row in cells:
        parts = [
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(row, widths, numeric, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def _columns(rows: Sequence[Mapping[str, object]], columns: Sequence[str] | None) -> list[str]:
    if columns:
        return list(columns)
    seen: dict[str, None] = {}
    for row in rows:
        seen.update(dict.fromkeys(row))
    return list(seen)


def _records(plain: object) -> list[Mapping[str, object]]:
    if isinstance(plain, list):
        return [r if isinstance(r, Mapping) else {"value": r} for r in plain]
    if isinstance(plain, Mapping):
        return [plain]
    return [{"value": plain}]


def _format_record(record: Mapping[str, object], columns: Sequence[str] | None) -> str:
    keys = list(columns) if columns else list(record)
    scalars = [
        k for k in keys if not (isinstance(record.get(k), list) and _is_table(record.get(k)))
    ]
    width = max((len(k) for k in scalars), default=0)
    lines = [f"{k.ljust(width)}  {_cut(_cell(record.get(k)))}".rstrip() for k in scalars]
    for key in keys:
        value = record.get(key)
        if isinstance(value, list) and _is_table(value):
            rows = [r for r in value if isinstance(r, Mapping)]
            lines += ["", f"{key}:", format_table(rows, _columns(rows, None))]
    return "\n".join(lines)


def _is_table(value: object) -> bool:
    return (
        isinstance(value, list)
        and bool(value)
        and all(isinstance(v, Mapping) and not _is_money(v) for v in value)
    )


def render(
    data: object,
    output: OutputFormat,
    *,
    columns: Sequence[str] | None = None,
) -> str:
    """Return ``data`` rendered in ``output`` form.

    Args:
        data: A record (attrs value or mapping) or a sequence of records.
        output: Table, JSON or CSV.
        columns: The fields to show, in order (tables and CSV); all fields by default.
            JSON always carries every field.
    """
    plain = to_plain(data)
    if output is OutputFormat.JSON:
        return to_json(plain)
    if output is OutputFormat.CSV:
        flat = [flatten(r) for r in _records(plain)]
        return write_csv(flat, _columns(flat, _expand(columns, flat))).rstrip("\n")
    if isinstance(plain, Mapping):
        return _format_record(plain, columns)
    records = _records(plain)
    if not records:
        return "(none)"
    return format_table(records, _columns(records, columns))


def _expand(
    columns: Sequence[str] | None, flat: Sequence[Mapping[str, object]]
) -> list[str] | None:
    # A column that holds Money in a table ("total") is two CSV columns
    # ("total.amount", "total.currency").
    if not columns:
        return None
    keys = _columns(flat, None)
    expanded: list[str] = []
    for column in columns:
        nested = [k for k in keys if k.startswith(column + ".")]
        expanded.extend(nested or [column])
    return expanded


def emit(
    data: object,
    output: OutputFormat,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
) -> None:
    """Print ``data`` to stdout in ``output`` form (a title only above tables)."""
    if title and output is OutputFormat.TABLE:
        click.echo(click.style(title, bold=True))
    click.echo(render(data, output, columns=columns))


def force_option(function: F) -> F:
    """Add ``--force``: let ``--output`` replace a file that exists."""
    return click.option("--force", is_flag=True, help="Replace the --output file if it exists.")(
        function
    )


def write_file(path: Path, text: str, *, force: bool) -> None:
    """Write ``text`` to ``path`` for ``--output``, refusing what would lose or fail.

    Raises:
        click.ClickException: ``path`` exists and ``force`` is not set, its folder does not
            exist, or it cannot be written (the message names the path).
    """
    if path.exists() and not force:
        raise click.ClickException(f"{path} exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise click.ClickException(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
