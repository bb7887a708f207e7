"""Book basics: customers, idempotency, atomicity and the audit trail."""

from __future__ import annotations

import attrs
import pytest

from o2c.book import Book
from o2c.errors import Conflict, DuplicateCommand, NotFound, ValidationError
from o2c.store import SCHEMA_VERSION
from tests.book.factories import customer


def test_open_brings_the_schema_up_to_date(book: Book) -> None:
    assert book.schema_version() == SCHEMA_VERSION


def test_added_customer_reads_back_equal(book: Book) -> None:
    acme = customer("C1")
    assert book.add_customer(acme) == acme
    assert book.get_customer("C1") == acme
    assert book.list_customers() == [acme]


def test_updated_customer_keeps_its_id_and_shows_the_new_details(book: Book) -> None:
    book.add_customer(customer("C1"))
    renamed = attrs.evolve(customer("C1"), legal_name="Acme Holdings")
    book.update_customer(renamed, actor="bo")
    assert book.get_customer("C1").legal_name == "Acme Holdings"
    assert [e.actor for e in book.audit_log()] == ["ana", "bo"]


def test_same_idempotency_key_returns_the_first_result_and_creates_nothing(book: Book) -> None:
    first = book.add_customer(customer("C1"), idempotency_key="k-1")
    again = book.add_customer(customer("C1"), idempotency_key="k-1")
    assert first == again
    assert len(book.list_customers()) == 1
    assert len(book.audit_log()) == 1


def test_idempotency_key_reused_for_other_arguments_is_refused(book: Book) -> None:
    book.add_customer(customer("C1"), idempotency_key="k-1")
    with pytest.raises(DuplicateCommand, match="k-1"):
        book.add_customer(customer("C2"), idempotency_key="k-1")
    assert [c.id for c in book.list_customers()] == ["C1"]


def test_failed_command_leaves_no_trace(book: Book) -> None:
    book.add_customer(customer("C1"))
    with pytest.raises(Conflict):
        book.add_customer(customer("C1"), idempotency_key="dup")
    assert len(book.audit_log()) == 1
    assert book.store.query("SELECT COUNT(*) FROM idempotency") == [(0,)]


def test_unknown_customer_is_not_found(book: Book) -> None:
    with pytest.raises(NotFound, match="customer C9"):
        book.get_customer("C9")


def test_command_without_actor_is_refused(book_location: str) -> None:
    with Book.open(book_location) as anonymous:
        if anonymous.store.dialect.value == "postgresql":
            assert anonymous.add_customer(customer("C1")).id == "C1"
            assert anonymous.audit_log()[0].actor != ""
        else:
            with pytest.raises(ValidationError, match="actor"):
                anonymous.add_customer(customer("C1"))


def test_intact_audit_trail_verifies(book: Book) -> None:
    for n in range(3):
        book.add_customer(customer(f"C{n}"))
    assert book.verify_audit() == ()
    assert [e.seq for e in book.audit_log()] == [1, 2, 3]


def test_edited_audit_event_is_detected(book: Book) -> None:
    for n in range(3):
        book.add_customer(customer(f"C{n}"))
    with book.store.transaction():
        book.store.execute("UPDATE audit_events SET actor = 'mallory' WHERE seq = 2")
    problems = book.verify_audit()
    assert [(p.seq, p.kind) for p in problems] == [(2, "edited")]


def test_deleted_audit_event_is_detected(book: Book) -> None:
    for n in range(3):
        book.add_customer(customer(f"C{n}"))
    with book.store.transaction():
        book.store.execute("DELETE FROM audit_events WHERE seq = 2")
    assert [(p.seq, p.kind) for p in book.verify_audit()] == [(3, "missing")]


def test_deleted_last_audit_event_is_detected(book: Book) -> None:
    for n in range(3):
        book.add_customer(customer(f"C{n}"))
    with book.store.transaction():
        book.store.execute("DELETE FROM audit_events WHERE seq = 3")
    assert [(p.seq, p.kind) for p in book.verify_audit()] == [(3, "truncated")]


def test_book_open_without_create_refuses_a_missing_file(tmp_path: object) -> None:
    with pytest.raises(NotFound, match="book"):
        Book.open(f"{tmp_path}/missing.o2c", create=False)


def test_export_table_returns_columns_and_rows_and_refuses_unknown_names(book: Book) -> None:
    book.add_customer(customer("C1"))
    assert "customers" in book.table_names()
    columns, rows = book.export_table("customers")
    assert columns[:3] == ["id", "name", "currency"]
    assert [r[0] for r in rows] == ["C1"]
    with pytest.raises(ValidationError, match="table"):
        book.export_table("customers; DROP TABLE customers")
