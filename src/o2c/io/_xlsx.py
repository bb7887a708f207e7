"""Excel workbooks (XLSX) with typed cells, written and read with openpyxl (``o2c[xlsx]``).

Written sheets are what a controller expects to filter and sum right away:

* amounts (:class:`~o2c.money.Money`) are numbers with the number format of their
  currency's minor unit (``#,##0`` for JPY, ``#,##0.00`` for MXN, ``#,##0.000`` for
  KWD); the currency code is in its own column;
* dates are dates (``yyyy-mm-dd``), timestamps UTC date-times, Decimals and integers
  numbers;
* text is always text: a customer named ``=HYPERLINK(...)`` is stored as a string cell,
  never as a formula;
* the header row is bold and frozen, has an autofilter, and every column is as wide as
  its longest cell (up to 60 characters).

openpyxl both writes and reads XLSX, so the same library reads the sheets that
``o2c customer import`` and ``o2c contract import`` accept.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Final

from o2c.errors import O2CError
from o2c.money import Money

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

__all__ = [
    "XlsxUnavailable",
    "currency_number_format",
    "read_xlsx_rows",
    "write_xlsx",
]

#: Columns are at most this wide (characters).
_MAX_WIDTH: Final = 60
#: Excel's sheet-name limit.
_MAX_TITLE: Final = 31
_DATE_FORMAT: Final = "yyyy-mm-dd"
_TIMESTAMP_FORMAT: Final = "yyyy-mm-dd hh:mm:ss"
_INSTALL: Final = "install the xlsx extra: pip install 'o2c[xlsx]'"


class XlsxUnavailable(O2CError):
    """openpyxl (the ``o2c[xlsx]`` extra) is not installed."""

    def __init__(self) -> None:
        super().__init__(f"XLSX needs openpyxl, which is not installed; {_INSTALL}")


def _openpyxl() -> object:
    try:
        import openpyxl
    except ImportError:
        raise XlsxUnavailable() from None
    return openpyxl


def currency_number_format(minor_units: int) -> str:
    """The Excel number format of an amount with ``minor_units`` decimals.

    Example:
        >>> currency_number_format(0), currency_number_format(2), currency_number_format(3)
        ('#,##0', '#,##0.00', '#,##0.000')
    """
    return "#,##0" if minor_units <= 0 else "#,##0." + "0" * minor_units


#: A sheet: its title, its column names and its rows (one value per column).
Sheet = tuple[str, Sequence[str], Sequence[Sequence[object]]]


def write_xlsx(sheets: Sequence[Sheet]) -> bytes:
    """Return an XLSX workbook with one sheet per ``(title, columns, rows)``.

    Cells may be ``None``, ``str``, ``bool``, ``int``, ``Decimal``, ``date``,
    ``datetime`` (written in UTC) or ``Money`` (a number in its currency's format);
    anything else is written as its text.

    Raises:
        XlsxUnavailable: openpyxl is not installed.
    """
    openpyxl = _openpyxl()
    from openpyxl.styles import Font

    workbook = openpyxl.Workbook()  # type: ignore[attr-defined]
    workbook.remove(workbook.active)
    used: set[str] = set()
    for title, columns, rows in sheets:
        sheet = workbook.create_sheet(_title(title, used))
        sheet.append(list(columns))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        widths = [len(str(c)) for c in columns]
        for r, row in enumerate(rows, start=2):
            for c, value in enumerate(row, start=1):
                widths[c - 1] = max(widths[c - 1], _write(sheet, r, c, value))
        _finish(sheet, widths, len(rows))
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _title(title: str, used: set[str]) -> str:
    clean = "".join(" " if ch in "[]:*?/\\" else ch for ch in title).strip() or "Sheet"
    clean = clean[:_MAX_TITLE]
    name, n = clean, 2
    while name.lower() in used:
        suffix = f" ({n})"
        name, n = clean[: _MAX_TITLE - len(suffix)] + suffix, n + 1
    used.add(name.lower())
    return name


def _write(sheet: Worksheet, row: int, column: int, value: object) -> int:
    """Write one typed cell; return the width it needs."""
    cell = sheet.cell(row=row, column=column)
    if value is None:
        return 0
    if isinstance(value, Money):
        cell.value = value.amount
        cell.number_format = currency_number_format(value.currency.minor_units)
        return len(f"{value.amount:,}") + 1
    if isinstance(value, bool | int | Decimal):
        cell.value = value
        return len(str(value))
    if isinstance(value, dt.datetime):
        stamp = value.astimezone(dt.UTC).replace(tzinfo=None) if value.tzinfo else value
        cell.value = stamp
        cell.number_format = _TIMESTAMP_FORMAT
        return len(_TIMESTAMP_FORMAT)
    if isinstance(value, dt.date):
        cell.value = value
        cell.number_format = _DATE_FORMAT
        return len(_DATE_FORMAT) + 1
    text = str(value)
    cell.value = text
    cell.data_type = "s"  # never a formula, whatever the text starts with
    return max((len(line) for line in text.splitlines()), default=0)


def _finish(sheet: Worksheet, widths: Sequence[int], count: int) -> None:
    from openpyxl.utils import get_column_letter

    sheet.freeze_panes = "A2"
    if widths:
        last = get_column_letter(len(widths))
        sheet.auto_filter.ref = f"A1:{last}{count + 1}"
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = min(width + 2, _MAX_WIDTH)


def read_xlsx_rows(data: bytes, source: str) -> list[list[str]]:
    """The first sheet of an XLSX file as rows of cell text (the header row first).

    Numbers are written back without a float's noise (``1250`` not ``1250.0``, ``12.5``),
    dates as ``YYYY-MM-DD``; empty trailing rows are dropped.

    Raises:
        XlsxUnavailable: openpyxl is not installed.
        FileProblems: The data is not an XLSX workbook.
    """
    openpyxl = _openpyxl()
    from o2c.io._imports import FileProblems

    try:
        workbook = openpyxl.load_workbook(  # type: ignore[attr-defined]
            io.BytesIO(data), read_only=True, data_only=True
        )
    except Exception as exc:  # zipfile, XML and openpyxl errors alike: the file is bad
        problem = f"file: not an XLSX workbook ({type(exc).__name__}: {exc})"
        raise FileProblems(source, [problem]) from None
    try:
        sheet = workbook.worksheets[0]
        rows = [[_text(v) for v in row] for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, dt.datetime):
        if value.time() == dt.time():
            return value.date().isoformat()
        return value.isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, float):
        exact = Decimal(repr(value))
        return format(exact.normalize(), "f") if exact == exact.to_integral() else repr(value)
    return str(value).strip()
