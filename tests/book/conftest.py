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
def book_location(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty book location on each backend."""
    with book_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def clock() -> FakeClock:
    """A clock that stands still at 2026-10-01 09:00 UTC until moved."""
    return FakeClock(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC))


@pytest.fixture
def book(book_location: str, clock: FakeClock) -> Iterator[Book]:
    """A migrated, empty book whose default actor is ``ana``."""
    opened = Book.open(book_location, actor="ana", clock=clock)
    try:
        yield opened
    finally:
        opened.close()
