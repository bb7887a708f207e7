"""Fixtures: a fresh store per test on every configured backend."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from o2c.store import Store, migrate, open_store
from tests.store.backends import BACKENDS, book_url


@pytest.fixture(params=BACKENDS)
def store_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty book URL (SQLite file or a PostgreSQL schema of its own)."""
    with book_url(request.param, tmp_path) as url:
        yield url


@pytest.fixture
def store(store_url: str) -> Iterator[Store]:
    """A migrated store, closed afterwards."""
    opened = open_store(store_url)
    migrate(opened)
    try:
        yield opened
    finally:
        opened.close()
