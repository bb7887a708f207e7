"""Fixtures of the equivalence tests."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from pathlib import Path

import pytest

from o2c.book import Book
from tests.book.clock import FakeClock
from tests.store.backends import BACKENDS, book_url


@pytest.fixture(params=BACKENDS)
def open_book(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[[str], Book]]:
    """Open a fresh book (by name) on the backend, with a clock that stands still."""
    with ExitStack() as stack:

        def opener(name: str) -> Book:
            folder = tmp_path / name
            folder.mkdir(exist_ok=True)
            url = stack.enter_context(book_url(request.param, folder))
            clock = FakeClock(dt.datetime(2026, 11, 2, 9, 0, tzinfo=dt.UTC))
            return Book.open(url, actor="ana", clock=clock)

        yield opener
