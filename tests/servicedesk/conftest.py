"""Fixtures: a service-desk book on each backend, with two customers and two invoices."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from o2c.book import Book
from tests.book.clock import FakeClock
from tests.book.factories import customer, invoice_draft
from tests.store.backends import BACKENDS, book_url

#: Monday 14 September 2026, 08:00 UTC: the week of Mexico's Independence Day (Wed 16).
MON = dt.datetime(2026, 9, 14, 8, 0, tzinfo=dt.UTC)


def at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    """A moment of September 2026, UTC."""
    return dt.datetime(2026, 9, day, hour, minute, tzinfo=dt.UTC)


@pytest.fixture
def clock() -> FakeClock:
    """A clock that stands at Monday 14 September 2026 08:00 UTC until moved."""
    return FakeClock(MON)


@pytest.fixture(params=BACKENDS)
def desk(request: pytest.FixtureRequest, tmp_path: Path, clock: FakeClock) -> Iterator[Book]:
    """A book (MX calendar, UTC, desk hours 09:00-18:00) with customers C1 and C2 and an
    issued invoice each (INV-2026-000001 for C1, INV-2026-000002 for C2, 14 September)."""
    with book_url(request.param, tmp_path) as url:
        book = Book.open(url, actor="ana", clock=clock)
        try:
            book.add_customer(customer("C1"))
            book.add_customer(customer("C2", name="Globex"))
            for doc_id, cid in (("D-1", "C1"), ("D-2", "C2")):
                book.create_draft(invoice_draft(doc_id, cid))
                book.issue_document(doc_id, issue_date=dt.date(2026, 9, 14))
            book.set_service_desk_settings(
                {
                    "servicedesk.hours": "09:00-18:00",
                    "servicedesk.sla.normal": "4/18",
                    "servicedesk.sla.high": "2/9",
                }
            )
            yield book
        finally:
            book.close()
