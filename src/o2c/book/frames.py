"""pandas DataFrames of a book, for analysts in a notebook (extra ``o2c[frames]``).

Two doors, both exact:

* :func:`table_frame` reads one of the book's tables or views (the schema guide documents
  them) with typed columns: every ``*_minor`` amount also appears as an exact
  :class:`~decimal.Decimal` amount column without the suffix (``net_minor`` 11600 in MXN
  gives ``net`` ``Decimal('116.00')``), exact decimals (quantities, unit prices) become
  ``Decimal``, dates become ``datetime64``, timestamps UTC ``datetime64`` and JSON
  columns Python objects, the same on SQLite and PostgreSQL.
* :func:`to_frame` turns values the Book returns (open items, credits, aging rows,
  payments, documents...) into one row each: ``Money`` fields become a ``Decimal`` column
  and a currency column, enums their value, nested values dotted columns; an
  :class:`~o2c.ledger.AgingReport` gives one row per customer and currency (then the
  totals) with a column per bucket, named by the bucket's label.
* :func:`kpi_frame` is the KPI report with one row per currency of the book and one
  column per KPI, so a book that bills in several currencies needs no ``currency=``.

Amounts stay ``Decimal`` (``object`` dtype) so that sums are exact; convert with
``.astype(float)`` only to plot. This module imports pandas, so ``import o2c`` never
needs it; it is not imported by :mod:`o2c.book` itself.

>>> import datetime as dt
>>> from decimal import Decimal
>>> from o2c.billing import DocumentLine, LineTax, draft_document, snapshot
>>> from o2c.book import Book
>>> from o2c.book.frames import table_frame, to_frame
>>> from o2c.money import Currency, Money
>>> from o2c.parties import Customer
>>> mxn = Currency.of("MXN")
>>> book = Book.open(":memory:", actor="analyst")
>>> acme = book.add_customer(Customer("C1", "Acme", None, "MX", mxn))
>>> line = DocumentLine(1, "SETUP", "Set-up", Decimal(2), Money.of("50", mxn),
...     Money.of("100.00", mxn),
...     (LineTax("IVA16", "S", Decimal("0.16"), Money.of("16.00", mxn), tax="MX-IVA"),))
>>> draft = draft_document(book.new_document_id(), snapshot(acme), mxn, [line])
>>> _ = book.create_invoice(draft, issue_date=dt.date(2026, 10, 1))
>>> docs = table_frame(book, "documents", where={"kind": "invoice"})
>>> print(docs[["number", "currency", "net", "tax", "payable"]].to_string(index=False))
         number currency    net   tax payable
INV-2026-000001      MXN 100.00 16.00  116.00
>>> docs.loc[0, "payable"], docs["issue_date"].dtype.kind
(Decimal('116.00'), 'M')
>>> lines = table_frame(book, "document_lines")
>>> lines.loc[0, "quantity"], lines.loc[0, "unit_price"]
(Decimal('2'), Decimal('50'))
>>> items = to_frame(book.open_items(as_of=dt.date(2026, 10, 31)))
>>> print(items[["number", "currency", "open"]].to_string(index=False))
         number currency   open
INV-2026-000001      MXN 116.00
>>> book.close()
"""

from __future__ import annotations

import datetime as dt
import enum
import json
import re
from collections.abc import Iterable, Mapping
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Final, cast

import attrs
import pandas as pd

from o2c.book._tables import reports as reports_table
from o2c.errors import ValidationError
from o2c.ledger import AgingReport
from o2c.money import Currency, Money
from o2c.store import MIGRATIONS

if TYPE_CHECKING:
    from o2c.book._book import Book

__all__ = ["column_kinds", "kpi_frame", "table_frame", "to_frame"]


_CREATE: Final = re.compile(r"CREATE TABLE (?:IF NOT EXISTS )?(\w+)\s*\((.*?)\n\);", re.S)
_COLUMN: Final = re.compile(r"^\s*(\w+)\s+\{(\w+)\}", re.M)
_ADD: Final = re.compile(r"ALTER TABLE (\w+) ADD COLUMN (\w+) \{(\w+)\}")
_MINOR: Final = "_minor"


@cache
def column_kinds() -> Mapping[str, Mapping[str, str]]:
    """The declared kind of each typed column, per table, read from the migrations.

    Kinds are the migration placeholders: ``money`` (integer minor units), ``decimal``,
    ``date``, ``timestamp`` and ``json``; plain ``TEXT`` and ``INTEGER`` columns are not
    listed.

    >>> column_kinds()["documents"]["issue_date"]
    'date'
    >>> column_kinds()["document_lines"]["quantity"]
    'decimal'
    """
    kinds: dict[str, dict[str, str]] = {}
    for migration in MIGRATIONS:
        for table, body in _CREATE.findall(migration.sql):
            found = kinds.setdefault(table, {})
            for column, kind in _COLUMN.findall(body):
                found[column] = kind
        for table, column, kind in _ADD.findall(migration.sql):
            kinds.setdefault(table, {})[column] = kind
    return kinds


