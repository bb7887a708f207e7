"""``o2c usage charge``: usage of per-event items is charged and invoiced at once."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from o2c.book import Book
from tests.book.test_usage_events import _book, _tx
from tests.cli.conftest import Invoke


def test_usage_charge_invoices_each_event_once(o2c: Invoke, book_path: Path) -> None:
    book = Book.open(str(book_path), actor="ana")
    try:
        _book(book)
        book.import_usage([_tx("u-1", 1, "10.00"), _tx("u-2", 2, "20.00"), _tx("u-3", 3, "5.00")])
    finally:
        book.close()
    listed = json.loads(
        o2c("usage", "list", "--unbilled", "--period", "2026-10", fmt="json").stdout
    )
    assert {row["id"]: row["code"] for row in listed} == {
        "u-1": "per_event",
        "u-2": "per_event",
        "u-3": "per_event",
    }
    result = o2c("usage", "charge", "--date", "2026-10-03", "--each", fmt="json")
    assert result.exit_code == 0, result.stderr
    charged = json.loads(result.stdout)
    assert (charged["invoices"], charged["events"], charged["problems"]) == (1, 3, [])
    again = json.loads(o2c("usage", "charge", "--date", "2026-10-03", fmt="json").stdout)
    assert (again["invoices"], again["events"]) == (0, 0)
    book = Book.open(str(book_path), actor="ana")
    try:
        (doc_id,) = charged["documents"]
        invoice = book.get_document(doc_id)
        assert [str(line.net.amount) for line in invoice.lines] == ["0.00", "0.00", "0.50"]
        assert invoice.issue_date == dt.date(2026, 10, 3)
    finally:
        book.close()


def test_usage_charge_names_a_period_it_could_not_charge(o2c: Invoke, book_path: Path) -> None:
    import attrs

    book = Book.open(str(book_path), actor="ana")
    try:
        _book(book)
        book.update_customer(attrs.evolve(book.get_customer("C1"), billing_address=None))
        book.import_usage([_tx("u-1", 1, "10.00")])
    finally:
        book.close()
    result = o2c("usage", "charge", "--date", "2026-10-05")
    assert result.exit_code == 0
    assert "not charged: K1:2026-10: " in result.stderr
