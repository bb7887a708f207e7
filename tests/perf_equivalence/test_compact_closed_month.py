"""A book with closed past months bills on the compact path like an open one.

Closing September must not switch the compact path off for an October run: the check
is on the posting date's month (``o2c.billing.closed_posting_reason``), not on whether
any month of the book is closed.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from o2c.billing import CompactPlanner
from o2c.book import Book
from o2c.errors import O2CError
from tests.perf_equivalence.test_compact_path import MIXED, _dump, _fill

_PLAN = CompactPlanner.plan
_ROWS = ("documents", "document_lines", "document_taxes", "journal_entries", "journal_lines")


def _bill(
    open_book: Callable[[str], Book], name: str, closed: tuple[str, ...], monkeypatch: Any
) -> tuple[list[str], dict[str, list[tuple[Any, ...]]]]:
    planned: list[str] = []
    plan = _PLAN

    def spy(self: CompactPlanner, data: Any, customer: Any, doc_prefix: str = "B:") -> Any:
        invoice = plan(self, data, customer, doc_prefix)
        if invoice is not None:
            planned.append(invoice.key)
        return invoice

    monkeypatch.setattr(CompactPlanner, "plan", spy)
    book = open_book(name)
    try:
        _fill(book, MIXED)
        for month in closed:
            book.close_period(month)
        book.bill_run("2026-10")
        return planned, _dump(book)
    finally:
        book.close()


def test_closed_past_months_keep_the_compact_path(
    open_book: Callable[[str], Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    open_planned, open_rows = _bill(open_book, "open", (), monkeypatch)
    closed_planned, closed_rows = _bill(open_book, "closed", ("2026-08", "2026-09"), monkeypatch)
    assert open_planned
    assert closed_planned == open_planned
    for table in _ROWS:
        assert closed_rows[table] == open_rows[table], table


def test_a_closed_posting_month_still_refuses_the_run(
    open_book: Callable[[str], Book], monkeypatch: pytest.MonkeyPatch
) -> None:
    with pytest.raises(O2CError):
        _bill(open_book, "october", ("2026-10",), monkeypatch)
