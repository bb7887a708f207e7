"""CSV export that spreadsheets open safely.

A cell that starts with ``=``, ``+``, ``-`` or ``@`` (or a tab or carriage return) is run
as a formula by Excel, LibreOffice and Google Sheets (also after leading spaces, and at
the start of any line of a cell with line breaks): a customer name such as
``=HYPERLINK(...)`` would become a live link in a controller's spreadsheet (CSV
injection). Such text cells are prefixed with a single quote. Numbers stay numbers: a
credit of ``-12.50`` is written as it is, so sums in the spreadsheet still work.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Final, TextIO

__all__ = ["flatten", "neutralize_cell", "write_csv"]

_FORMULA_STARTS: Final = ("=", "+", "-", "@", "\t", "\r")
#: Blanks a spreadsheet skips before it looks for a formula character.
_BLANKS: Final = " \t\u00a0\u3000"
#: A line break of any convention (kept, in the split, as its own part).
_LINE_BREAK: Final = re.compile(r"(\r\n|\r|\n)")


def _is_number(text: str) -> bool:
    try:
        return Decimal(text).is_finite()
    except InvalidOperation:
        return False


def neutralize_cell(value: object) -> str:
    """Return ``value`` as CSV cell text that no spreadsheet runs as a formula.

    Example:
        >>> neutralize_cell("=1+1")
        "'=1+1"
        >>> neutralize_cell("-12.50")
        '-12.50'
        >>> neutralize_cell("@SUM(A1)")
        "'@SUM(A1)"
        >>> neutralize_cell("  =1+1")
        "'  =1+1"
        >>> neutralize_cell("Acme\\r=HYPERLINK(1)")
        "Acme\\r'=HYPERLINK(1)"
        >>> neutralize_cell(None)
        ''
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    text = str(value)
    if _is_number(text):
        return text
    if not _LINE_BREAK.search(text):
        return "'" + text if _is_formula(text) else text
    # A cell with line breaks is quoted by the writer, but a reader that splits rows on a
    # bare carriage return (or a user pasting the text) would start a new cell at each
    # line: every line that would run as a formula is neutralized, not only the first.
    parts = _LINE_BREAK.split(text)
    lines = "".join(
        "'" + part if i % 2 == 0 and _is_formula(part) else part for i, part in enumerate(parts)
    )
    return "'" + lines if text.startswith(_FORMULA_STARTS) and lines[0] != "'" else lines


def _is_formula(text: str) -> bool:
    """Whether a spreadsheet would run ``text`` (one line) as a formula: it starts with a
    formula character, also after leading spaces, which spreadsheets skip."""
    if text.startswith(_FORMULA_STARTS):
        return not _is_number(text)
    stripped = text.lstrip(_BLANKS)
    return stripped != text and stripped.startswith(_FORMULA_STARTS) and not _is_number(stripped)


def flatten(record: Mapping[str, object], prefix: str = "") -> dict[str, object]:
    """Flatten nested mappings into dotted keys (``total.amount``, ``total.currency``).

    Lists are kept as one cell, joined with ``"; "``.

    Example:
        >>> flatten({"id": "C1", "total": {"amount": "1.00", "currency": "USD"}})
        {'id': 'C1', 'total.amount': '1.00', 'total.currency': 'USD'}
    """
    flat: dict[str, object] = {}
    for key, value in record.items():
        name = f"{prefix}{key}"
        if isinstance(value, Mapping):
            flat.update(flatten(value, f"{name}."))
        elif isinstance(value, list | tuple):
            flat[name] = "; ".join(
                str(v) if not isinstance(v, Mapping) else _compact(v) for v in value
            )
        else:
            flat[name] = value
    return flat


def _compact(value: Mapping[str, object]) -> str:
    if set(value) == {"amount", "currency"}:
        return f"{value['amount']} {value['currency']}"
    return ", ".join(f"{k}={v}" for k, v in value.items())


def write_csv(
    rows: Iterable[Mapping[str, object]],
    fields: Sequence[str],
    out: TextIO | None = None,
) -> str:
    """Write ``rows`` as CSV with a header of ``fields``; every cell neutralized.

    Args:
        rows: Flat records (see :func:`flatten`); keys not in ``fields`` are left out and
            missing keys are written as empty cells.
        fields: The columns, in order.
        out: Where to write; when ``None`` the CSV text is only returned.

    Returns:
        The CSV text (also when it was written to ``out``).

    Example:
        >>> print(write_csv([{"name": "=cmd()", "balance": "-5.00"}], ["name", "balance"]), end="")
        name,balance
        '=cmd(),-5.00
    """
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([neutralize_cell(f) for f in fields])
    for row in rows:
        writer.writerow([neutralize_cell(row.get(f)) for f in fields])
    text = buffer.getvalue()
    if out is not None:
        out.write(text)
    return text
