"""A table of the book for ``o2c export``: filtered by date and customer, amounts in major units.

The rows are the table's own (the schema guide documents them), so an export still
reconciles with SQL: every ``*_minor`` integer column stays, and beside it comes the same
amount in major units as an exact :class:`~decimal.Decimal` (``net_minor`` 11600 in MXN
gives ``net`` ``116.00``; JPY has no minor unit, KWD three). Tables whose amounts take
their currency from their document (``document_lines``, ``document_taxes``,
``dunning_items``) get a ``currency`` column at the end.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Final

from o2c.book._session import Session
from o2c.book._tables import reports as reports_table
from o2c.errors import ValidationError
from o2c.store import Row

__all__ = ["DATE_COLUMNS", "export_rows"]

_MINOR: Final = "_minor"
#: The date a table is filtered on by ``--from/--to``: the first of these it has.
DATE_COLUMNS: Final = (
    "issue_date",
    "received_date",
    "entry_date",
    "alloc_date",
    "refund_date",
    "write_off_date",
    "opened_date",
    "run_date",
    "order_date",
    "work_date",
)
#: The customer a table is filtered on by ``--customer``: the first of these it has.
_CUSTOMER_COLUMNS: Final = ("customer_id",)


def _date_column(table: str, columns: Sequence[str]) -> str:
    for name in DATE_COLUMNS:
        if name in columns:
            return name
    raise ValidationError("from/to", table, "a table with a date column (documents, payments...)")


def _customer_column(table: str, columns: Sequence[str]) -> str:
    if table == "customers":
        return "id"
    for name in _CUSTOMER_COLUMNS:
        if name in columns:
            return name
    raise ValidationError("customer", table, "a table with a customer column")


def export_rows(
    session: Session,
    name: str,
    *,
    limit: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    customer: str | None = None,
    amounts: bool = False,
) -> tuple[list[str], list[Row]]:
    """The columns and rows of table ``name``; see :meth:`ReportsMixin.export_table`."""
    tables = reports_table.table_names(session.store)
    if name not in tables:
        raise ValidationError("table", name, f"one of {', '.join(tables)}")
    if start is not None and end is not None and end < start:
        raise ValidationError("to", end.isoformat(), f"a day on or after {start.isoformat()}")
    store = session.store
    with store.transaction(write=False):
        columns = reports_table.table_columns(store, name)
        dated = None
        if start is not None or end is not None:
            dated = (_date_column(name, columns), start, end)
        where = {_customer_column(name, columns): customer} if customer is not None else None
        rows = reports_table.table_rows(store, name, where=where, limit=limit, dated=dated)
        if not amounts or not any(c.endswith(_MINOR) for c in columns):
            return columns, rows
        units = reports_table.currency_units(store)
        by_document: dict[str, str] = {}
        if "currency" not in columns and "document_id" in columns:
            by_document = reports_table.document_currencies(store)
    return _with_amounts(columns, rows, units, by_document)


def _with_amounts(
    columns: list[str], rows: list[Row], units: Mapping[str, int], by_document: Mapping[str, str]
) -> tuple[list[str], list[Row]]:
    """Add a major-units amount beside every ``*_minor`` column (and a currency column)."""
    add_currency = "currency" not in columns and bool(by_document)
    out_columns: list[str] = []
    for column in columns:
        out_columns.append(column)
        amount = column.removesuffix(_MINOR)
        if column.endswith(_MINOR) and amount not in columns:
            out_columns.append(amount)
    if add_currency:
        out_columns.append("currency")
    at_currency = columns.index("currency") if "currency" in columns else None
    at_document = columns.index("document_id") if "document_id" in columns else None
    out_rows: list[Row] = []
    for row in rows:
        if at_currency is not None:
            code = row[at_currency]
        elif at_document is not None:
            code = by_document.get(str(row[at_document]))
        else:
            code = None
        digits = units.get(str(code), 2) if code is not None else None
        values: list[object] = []
        for column, value in zip(columns, row, strict=True):
            values.append(value)
            if column.endswith(_MINOR) and column.removesuffix(_MINOR) not in columns:
                values.append(_major(value, digits))
        if add_currency:
            values.append(code)
        out_rows.append(tuple(values))
    return out_columns, out_rows


def _major(minor: object, digits: int | None) -> Decimal | None:
    if minor is None or digits is None:
        return None
    return Decimal(int(str(minor))).scaleb(-digits)