def _kind_by_name() -> dict[str, str]:
    """Kinds of column names that mean the same everywhere (for views)."""
    seen: dict[str, set[str]] = {}
    for columns in column_kinds().values():
        for column, kind in columns.items():
            seen.setdefault(column, set()).add(kind)
    return {column: next(iter(k)) for column, k in seen.items() if len(k) == 1}


def table_frame(
    book: Book,
    table: str,
    *,
    where: Mapping[str, str | int | None] | None = None,
    limit: int | None = None,
) -> pd.DataFrame:
    """One of the book's tables or views as a typed DataFrame.

    Args:
        book: The book.
        table: A name from :meth:`Book.table_names` (the schema guide describes them).
        where: Equality filters, column name to value (``{"kind": "invoice"}``); the
            names must be columns of the table.
        limit: At most this many rows.

    Returns:
        The rows as stored, in the table's column order, plus a ``Decimal`` amount column
        beside every ``*_minor`` column. Tables whose amounts take their currency from
        their document (``document_lines``, ``document_taxes``) get a ``currency``
        column at the end.

    Raises:
        ValidationError: An unknown table or filter column.
    """
    tables = book.table_names()
    if table not in tables:
        raise ValidationError("table", table, f"one of {', '.join(tables)}")
    store = book.store
    with store.transaction(write=False):
        columns = reports_table.table_columns(store, table)
        for name in where or {}:
            if name not in columns:
                raise ValidationError("where", name, f"a column of {table}")
        rows = reports_table.table_rows(store, table, where=where, limit=limit)
        units = reports_table.currency_units(store)
        by_document: dict[str, str] = {}
        if "currency" not in columns and "document_id" in columns:
            by_document = reports_table.document_currencies(store)
    frame = pd.DataFrame.from_records(rows, columns=columns)
    if by_document:
        frame["currency"] = frame["document_id"].map(by_document)
    declared = column_kinds().get(table)
    kinds = dict(declared) if declared is not None else _view_kinds(columns)
    for column in columns:
        kind = kinds.get(column)
        if kind == "money" or (kind is None and column.endswith(_MINOR)):
            if "currency" in frame.columns and column.endswith(_MINOR):
                name = column[: -len(_MINOR)]
                if name not in frame.columns:
                    at = list(frame.columns).index(column) + 1
                    frame.insert(at, name, _amounts(frame[column], frame["currency"], units))
        elif kind == "decimal":
            frame[column] = frame[column].map(_decimal, na_action="ignore")
        elif kind == "date":
            frame[column] = pd.to_datetime(frame[column])
        elif kind == "timestamp":
            frame[column] = pd.to_datetime(frame[column], utc=True, format="ISO8601")
        elif kind == "json":
            frame[column] = frame[column].map(_json, na_action="ignore")
    return frame


def _view_kinds(columns: Iterable[str]) -> dict[str, str]:
    by_name = _kind_by_name()
    return {c: by_name[c] for c in columns if c in by_name}


def _amounts(
    minor: pd.Series[int], currency: pd.Series[str], units: Mapping[str, int]
) -> list[Decimal | None]:
    out: list[Decimal | None] = []
    for value, code in zip(minor, currency, strict=True):
        if value is None or pd.isna(value):
            out.append(None)
        else:
            out.append(Decimal(int(value)).scaleb(-units.get(str(code), 2)))
    return out


def _decimal(value: object) -> Decimal:
    return value if isinstance(value, Decimal) else Decimal(str(value))


def _json(value: object) -> object:
    return json.loads(value) if isinstance(value, str | bytes) else value


