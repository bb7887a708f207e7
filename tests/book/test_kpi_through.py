"""``Book.kpis(start, through=LAST)``: the last day included, as the CLI's ``--to`` (issue 23).

``end`` (the first day after) keeps its meaning for existing callers; ``through`` is the
inclusive spelling every list and export uses.
"""

from __future__ import annotations

import datetime as dt

import pytest

from o2c.book import Book
from o2c.errors import ValidationError
from tests.book.factories import customer, invoice_draft

OCT1, OCT30, OCT31, NOV1 = (
    dt.date(2026, 10, 1), dt.date(2026, 10, 30), dt.date(2026, 10, 31), dt.date(2026, 11, 1)
)  # fmt: skip


def _accuracy_count(values: tuple[object, ...]) -> object:
    [kpi] = [k for k in values if getattr(k, "name", None) == "invoice_accuracy"]
    return getattr(kpi, "denominator", None)


def _issue_on_edges(book: Book) -> None:
    """One invoice on Oct 31 and one on Nov 1: they tell an inclusive from an exclusive end."""
    book.add_customer(customer("C1"))
    for doc_id, day in (("D-1", OCT31), ("D-2", NOV1)):
        book.create_draft(invoice_draft(doc_id))
        book.issue_document(doc_id, issue_date=day)


def test_through_includes_its_last_day(book: Book) -> None:
    _issue_on_edges(book)
    october = book.kpis(OCT1, through=OCT31, currency="USD", as_of=NOV1)
    assert _accuracy_count(october) == 1  # the Oct 31 invoice, not the Nov 1 one
    assert _accuracy_count(book.kpis(OCT1, through=OCT30, currency="USD", as_of=NOV1)) == 0


def test_end_is_still_the_first_day_after(book: Book) -> None:
    _issue_on_edges(book)
    by_end = book.kpis(OCT1, NOV1, currency="USD", as_of=NOV1)
    assert by_end == book.kpis(OCT1, through=OCT31, currency="USD", as_of=NOV1)
    assert book.kpis_by_currency(OCT1, through=OCT31, as_of=NOV1) == {"USD": by_end}
    inputs = book.kpi_inputs(OCT1, through=OCT31, currency="USD", as_of=NOV1)
    assert inputs == book.kpi_inputs(OCT1, NOV1, currency="USD", as_of=NOV1)


def test_end_and_through_together_or_neither_are_refused(book: Book) -> None:
    with pytest.raises(ValidationError) as both:
        book.kpis(OCT1, NOV1, through=OCT31, currency="USD")
    assert both.value.field == "through"
    with pytest.raises(ValidationError) as neither:
        book.kpis(OCT1, currency="USD")
    assert neither.value.field == "end"
