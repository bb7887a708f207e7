"""Render command results as a table, JSON or CSV.

Every command hands its result to :func:`emit`; the global ``--format`` decides the form:

* ``table``: fixed-width columns for people (amounts right-aligned, ``12.50 USD``);
* ``json``: stable (sorted) keys, amounts as strings, Money as
  ``{"amount": "12.50", "currency": "USD"}`` (:mod:`o2c.io`);
* ``csv``: a header (also when there are no rows, where the command names its
  columns) and one row per record, nested values as dotted columns (``total.amount``,
  ``total.currency``: amounts in major units), cells neutralized against spreadsheet
  formulas; ``--bom`` starts it with a UTF-8 byte order mark for Excel on Windows;
* ``xlsx``: an Excel workbook with typed cells (:mod:`o2c.io._xlsx`), only to a file
  (``-o FILE``): amounts are numbers in their currency's format beside a currency
  column, dates are dates. Each table a command prints is a sheet.

``-o FILE`` writes any form to a file instead of stdout (``--force`` replaces it).
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any, Final, TypeVar, cast

import attrs
import click

from o2c.cli._i18n import gettext
from o2c.money import Currency, Money

__all__ = [
    "BOM",
    "OutputFormat",
    "emit",
    "force_option",
    "format_table",
    "render",
    "stream",
    "typed_records",
    "write_file",
    "xlsx_sheet",
]

F = TypeVar("F", bound=Callable[..., Any])

#: Cells longer than this are cut in tables (JSON and CSV always carry everything).
_MAX_CELL: Final = 60
#: The UTF-8 byte order mark that makes Excel on Windows read a CSV as UTF-8 ("México").
BOM: Final = "\ufeff"


class OutputFormat(enum.Enum):
    """How a command prints its result."""

    TABLE = "table"
    JSON = "json"
    CSV = "csv"
    XLSX = "xlsx"


def _is_money(value: object) -> bool:
    return isinstance(value, Mapping) and set(value) == {"amount", "currency"}


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return gettext("yes") if value else gettext("no")
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

    Amounts and numbers are right-aligned; other cells left-aligned. The heading names
    the columns in the user's language (:mod:`o2c.cli._i18n`); JSON and CSV keep the
    field names.

    Example:
        >>> print(format_table([{"id": "C1", "balance": "5.00 USD"}], ["id", "balance"]))
        id  balance
        --  --------
        C1  5.00 USD
    """
    cells = [[_cut(_cell(row.get(c))) for c in columns] for row in rows]
    headings = [gettext(c) for c in columns]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headings)]
    numeric = [
        bool(cells) and all(_numeric(r[i]) or not r[i] for r in cells) for i in range(len(columns))
    ]
    lines = [
        "  ".join(h.ljust(w) for h, w in zip(headings, widths, strict=True)).rstrip(),
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
    labels = {k: gettext(k) for k in scalars}
    width = max((len(v) for v in labels.values()), default=0)
    lines = [f"{labels[k].ljust(width)}  {_cut(_cell(record.get(k)))}".rstrip() for k in scalars]
    for key in keys:
        value = record.get(key)
        if isinstance(value, list) and _is_table(value):
            rows = [r for r in value if isinstance(r, Mapping)]
            lines += ["", f"{gettext(key)}:", format_table(rows, _columns(rows, None))]
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
    money: Collection[str] = (),
) -> str:
    """Return ``data`` rendered in ``output`` form.

    Args:
        data: A record (attrs value or mapping) or a sequence of records.
        output: Table, JSON or CSV.
        columns: The fields to show, in order (tables and CSV); all fields by default.
            JSON always carries every field.
        money: Which of ``columns`` hold amounts, so that an empty CSV still has their
            ``.amount`` and ``.currency`` columns in its header.
    """
    # o2c.io loads cattrs and the calendar: imported when output is rendered, so that
    # ``o2c --version`` and ``o2c --help`` do without it.
    from o2c.io import flatten, to_json, to_plain, write_csv

    plain = to_plain(data)
    if output is OutputFormat.JSON:
        return to_json(plain)
    if output in (OutputFormat.CSV, OutputFormat.XLSX):
        # XLSX is binary (the CLI context writes the workbook); as text it is its CSV.
        flat = [flatten(r) for r in _records(plain)]
        return write_csv(flat, _csv_columns(flat, _expand(columns, flat, money))).rstrip("\n")
    if isinstance(plain, Mapping):
        return _format_record(plain, columns)
    records = _records(plain)
    if not records:
        return gettext("(none)")
    return format_table(records, _columns(records, columns))


def _csv_columns(flat: Sequence[Mapping[str, object]], columns: Sequence[str] | None) -> list[str]:
    # A field that is empty on some rows and Money on others ("amount" of a statement's
    # opening line) would be a column "amount" beside "amount.amount": keep the dotted ones.
    found = _columns(flat, columns)
    return [
        c
        for c in found
        if not (any(k.startswith(c + ".") for k in found) and all(r.get(c) is None for r in flat))
    ]


def _expand(
    columns: Sequence[str] | None,
    flat: Sequence[Mapping[str, object]],
    money: Collection[str] = (),
) -> list[str] | None:
    # A column that holds Money in a table ("total") is two CSV columns
    # ("total.amount", "total.currency").
    if not columns:
        return None
    keys = _columns(flat, None)
    expanded: list[str] = []
    for column in columns:
        nested = [k for k in keys if k.startswith(column + ".")]
        if not nested and not flat and column in money:
            nested = [f"{column}.amount", f"{column}.currency"]
        expanded.extend(nested or [column])
    return expanded


