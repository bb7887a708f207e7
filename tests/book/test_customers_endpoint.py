"""A customer's Peppol endpoint: stored, carried on the document, and old rows still load."""

from __future__ import annotations

import json

import attrs

from o2c.book import Book
from o2c.parties import ElectronicAddress
from tests.book.factories import customer, invoice_draft

GLN = ElectronicAddress("0088", "4012345000009")


def _drop_key(book: Book, table: str, column: str, key_column: str, key: str) -> None:
    """Rewrite one stored JSON cell as a book written before ``electronic_address`` had it."""
    row = book.store.query_one(f"SELECT {column} FROM {table} WHERE {key_column} = ?", (key,))
    assert row is not None
    data = row[0] if isinstance(row[0], dict) else json.loads(row[0])
    assert data.pop("electronic_address") is None
    with book.store.transaction():
        book.store.execute(
            f"UPDATE {table} SET {column} = ? WHERE {key_column} = ?",
            (json.dumps(data, sort_keys=True), key),
        )


def test_customer_endpoint_is_stored_and_read_back(book: Book) -> None:
    acme = attrs.evolve(customer("C1"), electronic_address=GLN)
    book.add_customer(acme)
    assert book.get_customer("C1").electronic_address == GLN


def test_draft_for_a_customer_with_an_endpoint_carries_it_on_its_snapshot(book: Book) -> None:
    book.add_customer(attrs.evolve(customer("C1"), electronic_address=GLN))
    draft = invoice_draft("D-1")
    stored = book.create_draft(
        attrs.evolve(draft, customer=attrs.evolve(draft.customer, electronic_address=GLN))
    )
    assert book.get_document(str(stored.id)).customer.electronic_address == GLN


def test_customer_stored_before_endpoints_loads_without_one(book: Book) -> None:
    book.add_customer(customer("C1"))
    _drop_key(book, "customers", "data", "id", "C1")
    assert book.get_customer("C1") == customer("C1")
    assert book.get_customer("C1").electronic_address is None


def test_document_snapshot_stored_before_endpoints_loads_without_one(book: Book) -> None:
    book.add_customer(customer("C1"))
    stored = book.create_draft(invoice_draft("D-1"))
    _drop_key(book, "documents", "customer_snapshot", "id", str(stored.id))
    loaded = book.get_document(str(stored.id))
    assert loaded.customer == stored.customer
    assert loaded.customer.electronic_address is None
