"""PostgreSQL roles: writers run o2c but cannot edit what o2c made append-only.

Run against the real server with login roles of their own (created and dropped here).
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from o2c.book import Book
from o2c.cases import ApprovalRequest
from o2c.errors import O2CError, PermissionDenied, StoreError
from o2c.store import PostgresStore, install_postgres_roles, open_store, postgres_role_names
from tests.book.factories import customer, invoice_draft
from tests.store.backends import book_url, postgres_url

DAY = dt.date(2026, 10, 1)


@pytest.fixture
def team(tmp_path: Path) -> Iterator[tuple[str, dict[str, str], dict[str, str]]]:
    """A book with its roles installed, and a login role per kind: (url, roles, users)."""
    base = postgres_url()
    if base is None:
        pytest.skip("needs O2C_TEST_POSTGRES_URL (e.g. postgresql://127.0.0.1:5432/test)")
    with book_url("postgres", tmp_path) as url:
        with Book.open(url, actor="ana") as book:
            book.add_customer(customer("C1"))
            roles = install_postgres_roles(book.store)
            schema = url.rsplit("schema=", 1)[1]
        assert roles == postgres_role_names(schema)
        tag = uuid.uuid4().hex[:8]
        users = {kind: f"o2c_t_{kind}_{tag}" for kind in ("reader", "writer", "approver")}
        admin = PostgresStore(base)
        try:
            with admin.transaction():
                for kind, user in users.items():
                    admin.execute(f'CREATE ROLE "{user}" LOGIN IN ROLE "{roles[kind]}"')
            yield url, roles, users
        finally:
            with admin.transaction():
                for name in [*users.values(), *reversed(list(roles.values()))]:
                    admin.execute(f'DROP OWNED BY "{name}"')
                    admin.execute(f'DROP ROLE "{name}"')
            admin.close()


def _as(url: str, user: str) -> str:
    return url.replace("postgresql://", f"postgresql://{user}@", 1)


def _raw(url: str, user: str, sql: str) -> None:
    """Run ``sql`` as ``user`` with psql-like access to the book's schema."""
    conninfo, _, schema = url.partition("?schema=")
    with psycopg.connect(_as(conninfo, user), autocommit=True) as con:
        con.execute(f'SET search_path TO "{schema}"')
        con.execute(sql)


def test_a_writer_runs_o2c_but_cannot_edit_an_issued_invoice_or_the_journal(
    team: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, _roles, users = team
    writer = _as(url, users["writer"])
    with Book.open(writer) as book:
        issued = book.create_invoice(invoice_draft("X-1"), issue_date=DAY)
        draft = book.create_invoice(invoice_draft("X-2"), issue=False, issue_date=DAY)
        book.issue_document(draft.id, issue_date=DAY)
        book.void_document(draft.id, reason="sent twice", date=DAY)
        assert book.verify_audit() == ()
    for sql in (
        f"UPDATE documents SET net_minor = 1 WHERE id = '{issued.id}'",
        f"UPDATE documents SET status = 'void' WHERE id = '{issued.id}'"
        " AND voided_at IS NULL AND false",  # (no row: allowed, changes nothing)
        "UPDATE journal_lines SET amount_minor = amount_minor + 1",
        "DELETE FROM journal_entries",
        "UPDATE audit_events SET actor = 'mallory'",
        "DELETE FROM document_lines",
    ):
        if "AND false" in sql:
            _raw(url, users["writer"], sql)
            continue
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="append-only"):
            _raw(url, users["writer"], sql)
    with Book.open(writer) as book:
        assert book.get_document(issued.id).totals == issued.totals
        assert book.verify_audit() == ()


