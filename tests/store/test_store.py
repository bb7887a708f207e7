"""The store layer on SQLite and PostgreSQL: transactions, exact values, migrations."""

from __future__ import annotations

import sqlite3
from decimal import Decimal
from pathlib import Path

import pytest

from o2c.errors import Conflict, StoreError
from o2c.store import (
    MIGRATIONS,
    SCHEMA_VERSION,
    Dialect,
    SqliteStore,
    Store,
    migrate,
    open_store,
    schema_version,
    split_schema,
)

NOW = "2026-10-01T09:00:00+00:00"


def _customer(store: Store, cid: str = "C1") -> None:
    store.execute(
        "INSERT INTO currencies (code, minor_units) VALUES ('USD', 2) ON CONFLICT DO NOTHING"
    )
    store.execute(
        "INSERT INTO customers (id, name, currency, payment_terms, time_zone, status, version,"
        " data, created_at, updated_at) VALUES (?, 'Acme', 'USD', 'net 30', 'UTC', 'active',"
        " 1, '{}', ?, ?)",
        (cid, NOW, NOW),
    )


def test_open_migrates_to_the_latest_schema_version(store: Store) -> None:
    assert schema_version(store) == SCHEMA_VERSION == len(MIGRATIONS)


def test_failed_transaction_leaves_no_trace(store: Store) -> None:
    class Boom(Exception):
        pass

    def halfway() -> None:
        with store.transaction():
            _customer(store, "C1")
            raise Boom

    with pytest.raises(Boom):
        halfway()
    with store.transaction():
        assert store.query("SELECT COUNT(*) FROM customers") == [(0,)]


def test_nested_transaction_joins_the_outer_one(store: Store) -> None:
    def outer_fails() -> None:
        with store.transaction():
            with store.transaction():
                _customer(store, "C1")
            assert store.in_transaction
            raise RuntimeError("outer fails")

    with pytest.raises(RuntimeError):
        outer_fails()
    assert store.query("SELECT COUNT(*) FROM customers") == [(0,)]


def test_writes_outside_a_transaction_are_refused(store: Store) -> None:
    with pytest.raises(StoreError, match=r"store\.transaction"):
        store.execute("DELETE FROM customers")


def test_unique_violation_is_a_conflict(store: Store) -> None:
    with store.transaction():
        _customer(store, "C1")
    with pytest.raises(Conflict), store.transaction():
        _customer(store, "C1")


def test_money_sums_are_exact_in_minor_units(store: Store) -> None:
    with store.transaction():
        _customer(store)
        store.execute(
            "INSERT INTO journal_entries (id, entry_date, kind, source, reference, memo,"
            " created_at) VALUES ('E1', '2026-10-01', 'invoice', 'D1', '', '', ?)",
            (NOW,),
        )
        rows = [("E1", n, "1100", "USD", 10, "C1", "D1", "2026-10-01") for n in range(1, 1001)]
        store.executemany(
            "INSERT INTO journal_lines (entry_id, line_no, account, currency, amount_minor,"
            " customer_id, item, entry_date) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            rows,
        )
        total = store.query_one("SELECT SUM(amount_minor) FROM journal_lines")
    assert total is not None
    assert int(total[0]) == 10_000


def test_unit_prices_and_quantities_round_trip_exactly(store: Store) -> None:
    with store.transaction():
        _customer(store)
        store.execute(
            "INSERT INTO usage_records (id, customer_id, item, quantity, occurred_at,"
            " received_at) VALUES ('U1', 'C1', 'api', ?, ?, ?)",
            ("1234567.000420000001", NOW, NOW),
        )
        row = store.query_one("SELECT quantity FROM usage_records WHERE id = 'U1'")
    assert row is not None
    assert Decimal(str(row[0])) == Decimal("1234567.000420000001")


def test_usage_ids_are_unique_so_a_duplicate_is_ignored(store: Store) -> None:
    sql = (
        "INSERT INTO usage_records (id, customer_id, item, quantity, occurred_at, received_at)"
        " VALUES (?, 'C1', 'api', '1', ?, ?) ON CONFLICT (id) DO NOTHING"
    )
    with store.transaction():
        _customer(store)
        store.executemany(sql, [("U1", NOW, NOW), ("U1", NOW, NOW), ("U2", NOW, NOW)])
    assert store.query("SELECT COUNT(*) FROM usage_records") == [(2,)]


def test_book_written_by_schema_version_1_migrates(store_url: str) -> None:
    old = open_store(store_url)
    try:
        assert migrate(old, target=1) == 1
        with old.transaction():
            _customer(old, "C-OLD")
    finally:
        old.close()
    reopened = open_store(store_url)
    try:
        assert schema_version(reopened) == 1
        assert migrate(reopened) == SCHEMA_VERSION
        rows = reopened.query("SELECT id FROM customers")
        assert rows == [("C-OLD",)]
        with reopened.transaction():
            reopened.execute(
                "INSERT INTO notes (id, customer_id, channel, summary, first_contact_resolution,"
                " handle_seconds, actor, created_at) VALUES ('N1', 'C-OLD', 'phone', 'hi', 1,"
                " 60, 'ana', ?)",
                (NOW,),
            )
        assert migrate(reopened) == SCHEMA_VERSION
    finally:
        reopened.close()


def test_a_book_from_a_newer_o2c_is_refused(store: Store) -> None:
    with store.transaction():
        store.execute(
            "INSERT INTO schema_version (version, name, applied_at) VALUES (?, 'future', ?)",
            (SCHEMA_VERSION + 1, NOW),
        )
    with pytest.raises(StoreError, match="newer"):
        migrate(store)


def test_sqlite_store_uses_wal_and_foreign_keys(tmp_path: Path) -> None:
    store = SqliteStore(tmp_path / "b.o2c")
    try:
        assert store.query("PRAGMA journal_mode") == [("wal",)]
        assert store.query("PRAGMA foreign_keys") == [(1,)]
    finally:
        store.close()
    con = sqlite3.connect(tmp_path / "b.o2c")
    assert con.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    con.close()


def test_foreign_keys_are_enforced(store: Store) -> None:
    with pytest.raises(Conflict), store.transaction():
        store.execute(
            "INSERT INTO contracts (id, customer_id, currency, status, effective_from, version,"
            " data, created_at) VALUES ('K1', 'NOBODY', 'USD', 'active', '2026-01-01', 1, '{}',"
            " ?)",
            (NOW,),
        )


@pytest.mark.parametrize(
    ("url", "dialect"),
    [(":memory:", Dialect.SQLITE), ("sqlite:///:memory:", Dialect.SQLITE)],
)
def test_open_store_understands_paths_and_sqlite_urls(url: str, dialect: Dialect) -> None:
    store = open_store(url)
    try:
        assert store.dialect is dialect
    finally:
        store.close()


def test_open_store_refuses_an_unknown_scheme() -> None:
    with pytest.raises(StoreError, match="mysql"):
        open_store("mysql://localhost/book")


def test_postgres_schema_option_is_split_from_the_url() -> None:
    assert split_schema("postgresql://h/db?schema=o2c_x") == ("postgresql://h/db", "o2c_x")
    with pytest.raises(StoreError, match="identifier"):
        split_schema("postgresql://h/db?schema=x;drop")
