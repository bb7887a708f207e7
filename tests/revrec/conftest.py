"""Fixtures: a fresh Book per test on SQLite and, when configured, on PostgreSQL."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from o2c.book import Book
from tests.book.clock import FakeClock
from tests.store.backends import BACKENDS, book_url


@pytest.fixture(params=BACKENDS)
def book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Book]:
    """A migrated book on each backend, actor ``ana``, the clock at 2026-10-01 09:00 UTC."""
    clock = FakeClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC))
    with book_url(request.param, tmp_path) as url:
        opened = Book.open(url, actor="ana", clock=clock)
        try:
            yield opened
        finally:
            opened.close()