def test_a_reader_reads_and_cannot_write(
    team: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, _roles, users = team
    with Book.open(_as(url, users["reader"])) as book:
        assert [c.id for c in book.list_customers()] == ["C1"]
        with pytest.raises(PermissionDenied, match="database refused it: permission denied"):
            book.add_customer(customer("C2"))
    store = open_store(url)
    try:
        with store.transaction():
            assert store.query("SELECT COUNT(*) FROM customers") == [(1,)]
    finally:
        store.close()


def test_roles_are_for_postgresql_books(tmp_path: Path) -> None:
    with (
        Book.open(tmp_path / "book.o2c", actor="ana") as book,
        pytest.raises(StoreError, match="PostgreSQL books only"),
    ):
        install_postgres_roles(book.store)


def test_the_cli_installs_the_roles_and_refuses_a_sqlite_book(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from o2c.cli import cli

    runner = CliRunner()
    Book.open(tmp_path / "b.o2c", actor="ana").close()
    sqlite = runner.invoke(cli, ["--book", str(tmp_path / "b.o2c"), "db", "roles"])
    assert sqlite.exit_code == 1
    assert "database roles exist on PostgreSQL books only" in sqlite.output
    if postgres_url() is None:
        return
    with book_url("postgres", tmp_path) as url:
        Book.open(url, actor="ana").close()
        done = runner.invoke(cli, ["--book", url, "--format", "json", "db", "roles"])
        assert done.exit_code == 0, done.output
        schema = url.rsplit("schema=", 1)[1]
        assert f'"role": "o2c_{schema}_writer"' in done.output
        admin = PostgresStore(url)
        try:
            with admin.transaction():
                for name in reversed(list(postgres_role_names(schema).values())):
                    admin.execute(f'DROP OWNED BY "{name}"')
                    admin.execute(f'DROP ROLE "{name}"')
        finally:
            admin.close()


def test_init_team_refuses_a_sqlite_book_and_sets_up_roles_on_postgresql(
    tmp_path: Path,
) -> None:
    from click.testing import CliRunner

    from o2c.cli import cli

    runner = CliRunner()
    file = tmp_path / "team.o2c"
    refused = runner.invoke(cli, ["--book", str(file), "init", "--team"])
    assert refused.exit_code == 2
    assert "--team needs a PostgreSQL book" in refused.output
    assert not file.exists()
    if postgres_url() is None:
        return
    with book_url("postgres", tmp_path) as url:
        done = runner.invoke(cli, ["--book", url, "--format", "json", "init", "--team"])
        assert done.exit_code == 0, done.output
        schema = url.rsplit("schema=", 1)[1]
        roles = postgres_role_names(schema)
        assert roles["approver"] in done.output
        admin = PostgresStore(url)
        try:
            with admin.transaction():
                for name in reversed(list(roles.values())):
                    admin.execute(f'DROP OWNED BY "{name}"')
                    admin.execute(f'DROP ROLE "{name}"')
        finally:
            admin.close()


def test_with_roles_installed_the_actor_is_the_database_role_and_four_eyes_hold(
    team: tuple[str, dict[str, str], dict[str, str]],
) -> None:
    url, _roles, users = team
    luis, carmen = users["writer"], users["approver"]
    with Book.open(url) as admin:
        admin.assign_role(admin.store.current_user(), "controller")  # type: ignore[attr-defined]
        admin.assign_role(luis, "specialist")
        admin.assign_role(carmen, "lead")
        admin.set_policy_settings({"approval.void.USD": "1.00 lead"})
    # Luis's session claims to be Carmen: the database says it is Luis.
    with Book.open(_as(url, luis), actor="carmen") as book:
        issued = book.create_invoice(invoice_draft("X-9"), issue_date=DAY)
        held = book.request_void(issued.id, reason="wrong customer", date=DAY)
        assert isinstance(held, ApprovalRequest)
        assert held.requested_by == luis
        last = book.audit_log()[-1]
        assert (last.actor, last.db_user) == (luis, luis)
        assert '"app_identity":"carmen"' in last.args
        with pytest.raises(O2CError, match=luis):
            book.approve_request(held.id, date=DAY)
    with Book.open(_as(url, carmen)) as book:
        book.approve_request(held.id, date=DAY)
        assert book.get_document(issued.id).status.value == "void"
        assert book.verify_audit() == ()
