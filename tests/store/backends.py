"""Where the store and Book tests run: SQLite always, PostgreSQL when configured.

``O2C_TEST_POSTGRES_URL`` names a PostgreSQL database (CI sets it when the server at
127.0.0.1:5432 answers). Every test gets its own schema there, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from o2c.store import PostgresStore

POSTGRES_ENV = "O2C_TEST_POSTGRES_URL"
BACKENDS = ("sqlite", "postgres")


def postgres_url() -> str | None:
    """The PostgreSQL test URL, or ``None`` when unset."""
    return os.environ.get(POSTGRES_ENV) or None


@contextmanager
def book_url(backend: str, tmp_path: Path) -> Iterator[str]:
    """Yield a fresh, empty book URL on ``backend``; drop it afterwards."""
    if backend == "sqlite":
        yield str(tmp_path / "book.o2c")
        return
    base = postgres_url()
    if base is None:
        pytest.skip(f"PostgreSQL tests need {POSTGRES_ENV} (e.g. postgresql://127.0.0.1:5432/test)")
    schema = f"o2c_test_{uuid.uuid4().hex[:12]}"
    sep = "&" if "?" in base else "?"
    url = f"{base}{sep}schema={schema}"
    try:
        yield url
    finally:
        cleanup = PostgresStore(base, schema=schema)
        try:
            cleanup.drop_schema()
        finally:
            cleanup.close()
