"""Read usage and time-entry CSV files, validating every row and reporting every problem.

Usage CSV columns (header required, any order, extra columns become properties)::

    id,customer,item,quantity,timestamp
    u-1,C-MX-1,api_calls,1250,2026-10-31T23:30:00-06:00

Timestamps must carry an offset (``Z``, ``+00:00``, ``-06:00``): usage is bucketed into
the customer's local billing period, and a timestamp without one could land in the wrong
month (DESIGN.md, lesson 5).

Time CSV columns (``billable`` and ``approved`` optional: ``true``/``false``, default
billable and not approved)::

    id,person,role,date,hours,billable,approved
    t-1,ana,senior,2026-10-05,7.5,true,true

Cells may be separated by commas or semicolons (what Excel writes in locales whose
decimal mark is a comma) or tabs: :func:`detect_delimiter` reads it off the header line.
A UTF-8 byte order mark (Excel's "CSV UTF-8") is skipped. :func:`read_rows` also reads
the first sheet of an XLSX workbook.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable, Sequence
from typing import Final, TypeVar

from o2c.errors import O2CError, ValidationError
from o2c.money import parse_decimal
from o2c.pricing import TimeEntry, UsageRecord

__all__ = [
    "MAX_IMPORT_BYTES",
    "FileProblems",
    "decode_text",
    "detect_delimiter",
    "read_file",
    "read_rows",
    "read_time_csv",
    "read_usage_csv",
]

#: Larger files are refused before parsing (split them).
MAX_IMPORT_BYTES: Final = 64 * 1024 * 1024
#: At most this many problems are listed in a message; the count is always exact.
_SHOWN: Final = 20

T = TypeVar("T")

_USAGE_COLUMNS: Final = ("id", "customer", "item", "quantity", "timestamp")
_TIME_COLUMNS: Final = ("id", "person", "role", "date", "hours")
_BOOLEANS: Final = {"true": True, "yes": True, "1": True, "false": False, "no": False, "0": False}
_DELIMITERS: Final = (",", ";", "\t")
#: XLSX files are ZIP archives.
_ZIP_MAGIC: Final = b"PK\x03\x04"


class FileProblems(ValidationError):
    """An import file has problems; :attr:`problems` lists every one of them.

    Nothing of the file is imported when it has any problem, so fixing the file and
    importing it again is always safe.

    Attributes:
        source: The file name.
        problems: One line per problem, ``"line 3: quantity: expected ..."``.
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        shown = "\n".join(f"  {p}" for p in self.problems[:_SHOWN])
        more = len(self.problems) - _SHOWN
        if more > 0:
            shown += f"\n  ... and {more} more"
        count = len(self.problems)
        noun = "problem" if count == 1 else "problems"
        super().__init__(
            "file",
            source,
            "a valid file",
            message=f"{source}: {count} {noun}; nothing was imported\n{shown}",
        )


def detect_delimiter(text: str) -> str:
    """The cell separator of CSV ``text``: ``,``, ``;`` or a tab, read off its header line.

    The separator that occurs most often outside quotes in the first line wins; a comma
    when there is none (a one-column file).

    Example:
        >>> detect_delimiter("id;name;city\\nC1;Acme, Inc.;Monterrey\\n")
        ';'
        >>> detect_delimiter('id,"name;x"\\n')
        ','
    """
    header = text.lstrip("\ufeff").split("\n", 1)[0]
    counts = dict.fromkeys(_DELIMITERS, 0)
    quoted = False
    for char in header:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in counts:
            counts[char] += 1
    best = max(_DELIMITERS, key=lambda d: counts[d])
    return best if counts[best] else ","


def _header_problem(
    source: str, header: Sequence[str], required: Sequence[str], known: Sequence[str] | None
) -> FileProblems | None:
    missing = [c for c in required if c not in header]
    unknown = [c for c in header if known is not None and c and c not in known]
    problems = []
    if not [c for c in header if c] or missing:
        found = ", ".join(c for c in header if c) or "no columns"
        problems.append(
            f"line 1: header: expected the columns {', '.join(required)}; missing "
            f"{', '.join(missing)} (the header has: {found}; cells separated by , or ;)"
        )
    if unknown:
        problems.append(
            f"line 1: header: unknown column {', '.join(map(repr, unknown))} "
            f"(the columns are {', '.join(known or ())})"
        )
    repeated = sorted({c for c in header if c and header.count(c) > 1})
    if repeated:
        problems.append(f"line 1: header: column {', '.join(map(repr, repeated))} repeats")
    return FileProblems(source, problems) if problems else None


