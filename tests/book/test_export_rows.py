"""Book.export_table for analysts: filters by date and customer, amounts in major units."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from o2c.book import Book
from o2c.errors import ValidationError
from o2c.money import Money
from tests.book.factories import customer, invoice_draft


def _billed(book: Book) -> None:
    book.add_customer(customer("C1", "USD"))
    book.add_customer(customer("C2", "JPY", name="Nihon KK"))
    book.create_invoice(invoice_draft("D1", "C1"), issue_date=dt.date(2026, 10, 1))
    book.create_invoice(
        invoice_draft("D3", "C2", (("SETUP", "1", "1000"),), currency="JPY"),
        issue_date=dt.date(2026, 10, 3),
    )
    book.record_payment("C1", Money.of("100.00", "USD"), date=dt.date(2026, 10, 20))


def _records(columns: list[str], rows: list[tuple[object, ...]]) -> list[dict[str, object]]:
    return [dict(zip(columns, row, strict=True)) for row in rows]


def test_major_unit_amounts_sit_beside_the_stored_minor_units(book: Book) -> None:
    _billed(book)
    columns, rows = book.export_table("documents", amounts=True)
    assert columns[columns.index("payable_minor") + 1] == "payable"
    by_id = {r["id"]: r for r in _records(columns, rows)}
    assert by_id["D1"]["payable"] == Decimal("116.00")
    assert by_id["D1"]["payable_minor"] == 11600
    assert by_id["D3"]["payable"] == Decimal("1160")
    lines, line_rows = book.export_table("document_lines", amounts=True)
    assert lines[-1] == "currency"
    assert {r["currency"] for r in _records(lines, line_rows)} == {"USD", "JPY"}
    # Without amounts= the table is exactly as stored (what SQL reconciles with).
    stored, _ = book.export_table("documents")
    assert "payable" not in stored


def test_rows_are_filtered_by_their_date_inclusive_and_by_customer(book: Book) -> None:
    _billed(book)

    def ids(table: str, **filters: object) -> list[str]:
        columns, rows = book.export_table(table, **filters)  # type: ignore[arg-type]
        return sorted(str(r["id"]) for r in _records(columns, rows))

    oct1, oct3 = dt.date(2026, 10, 1), dt.date(2026, 10, 3)
    assert ids("documents", start=oct1, end=oct1) == ["D1"]
    assert ids("documents", start=oct3) == ["D3"]
    assert ids("documents", end=oct3) == ["D1", "D3"]
    assert ids("documents", customer="C2") == ["D3"]
    assert ids("customers", customer="C1") == ["C1"]
    assert len(ids("payments", start=dt.date(2026, 10, 20), end=dt.date(2026, 10, 20))) == 1
    assert ids("payments", end=dt.date(2026, 10, 19)) == []


def test_a_filter_the_table_has_no_column_for_is_refused_by_name(book: Book) -> None:
    with pytest.raises(ValidationError, match=r"from/to.*'currencies'"):
        book.export_table("currencies", start=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError, match=r"customer.*'currencies'"):
        book.export_table("currencies", customer="C1")
    with pytest.raises(ValidationError, match="to"):
        book.export_table("documents", start=dt.date(2026, 10, 2), end=dt.date(2026, 10, 1))