def to_frame(values: Iterable[object] | AgingReport) -> pd.DataFrame:
    """One row per attrs value, one column per field (nested values as dotted columns).

    ``Money`` fields become a ``Decimal`` column of the field's name; their currency goes
    to a ``currency`` column when the value has no currency field of its own and all its
    amounts share one, else to ``<field>_currency``. ``Currency`` becomes its code, enums
    their value, dates ``datetime64`` columns. A tuple of amounts (an aging row's
    ``buckets``) becomes one column per amount, ``buckets.0``, ``buckets.1``...; other
    collections (lines of a document, tax breakdowns) are left out: read them with
    :func:`table_frame` or flatten them first.

    An :class:`~o2c.ledger.AgingReport` gives its rows and then its total rows
    (``customer`` empty), each bucket a column named by its label (``current``,
    ``1-30`` ... ``90+``), then ``disputed``, ``unapplied`` and ``total``, all exact.

    Args:
        values: attrs instances, all of one class (or of classes with the same fields),
            or an aging report.

    Raises:
        ValidationError: A value is not an attrs instance.

    >>> import datetime as dt
    >>> from o2c.ledger import Payment
    >>> from o2c.money import Money
    >>> paid = Payment("P1", "C1", dt.date(2026, 10, 1), Money.of("10.50", "USD"))
    >>> frame = to_frame([paid])
    >>> list(frame.columns)
    ['id', 'customer', 'date', 'amount', 'reference', 'method', 'currency']
    >>> frame.loc[0, "amount"], frame.loc[0, "currency"], frame["date"].dtype.kind
    (Decimal('10.50'), 'USD', 'M')
    """
    if isinstance(values, AgingReport):
        return _typed(pd.DataFrame.from_records(_aging_records(values)))
    return _typed(pd.DataFrame.from_records([_flat(value) for value in values]))


def _aging_records(report: AgingReport) -> list[dict[str, object]]:
    records: list[dict[str, object]] = []
    for row in (*report.rows, *report.totals):
        record: dict[str, object] = {"customer": row.customer, "currency": row.currency.code}
        for bucket, amount in zip(report.buckets, row.buckets, strict=True):
            record[bucket.label] = amount.amount
        record["disputed"] = row.disputed.amount
        record["unapplied"] = row.unapplied.amount
        record["total"] = row.total.amount
        records.append(record)
    return records


def _typed(frame: pd.DataFrame) -> pd.DataFrame:
    for column in frame.columns:
        series = frame[column]
        present = series.dropna()
        if len(present) and all(
            isinstance(v, dt.date) and not isinstance(v, dt.datetime) for v in present
        ):
            frame[column] = pd.to_datetime(series)
    return frame


def _flat(value: object) -> dict[str, object]:
    if not attrs.has(type(value)):
        raise ValidationError("value", repr(value)[:80], "an attrs value (e.g. an OpenItem)")
    row: dict[str, object] = {}
    currencies: dict[str, str] = {}
    _walk(value, "", row, currencies)
    codes = set(currencies.values())
    if len(codes) == 1 and "currency" not in row:
        row["currency"] = codes.pop()
    else:
        for name, code in currencies.items():
            row.setdefault(f"{name}_currency", code)
    return row


def _walk(value: object, prefix: str, row: dict[str, object], currencies: dict[str, str]) -> None:
    for field in attrs.fields(cast("type[attrs.AttrsInstance]", type(value))):
        name = prefix + field.name
        item = getattr(value, field.name)
        if isinstance(item, Money):
            row[name] = item.amount
            currencies[name] = item.currency.code
        elif isinstance(item, Currency):
            row[name] = item.code
        elif isinstance(item, enum.Enum):
            row[name] = item.value
        elif item is None or isinstance(item, str | int | Decimal | dt.date):
            row[name] = item
        elif attrs.has(type(item)):
            _walk(item, name + ".", row, currencies)
        elif isinstance(item, tuple) and item and all(isinstance(m, Money) for m in item):
            for index, money in enumerate(item):
                row[f"{name}.{index}"] = money.amount
                currencies[f"{name}.{index}"] = money.currency.code


def kpi_frame(
    book: Book,
    start: dt.date,
    end: dt.date,
    *,
    currency: Currency | str | None = None,
    as_of: dt.date | None = None,
) -> pd.DataFrame:
    """The KPI report over ``[start, end)``: one row per currency, one column per KPI.

    Without ``currency`` every currency of the book gets its row (a multi-currency book
    does not fail); with it, only that one. Values are exact ``Decimal`` (``None`` where
    a KPI is undefined); money KPIs are in the row's currency.

    >>> from o2c.book import Book
    >>> book = Book.open(":memory:", actor="analyst")
    >>> kpi_frame(book, dt.date(2026, 10, 1), dt.date(2026, 11, 1)).empty
    True
    >>> book.close()
    """
    if currency is not None:
        code = Currency.of(currency).code if isinstance(currency, str) else currency.code
        reports = {code: book.kpis(start, end, currency=code, as_of=as_of)}
    else:
        reports = book.kpis_by_currency(start, end, as_of=as_of)
    records: list[dict[str, object]] = []
    for code, values in reports.items():
        record: dict[str, object] = {"currency": code}
        record.update({kpi.name: kpi.value for kpi in values})
        records.append(record)
    return pd.DataFrame.from_records(records)
