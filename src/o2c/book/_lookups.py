"""Finding documents, credit sources and customers by what a caller names them by.

Commands take a document's id or its number, and a credit's source as a payment id or
a credit note's id or number; these use cases resolve them (or raise
:class:`~o2c.errors.NotFound`) and load documents for the documents, payments and
cases areas.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Sequence

from o2c.billing import Document, DocumentKind, DocumentStatus
from o2c.book._session import Session
from o2c.book._tables import customers as customers_table
from o2c.book._tables import documents as documents_table
from o2c.book._tables import payments as payments_table
from o2c.errors import NotFound, ValidationError
from o2c.ids import DocumentId

__all__ = [
    "check_page",
    "customer_of_source",
    "document_id",
    "document_numbers",
    "get_document",
    "iter_documents",
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


def check_page(start: dt.date | None, end: dt.date | None, limit: int | None) -> None:
    """Refuse a list range that ends before it starts or a limit under 1.

    Raises:
        ValidationError: ``end`` before ``start`` (field ``end``) or ``limit`` below 1.
    """
    if start is not None and end is not None and end < start:
        raise ValidationError("end", end.isoformat(), f"a day on or after {start.isoformat()}")
    if limit is not None and limit < 1:
        raise ValidationError("limit", limit, "a number of 1 or more")


def _document_cursor(session: Session, after: str | None) -> str | None:
    if after is None:
        return None
    found = documents_table.find_id(session.store, after)
    if found is None:
        raise NotFound("document", after, hint="--after takes a document number or id")
    return found


def _page_ids(
    session: Session,
    *,
    customer: str | None,
    kind: DocumentKind | str | None,
    status: DocumentStatus | str | None,
    bill_run: str | None,
    start: dt.date | None,
    end: dt.date | None,
    after: str | None,
    limit: int | None,
) -> list[str]:
    return documents_table.document_ids(
        session.store,
        customer=customer,
        kind=None if kind is None else DocumentKind(kind).value,
        status=None if status is None else DocumentStatus(status).value,
        bill_run=bill_run,
        start=None if start is None else start.isoformat(),
        end=None if end is None else end.isoformat(),
        after=after,
        limit=limit,
    )


def list_documents(
    session: Session,
    *,
    customer: str | None = None,
    kind: DocumentKind | str | None = None,
    status: DocumentStatus | str | None = None,
    bill_run: str | None = None,
    limit: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: str | None = None,
) -> list[Document]:
    """Documents ordered by id (creation order), optionally filtered (``Book.list_documents``)."""
    return list(
        iter_documents(
            session,
            customer=customer,
            kind=kind,
            status=status,
            bill_run=bill_run,
            limit=limit,
            start=start,
            end=end,
            after=after,
        )
    )


def iter_documents(
    session: Session,
    *,
    customer: str | None = None,
    kind: DocumentKind | str | None = None,
    status: DocumentStatus | str | None = None,
    bill_run: str | None = None,
    limit: int | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    after: str | None = None,
) -> Iterator[Document]:
    """The documents of :func:`list_documents`, read a page at a time (``Book.iter_documents``).

    Each page of ids is read after the last id of the one before (a keyset cursor), so
    memory holds one page however many documents match.
    """
    check_page(start, end, limit)
    cursor = _document_cursor(session, after)
    left = limit
    while left is None or left > 0:
        size = _PAGE if left is None else min(_PAGE, left)
        ids = _page_ids(
            session,
            customer=customer,
            kind=kind,
            status=status,
            bill_run=bill_run,
            start=start,
            end=end,
            after=cursor,
            limit=size,
        )
        if not ids:
            return
        yield from load_documents(session, ids)
        if len(ids) < size:
            return
        cursor = ids[-1]
        left = None if left is None else left - len(ids)


def document_numbers(session: Session, ids: Sequence[str]) -> dict[str, str]:
    """What a person calls each document of ``ids``: its number, or its id while a draft.

    One query per 500 ids, for tables that show documents by number (``Book.document_numbers``).
    Unknown ids are left out.
    """
    found = documents_table.numbers_of(session.store, ids)
    return {doc_id: number or doc_id for doc_id, number in found.items()}


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
