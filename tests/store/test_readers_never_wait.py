"""Readers never wait for writers, and writers never wait without limit.

A bill run holds the book's write lock for as long as it writes. Opening the book to read
a report (the migration check included) must not queue behind it on either store, and a
second writer is told the book is busy after the lock timeout instead of hanging.
"""

from __future__ import annotations

import sqlite3
import threading
import uuid
from collections.abc import Callable, Generator, Iterator
from pathlib import Path

import pytest

from o2c import Book
from o2c.errors import Conflict
from o2c.ids import CustomerId
from o2c.money import Currency
from o2c.parties import Customer
from o2c.store import PostgresStore, SqliteStore, open_store
from tests.store.backends import BACKENDS, book_url, postgres_url

#: Longer than any honest read of a tiny book, far shorter than the 30 s lock timeout.
PATIENCE_S = 10.0


def _within(seconds: float, work: Callable[[], object]) -> object:
    """Run ``work`` in a thread; fail when it has not finished after ``seconds``."""
    outcome: dict[str, object] = {}

    def target() -> None:
        try:
            outcome["value"] = work()
        except BaseException as error:
            outcome["error"] = error

    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still waiting after {seconds} s: it queued behind the writer"
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["value"]


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    with book_url(request.param, tmp_path) as found:
        with Book.open(found, actor="ana") as book:
            book.add_customer(Customer(CustomerId("C1"), "Acme", None, "MX", Currency.of("MXN")))
        yield found


def _hold_write_lock(url: str) -> Generator[None, None, None]:
    """Hold the book's write lock (as a running bill run does) until the generator ends."""
    if url.startswith("postgresql"):
        store = open_store(url)
        try:
            with store.transaction():
                yield
        finally:
            store.close()
        return
    con = sqlite3.connect(url, isolation_level=None)
    try:
        con.execute("BEGIN IMMEDIATE")
        con.execute("UPDATE settings SET value = value WHERE 0")
        yield
        con.execute("ROLLBACK")
    finally:
        con.close()


def test_a_report_opens_and_reads_while_a_writer_holds_the_book(url: str) -> None:
    holder = _hold_write_lock(url)
    next(holder)
    try:

        def read() -> list[str]:
            with Book.open(url, actor="ana") as book:
                return [c.legal_name for c in book.list_customers()]

        assert _within(PATIENCE_S, read) == ["Acme"]
    finally:
        holder.close()


def test_a_second_writer_is_told_the_book_is_busy_after_the_lock_timeout(url: str) -> None:
    holder = _hold_write_lock(url)
    next(holder)
    try:

        def write() -> None:
            if url.startswith("postgresql"):
                sep = "&" if "?" in url else "?"
                store = open_store(f"{url}{sep}lock_timeout_ms=200")
            else:
                store = SqliteStore(url, busy_timeout_ms=200)
            try:
                with store.transaction():
                    store.execute("UPDATE settings SET value = value WHERE 0")
            finally:
                store.close()

        with pytest.raises(Conflict, match="busy"):
            _within(PATIENCE_S, write)
    finally:
        holder.close()


def test_opening_a_book_needs_no_create_privilege_on_postgresql(tmp_path: Path) -> None:
    base = postgres_url()
    if base is None:
        pytest.skip("needs O2C_TEST_POSTGRES_URL (e.g. postgresql://127.0.0.1:5432/test)")
    role = f"o2c_reader_{uuid.uuid4().hex[:10]}"
    with book_url("postgres", tmp_path) as url:
        with Book.open(url, actor="ana") as book:
            book.add_customer(Customer(CustomerId("C1"), "Acme", None, "MX", Currency.of("MXN")))
            schema = url.rsplit("schema=", 1)[1]
        admin = PostgresStore(base)
        try:
            with admin.transaction():
                admin.execute(f'CREATE ROLE "{role}" LOGIN')
                admin.execute(f'REVOKE CREATE ON DATABASE test FROM "{role}"')
                admin.execute(f'GRANT USAGE ON SCHEMA "{schema}" TO "{role}"')
                admin.execute(f'GRANT SELECT ON ALL TABLES IN SCHEMA "{schema}" TO "{role}"')
            try:
                user_url = url.replace("postgresql://", f"postgresql://{role}@", 1)
                with Book.open(user_url) as reader:
                    assert [c.id for c in reader.list_customers()] == ["C1"]
            finally:
                with admin.transaction():
                    admin.execute(f'DROP OWNED BY "{role}"')
                    admin.execute(f'DROP ROLE "{role}"')
        finally:
            admin.close()