def _rows(
    text: str, source: str, required: Sequence[str], known: Sequence[str] | None = None
) -> list[tuple[int, dict[str, str]]]:
    if len(text.encode("utf-8")) > MAX_IMPORT_BYTES:
        raise FileProblems(source, [f"file: larger than {MAX_IMPORT_BYTES} bytes; split it"])
    clean = text.lstrip("\ufeff")
    reader = csv.DictReader(
        io.StringIO(clean, newline=""), delimiter=detect_delimiter(clean), strict=True
    )
    try:
        header = [(name or "").strip().lower() for name in (reader.fieldnames or [])]
        problem = _header_problem(source, header, required, known)
        if problem is not None:
            raise problem
        reader.fieldnames = header
        rows = []
        for row in reader:
            if None in row:
                raise FileProblems(
                    source, [f"line {reader.line_num}: more cells than header columns"]
                )
            cells = {k: (v or "").strip() for k, v in row.items()}
            if any(cells.values()):
                rows.append((reader.line_num, cells))
    except csv.Error as exc:
        raise FileProblems(source, [f"line {reader.line_num}: not valid CSV ({exc})"]) from None
    return rows


def _sheet_rows(
    cells: Sequence[Sequence[str]],
    source: str,
    required: Sequence[str],
    known: Sequence[str] | None,
) -> list[tuple[int, dict[str, str]]]:
    if not cells:
        raise FileProblems(source, ["file: empty"])
    header = [c.strip().lower() for c in cells[0]]
    while header and not header[-1]:
        header.pop()
    problem = _header_problem(source, header, required, known)
    if problem is not None:
        raise problem
    rows = []
    for line, row in enumerate(cells[1:], start=2):
        if any(v for v in row[len(header) :]):
            raise FileProblems(source, [f"line {line}: more cells than header columns"])
        values = {name: (row[i] if i < len(row) else "").strip() for i, name in enumerate(header)}
        if any(values.values()):
            rows.append((line, values))
    return rows


def read_rows(
    data: str | bytes,
    source: str,
    required: Sequence[str],
    *,
    known: Sequence[str] | None = None,
) -> list[tuple[int, dict[str, str]]]:
    """The rows of an import file (CSV with ``,`` or ``;``, or XLSX) as ``(line, cells)``.

    Column names are matched without case; cells are stripped; empty rows are skipped.
    ``line`` is the file's line (the sheet's row number for XLSX), for messages.

    Args:
        data: The file's bytes (XLSX is recognized by its content) or CSV text.
        source: The file name, for messages.
        required: Columns that must be in the header.
        known: All the columns a file may have; another column is a problem (a typo
            such as ``curency`` would otherwise be ignored without a word).

    Raises:
        FileProblems: The file is empty, not UTF-8 or not readable, or its header lacks
            a required column (the message shows the header it found).
        XlsxUnavailable: An XLSX file and no openpyxl.
    """
    if isinstance(data, bytes) and data.startswith(_ZIP_MAGIC):
        from o2c.io._xlsx import read_xlsx_rows

        return _sheet_rows(read_xlsx_rows(data, source), source, required, known)
    return _rows(decode_text(data, source), source, required, known)


def _collect(
    text: str,
    source: str,
    required: Sequence[str],
    build: Callable[[dict[str, str]], T],
) -> list[T]:
    problems: list[str] = []
    built: list[T] = []
    seen: dict[str, int] = {}
    for line, row in _rows(text, source, required):
        row_id = row.get("id", "")
        if row_id in seen:
            problems.append(f"line {line}: id: {row_id!r} repeats line {seen[row_id]}")
            continue
        seen[row_id] = line
        try:
            built.append(build(row))
        except O2CError as exc:
            problems.append(f"line {line}: {exc}")
        except (ValueError, TypeError) as exc:
            problems.append(f"line {line}: {exc}")
    if problems:
        raise FileProblems(source, problems)
    return built


def _text(row: dict[str, str], name: str) -> str:
    value = row.get(name, "")
    if not value:
        raise ValidationError(name, value, "a value (the cell is empty)")
    return value


