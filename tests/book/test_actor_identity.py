"""Who acts on a PostgreSQL book: the database user, or the identity an application vouches for.

A book opened on PostgreSQL without an actor acts as the database session user: a command
naming anyone else is refused (before, any actor name was accepted). An application that
authenticated its users opens the book with ``actor=`` and passes each user's name; every
audit event records the database user (``current_user``) beside that name.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from o2c.book import Book
from o2c.cases import ApprovalRequest, Role
from o2c.errors import PermissionDenied
from o2c.money import Money
from tests.book.factories import customer, invoice_draft
from tests.store.backends import book_url

OCT1 = dt.date(2026, 10, 1)


def _clock() -> dt.datetime:
    return dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


@pytest.mark.postgres
def test_a_book_opened_as_the_database_user_cannot_act_as_someone_else(tmp_path: Path) -> None:
    with book_url("postgres", tmp_path) as url, Book.open(url) as book:
        user = book.store.session_user()  # type: ignore[attr-defined]
        with pytest.raises(PermissionDenied) as refused:
            book.add_customer(customer("C1"), actor="mallory")
        assert str(refused.value).startswith(
            f"this PostgreSQL book acts as the database user {user!r}, not 'mallory'"
        )
        assert book.list_customers() == []
        assert book.audit_log() == []
        book.add_customer(customer("C1"))
        book.add_customer(customer("C2"), actor=f" {user.upper()} ")  # the same person
        assert {e.actor for e in book.audit_log()} == {user, user.upper()}


@pytest.mark.postgres
def test_an_application_passes_the_names_it_authenticated(tmp_path: Path) -> None:
    with book_url("postgres", tmp_path) as url, Book.open(url, actor="app") as book:
        book.add_customer(customer("C1"), actor="alice")
        book.add_customer(customer("C2"), actor="bob")
        assert [e.actor for e in book.audit_log()] == ["alice", "bob"]


@pytest.mark.postgres
def test_every_event_records_the_database_user_beside_the_actor(tmp_path: Path) -> None:
    with book_url("postgres", tmp_path) as url, Book.open(url, actor="app") as book:
        user = book.store.current_user()  # type: ignore[attr-defined]
        book.add_customer(customer("C1"), actor="alice")
        book.add_customer(customer("C2"), actor="bob")
        assert [(e.actor, e.db_user) for e in book.audit_log()] == [
            ("alice", user),
            ("bob", user),
        ]
        assert book.verify_audit() == ()
        # The hash covers it: a database user changed afterwards shows.
        with book.store.transaction():
            book.store.execute("UPDATE audit_events SET db_user = 'someone' WHERE seq = 1")
        assert [(p.seq, p.kind) for p in book.verify_audit()] == [(1, "edited")]


def test_sqlite_records_no_database_user(book_location: str) -> None:
    if book_location.startswith("postgresql"):
        pytest.skip("SQLite only")
    with Book.open(book_location, actor="ana") as book:
        book.add_customer(customer("C1"))
        [event] = book.audit_log()
        assert (event.actor, event.db_user) == ("ana", "")
        assert book.verify_audit() == ()


@pytest.mark.postgres
def test_an_approval_by_the_database_user_runs_the_request_as_its_requester(
    tmp_path: Path,
) -> None:
    with book_url("postgres", tmp_path) as url:
        with Book.open(url, actor="ana", clock=_clock) as app:
            user = app.store.session_user()  # type: ignore[attr-defined]
            app.add_customer(customer("C1"))
            app.create_draft(invoice_draft("D-1"))
            app.issue_document("D-1", issue_date=OCT1)
            app.set_policy_settings({"approval.refund.USD": "50.00 lead"})
            app.assign_role("ana", Role.SPECIALIST)
            app.assign_role(user, Role.LEAD, actor="ana")
            pay = app.record_payment("C1", Money.of("300.00", "USD"), date=OCT1)
            held = app.request_refund(pay.id, Money.of("60.00", "USD"), reason="overpaid")
            assert isinstance(held, ApprovalRequest)
        with Book.open(url, clock=_clock) as lead:
            decided = lead.approve_request(held.id, date=OCT1)
            assert decided.result_id is not None
            events = [(e.command, e.actor) for e in lead.audit_log()][-2:]
            assert events == [("refund", "ana"), ("approve_request", user)]
