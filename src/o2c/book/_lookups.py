"""Finding documents, credit sources and customers by what a caller names them by.

Commands take a document's id or its number, and a credit's source as a payment id or
a credit note's id or number; these use cases resolve them (or raise
:class:`~o2c.errors.NotFound`) and load documents for the documents, payments and
cases areas.
"""

from __future__ import annotations

from collections.abc import Sequence

from o2c.billing import Document, DocumentKind, DocumentStatus
from o2c.book._session import Session
from o2c.book._tables import customers as customers_table
from o2c.book._tables import documents as documents_table
from o2c.book._tables import payments as payments_table
from o2c.errors import NotFound
from o2c.ids import DocumentId

__all__ = [
    "customer_of_source",
    "document_id",
    "get_document",
    "list_documents",
    "load_documents",
    "load_for_update",
    "new_document_id",
    "new_document_ids",
    "prior_credits",
    "require_customer",
    "source_id",
]

#: Documents loaded per query when listing many.
_PAGE = 500


def require_customer(session: Session, customer_id: str) -> None:
    """Refuse a command for a customer the book does not have.

    Raises:
        NotFound: No such customer.
    """
    if not customers_table.exists(session.store, customer_id):
        raise NotFound("customer", customer_id, hint="add the customer first")


def new_document_ids(session: Session, count: int) -> list[DocumentId]:
    """``count`` new document ids (``D0000000042``), in order."""
    first = session.next_numbers("document", count)
    return [DocumentId(f"D{n:010d}") for n in range(first, first + count)]


def new_document_id(session: Session) -> DocumentId:
    """A fresh document id for a draft built outside the book (``Book.new_document_id``).

    It reserves a number, so it needs the permission to create drafts.
    """
    with session.store.transaction():
        session.authorize("create_draft", None)
        return new_document_ids(session, 1)[0]


def load_documents(session: Session, ids: Sequence[str]) -> list[Document]:
    """The stored documents with these ids, in the order given (unknown ids left out)."""
    return documents_table.load_documents(session.store, ids, session.converter())


def get_document(session: Session, id_or_number: str) -> Document:
    """The document with this id or number (``Book.get_document``).

    Raises:
        NotFound: No such document.
    """
    found = documents_table.find_id(session.store, id_or_number)
    if found is None:
        raise NotFound("document", id_or_number)
    return load_documents(session, [found])[0]


def load_for_update(session: Session, document_id: str) -> Document:
    """The document with this id (or, failing that, this number), inside a command.

    Raises:
        NotFound: No such document.
    """
    docs = load_documents(session, [document_id])
    if not docs:
        found = documents_table.id_of_number(session.store, document_id)
        if found is not None:
            docs = load_documents(session, [found])
    if not docs:
        raise NotFound("document", document_id)
    return docs[0]


def list_documents(
    session: Session,
    *,
    customer: str | None = None,
    kind: DocumentKind | str | None = None,
    status: DocumentStatus | str | None = None,
    bill_run: str | None = None,
    limit: int | None = None,
) -> list[Document]:
    """Documents ordered by id (creation order), optionally filtered."""
    ids = documents_table.document_ids(
        session.store,
        customer=customer,
        kind=None if kind is None else DocumentKind(kind).value,
        status=None if status is None else DocumentStatus(status).value,
        bill_run=bill_run,
        limit=limit,
    )
    found: list[Document] = []
    for start in range(0, len(ids), _PAGE):
        found.extend(load_documents(session, ids[start : start + _PAGE]))
    return found


def document_id(session: Session, id_or_number: str) -> str:
    """The id of the document with this id or, when no document has that id, number.

    Raises:
        NotFound: No such document.
    """
    store = session.store
    if documents_table.exists(store, id_or_number):
        return id_or_number
    found = documents_table.id_of_number(store, id_or_number)
    if found is None:
        raise NotFound("document", id_or_number)
    return found


def source_id(session: Session, source: str) -> str:
    """The payment or credit note id that ``source`` (an id or a number) names.

    ``source`` itself when it names neither (the caller then finds no credit).
    """
    # A payment id is the key itself (one index probe); only otherwise look for a
    # credit note number, which no index leads with.
    store = session.store
    if payments_table.payment_exists(store, source):
        return source
    found = documents_table.id_of_number(store, source, kind=DocumentKind.CREDIT_NOTE.value)
    return source if found is None else found


def customer_of_source(session: Session, source: str) -> str:
    """The customer of the payment or credit note ``source`` names.

    Raises:
        NotFound: No such payment or credit note.
    """
    sid = source_id(session, source)
    store = session.store
    customer = payments_table.customer_of_payment(store, sid)
    if customer is None:
        customer = documents_table.customer_of(store, sid)
    if customer is None:
        raise NotFound("payment or credit note", source)
    return customer


def prior_credits(session: Session, invoice_id: str) -> list[Document]:
    """The credit notes (not void, drafts included) already made on an invoice."""
    return load_documents(session, documents_table.credit_note_ids(session.store, invoice_id))