def emit(
    data: object,
    output: OutputFormat,
    *,
    columns: Sequence[str] | None = None,
    title: str | None = None,
    bom: bool = False,
    money: Collection[str] = (),
) -> None:
    """Print ``data`` to stdout in ``output`` form (a title only above tables).

    ``bom`` starts CSV with a UTF-8 byte order mark; ``money`` as for :func:`render`.
    """
    if title and output is OutputFormat.TABLE:
        click.echo(click.style(title, bold=True))
    text = render(data, output, columns=columns, money=money)
    click.echo(BOM + text if bom and output is OutputFormat.CSV else text)


def _batches(records: Iterable[object], size: int) -> Iterator[list[object]]:
    batch: list[object] = []
    for record in records:
        batch.append(record)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def stream(
    records: Iterable[object],
    output: OutputFormat,
    *,
    columns: Sequence[str] | None = None,
    bom: bool = False,
    money: Collection[str] = (),
    page: int = 500,
) -> None:
    """Print ``records`` as CSV or JSON to stdout ``page`` records at a time.

    The text is the same as :func:`emit` prints for the whole list, but only one page of
    records is in memory, so a list of 100,000 documents streams out. The CSV columns are
    fixed by the first page (every row of a list has the same fields).

    Raises:
        ValueError: ``output`` is neither CSV nor JSON (tables need every row's width).
    """
    from o2c.io import flatten, to_json, to_plain, write_csv

    if output is OutputFormat.JSON:
        first = True
        for batch in _batches(records, page):
            for record in batch:
                body = "\n".join("  " + line for line in to_json(record).splitlines())
                click.echo(("[\n" if first else ",\n") + body, nl=False)
                first = False
        click.echo("[]" if first else "\n]")
        return
    if output is not OutputFormat.CSV:
        raise ValueError(f"cannot stream {output.value}; only csv and json")
    fields: list[str] | None = None
    for batch in _batches(records, page):
        flat = [flatten(r) for r in _records(to_plain(batch))]
        if fields is None:
            fields = _csv_columns(flat, _expand(columns, flat, money))
            text = (BOM if bom else "") + write_csv(flat, fields)
        else:
            text = write_csv(flat, fields).split("\n", 1)[1]
        click.echo(text, nl=False)
    if fields is None:
        emit([], output, columns=columns, bom=bom, money=money)


# -- typed cells for XLSX -------------------------------------------------------------------


def _typed(value: object) -> object:
    """``value`` with amounts, numbers and dates kept as they are, the rest made plain."""
    from o2c.io import to_plain

    if value is None or isinstance(value, str | bool | int | Decimal | dt.date | Money):
        return value
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, Currency):
        return value.code
    if isinstance(value, Mapping):
        return {str(k): _typed(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_typed(v) for v in value]
    if attrs.has(type(value)):
        plain = to_plain(value)
        if not isinstance(plain, Mapping):
            return plain
        fields = attrs.fields(cast("type[attrs.AttrsInstance]", type(value)))
        return {f.name: _typed(getattr(value, f.name)) for f in fields}
    return to_plain(value)


def _flat_typed(record: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    from o2c.io import to_plain

    flat: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(_flat_typed(value, f"{name}."))
        elif isinstance(value, list):
            flat[name] = "; ".join(_cell(to_plain(v)) for v in value)
        else:
            flat[name] = value
    return flat


def typed_records(data: object) -> list[dict[str, object]]:
    """``data`` (a record or records) as flat rows of typed cells, for XLSX.

    Amounts stay :class:`~o2c.money.Money` (a number in its currency's format) and a
    ``currency`` column is added when the rows have none; dates stay dates.
    """
    typed = _typed(data)
    items = typed if isinstance(typed, list) else [typed]
    rows = [_flat_typed(r) if isinstance(r, Mapping) else {"value": r} for r in items]
    for row in rows:
        if "currency" not in row:
            codes = sorted({v.currency.code for v in row.values() if isinstance(v, Money)})
            if codes:
                row["currency"] = "; ".join(codes)
    return rows


def xlsx_sheet(
    data: object, columns: Sequence[str] | None, title: str | None, money: Collection[str] = ()
) -> tuple[str, list[str], list[list[object]]]:
    """One XLSX sheet of ``data``: ``(title, columns, rows)`` of typed cells."""
    rows = typed_records(data)
    names = _columns(rows, _expand(columns, rows))
    has_money = any("currency" in r for r in rows) or (not rows and bool(money))
    if columns and "currency" not in names and has_money:
        names.append("currency")
    return (title or "o2c", names, [[r.get(c) for c in names] for r in rows])


def force_option(function: F) -> F:
    """Add ``--force``: let ``--output`` replace a file that exists."""
    return click.option("--force", is_flag=True, help="Replace the --output file if it exists.")(
        function
    )


def write_file(path: Path, text: str | bytes, *, force: bool, append: bool = False) -> None:
    """Write ``text`` (or bytes) to ``path`` for ``--output``, refusing what would lose or fail.

    Args:
        append: Add to a file this command wrote already (a second table).

    Raises:
        click.ClickException: ``path`` exists and ``force`` is not set, its folder does not
            exist, or it cannot be written (the message names the path).
    """
    if path.exists() and not force and not append:
        raise click.ClickException(f"{path} exists; pass --force to replace it")
    if not path.parent.is_dir():
        raise click.ClickException(f"cannot write {path}: folder {path.parent} does not exist")
    try:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            with path.open("a" if append else "w", encoding="utf-8", newline="") as out:
                out.write(text)
    except OSError as exc:
        raise click.ClickException(f"cannot write {path}: {exc.strerror or exc}") from None