def _timestamp(value: str) -> dt.datetime:
    try:
        stamp = dt.datetime.fromisoformat(value)
    except ValueError:
        raise ValidationError(
            "timestamp", value, "an ISO 8601 timestamp such as 2026-10-31T23:30:00-06:00"
        ) from None
    if stamp.tzinfo is None:
        raise ValidationError(
            "timestamp", value, "a timestamp with an offset (Z, +00:00, -06:00...)"
        )
    return stamp


def _flag(row: dict[str, str], name: str, default: bool) -> bool:
    value = row.get(name, "").lower()
    if not value:
        return default
    if value not in _BOOLEANS:
        raise ValidationError(name, value, "true or false")
    return _BOOLEANS[value]


def read_usage_csv(text: str, source: str = "<usage>") -> list[UsageRecord]:
    """Read usage records from CSV text; every row is checked before any is returned.

    Args:
        text: The CSV content.
        source: The file name, for messages.

    Raises:
        FileProblems: Any row (or the header) has a problem; all are listed.

    Example:
        >>> rows = read_usage_csv(
        ...     "id,customer,item,quantity,timestamp\\n"
        ...     "u-1,C-1,api_calls,1250,2026-10-31T23:30:00-06:00\\n"
        ... )
        >>> rows[0].quantity, rows[0].timestamp.utcoffset().total_seconds()
        (Decimal('1250'), -21600.0)
    """

    def build(row: dict[str, str]) -> UsageRecord:
        extra = {k: v for k, v in row.items() if k not in _USAGE_COLUMNS and v}
        return UsageRecord(
            id=_text(row, "id"),
            customer=_text(row, "customer"),
            item=_text(row, "item"),
            quantity=parse_decimal(_text(row, "quantity"), "quantity"),
            timestamp=_timestamp(_text(row, "timestamp")),
            properties=extra,
        )

    return _collect(text, source, _USAGE_COLUMNS, build)


def read_time_csv(text: str, source: str = "<time>") -> list[TimeEntry]:
    """Read time entries from CSV text; every row is checked before any is returned.

    Raises:
        FileProblems: Any row (or the header) has a problem; all are listed.

    Example:
        >>> text = "id,person,role,date,hours,approved\\nt-1,ana,senior,2026-10-05,7.5,yes\\n"
        >>> [entry] = read_time_csv(text)
        >>> entry.hours, entry.approved
        (Decimal('7.5'), True)
    """

    def build(row: dict[str, str]) -> TimeEntry:
        date_text = _text(row, "date")
        try:
            day = dt.date.fromisoformat(date_text)
        except ValueError:
            raise ValidationError("date", date_text, "a date as YYYY-MM-DD") from None
        return TimeEntry(
            id=_text(row, "id"),
            person=_text(row, "person"),
            role=_text(row, "role"),
            date=day,
            hours=parse_decimal(_text(row, "hours"), "hours"),
            billable=_flag(row, "billable", True),
            approved=_flag(row, "approved", False),
        )

    return _collect(text, source, _TIME_COLUMNS, build)


def read_file(path: str, *, binary: bool = False) -> str | bytes:
    """Read an import file, refusing one over :data:`MAX_IMPORT_BYTES` or empty.

    Raises:
        FileProblems: The file is too large, empty, unreadable or not UTF-8.
    """
    from pathlib import Path

    file = Path(path)
    try:
        if file.stat().st_size > MAX_IMPORT_BYTES:
            raise FileProblems(file.name, [f"file: larger than {MAX_IMPORT_BYTES} bytes; split it"])
        data = file.read_bytes()
    except OSError as exc:
        raise FileProblems(file.name, [f"file: cannot be read ({exc.strerror})"]) from None
    return data if binary else decode_text(data, file.name)


def decode_text(data: bytes | str, source: str) -> str:
    """The UTF-8 text of an import file's ``data``, refusing it empty or not UTF-8.

    Raises:
        FileProblems: The data is empty (or blank), or not UTF-8; the message names
            ``source`` and the first bad byte's position (0-based) and value.
    """
    if not data.strip():
        raise FileProblems(source, ["file: empty"])
    if isinstance(data, str):
        return data
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        bad = data[exc.start]
        problem = (
            f"file: not UTF-8 text (byte {exc.start} (0x{bad:02x}) {exc.reason}); save it as UTF-8"
        )
        raise FileProblems(source, [problem]) from None
