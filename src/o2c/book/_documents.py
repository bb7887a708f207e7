"""Documents: drafts, issue (numbering + posting), void, credit and debit notes.

:class:`DocumentsMixin` is the Book's documents group; its commands are the use cases
of :mod:`o2c.book._issuing` (storing, numbering, posting, voiding, the approval gate),
:mod:`o2c.book._corrections` (credit and debit notes) and :mod:`o2c.book._lookups`
(finding and loading documents).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    NumberSeries,
    ReasonCode,
)
from o2c.book import _corrections as corrections
from o2c.book import _issuing as issuing
from o2c.book import _lookups as lookups
from o2c.book._area import Area
from o2c.book._issuing import document_kind
from o2c.ids import DocumentId
from o2c.money import Money

__all__ = ["DocumentsMixin", "document_kind"]


class DocumentsMixin(Area):
    """Invoices, credit notes and debit notes."""

    _snapshots: dict[CustomerSnapshot, str]

    def get_document(self, id_or_number: str) -> Document:
        """The document with this id or number.

        Raises:
            NotFound: No such document.
        """
        return lookups.get_document(self._session, id_or_number)

    def get_invoice(self, id_or_number: str) -> Document:
        """The document with this id or number (any kind); see :meth:`get_document`."""
        return self.get_document(id_or_number)

    def list_documents(
        self,
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
        """Documents ordered by id (creation order), optionally filtered.

        The filters are applied in the store's query, not to loaded documents.

        Args:
            customer: Only this customer's documents.
            kind: Only this kind (invoice, credit note, debit note).
            status: Only this status (draft, issued, void).
            bill_run: Only documents of this bill run.
            limit: At most this many (1 or more).
            start: Only documents issued on or after this day (drafts have no issue date).
            end: Only documents issued on or before this day: the last day, **included**,
                as every ``end`` of a list or export (``Book.kpis`` is the one exception,
                see its ``through``).
            after: A cursor: only documents created after this one (a number or id), so
                ``after=<last of a page>`` reads the next page.

        Raises:
            ValidationError: ``end`` is before ``start`` or ``limit`` is below 1.
            NotFound: ``after`` names no document.

        Example:
            >>> from o2c import Book
            >>> with Book.open(":memory:", create=True) as book:
            ...     book.list_documents(start=dt.date(2026, 10, 1), end=dt.date(2026, 10, 31))
            []
        """
        return lookups.list_documents(
            self._session,
            customer=customer,
            kind=kind,
            status=status,
            bill_run=bill_run,
            limit=limit,
            start=start,
            end=end,
            after=after,
        )

    def iter_documents(
        self,
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
        """:meth:`list_documents` as a stream: documents are read a page at a time.

        What ``o2c invoice list`` uses, so 100,000 documents never sit in memory at once.
        Takes the same filters; raises the same errors when the first page is read.
        """
        return lookups.iter_documents(
            self._session,
            customer=customer,
            kind=kind,
            status=status,
            bill_run=bill_run,
            limit=limit,
            start=start,
            end=end,
            after=after,
        )

    def document_numbers(self, ids: Sequence[str]) -> dict[str, str]:
        """Each document's number by id (a draft's id for a draft); unknown ids left out.

        For lists that name documents by id (allocations, write-offs, extensions): a
        person reads ``INV-2026-000001``, not ``D0000000001``. One query, not one per row.
        """
        return lookups.document_numbers(self._session, ids)

    def number_series(self, kind: DocumentKind | str) -> NumberSeries:
        """The number series documents of ``kind`` are numbered from.

        The default (``INV-{year}-{seq:06}``, ``CN-...``, ``DN-...``) unless the book's
        ``numbering.<kind>`` setting holds a pattern (see :meth:`set_number_series`).

        Raises:
            ValidationError: ``kind`` is not a document kind.
        """
        return issuing.number_series(self._session, kind)

    def create_draft(
        self, document: Document, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Document:
        """Store a draft document built with the billing core (drafts can still change).

        Raises:
            ValidationError: The document is not a draft.
            NotFound: Its customer is not in the book.
        """
        return issuing.create_draft(
            self._session, document, actor=actor, idempotency_key=idempotency_key
        )

    def create_invoice(
        self,
        draft: Document,
        *,
        issue: bool = True,
        issue_date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Store a manual invoice (a draft built with the billing core) and issue it.

        One command: the draft is stored, numbered and posted in one transaction.

        Args:
            draft: The draft invoice (see :func:`o2c.billing.draft_document`).
            issue: Issue it now; ``False`` keeps it a draft.
            issue_date: Issue date; today by default.
            actor: Who creates it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            ValidationError: ``draft`` is not a draft.
            NotFound: Its customer is not in the book.
            ApprovalRequired: ``issue`` and the approval policy holds manual invoices of
                this amount (use :meth:`request_manual_invoice`); nothing is stored.
        """
        return issuing.create_invoice(
            self._session,
            draft,
            issue=issue,
            issue_date=issue_date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def new_document_id(self) -> DocumentId:
        """A fresh document id for a draft built outside the book (``D0000000042``)."""
        return lookups.new_document_id(self._session)

    def issue_document(
        self,
        document_id: str,
        *,
        issue_date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Issue a draft: give it the next number of its series and post it, atomically.

        Args:
            document_id: The draft's id.
            issue_date: Issue (and posting) date; today by default.
            actor: Who issues it.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            InvalidState: The document is not a draft.
            PeriodClosed: The issue date is in a closed month.
            ApprovalRequired: The draft is a credit note or a manual invoice (not made by
                a bill run) above the approval policy's limit: use :meth:`request_issue`
                (or :meth:`request_manual_invoice`); nothing changes.
        """
        return issuing.issue_document(
            self._session,
            document_id,
            issue_date=issue_date,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def void_document(
        self,
        document_id: str,
        *,
        reason: str,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Void an issued invoice or debit note that nothing paid or credited.

        It keeps its number; its entry is reversed on ``date``. On a book with roles the
        actor needs one the permission matrix allows; above the policy's void limit
        (``approval.void.<CUR>``, the payable total) it runs only through
        :meth:`request_void` and another person's approval.

        Raises:
            InvalidState: Not issued, or already paid, credited or written off (issue a
                credit note instead).
            ApprovalRequired: The policy holds voids of this amount (nothing changes).
            CommandNotPermitted: The actor's roles do not permit voids.
        """
        return issuing.void_document(
            self._session,
            document_id,
            reason=reason,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    def create_credit_note(
        self,
        invoice: str,
        *,
        reason: ReasonCode | str,
        quantities: Mapping[int, Decimal | None] | None = None,
        amount: Money | None = None,
        reason_text: str = "",
        issue: bool = True,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Credit an issued invoice (all that is left, some quantities, or a net amount).

        The billing core computes the credit from the invoice's own rounded amounts and
        refuses anything beyond what is left. Issued at once by default: numbered and
        posted (against the invoice's open amount; any rest becomes customer credit).

        Args:
            invoice: The invoice's id or number.
            reason: Reason code (``"wrong_price"``...).
            quantities: ``{line number: quantity}`` to credit (``None``: what is left);
                units of a tiered line are the last units billed, credited at the
                invoice's tier prices. With ``amount``: the lines it goes on
                (``{2: None}``).
            amount: A net amount to credit instead, on the lines ``quantities`` names
                (every line without it), spread by their remaining net.
            reason_text: Free text for the customer.
            issue: Issue the note now (else it stays a draft).
            date: Issue date; today by default.
            actor: Who credits.
            idempotency_key: Repeating the key returns the first result.

        Raises:
            ApprovalRequired: ``issue`` and the note's payable total is above the approval
                policy's credit-note limit: use :meth:`request_credit_note`; nothing
                changes. (A draft is stored; issuing it is held the same way.)
        """
        return corrections.create_credit_note(
            self._session,
            invoice,
            reason=reason,
            quantities=quantities,
            amount=amount,
            reason_text=reason_text,
            issue=issue,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def create_debit_note(
        self,
        invoice: str,
        lines: Sequence[DocumentLine],
        *,
        reason: ReasonCode | str,
        reason_text: str = "",
        issue: bool = True,
        date: dt.date | None = None,
        actor: str | None = None,
        idempotency_key: str | None = None,
    ) -> Document:
        """Charge more on an issued invoice with a debit note (a new open item).

        Args:
            invoice: The invoice's id or number.
            lines: Taxed lines (see :func:`o2c.billing.corrections.adjustment_line`).
            reason: Reason code.
            reason_text: Free text.
            issue: Issue the note now.
            date: Issue date; today by default.
            actor: Who charges.
            idempotency_key: Repeating the key returns the first result.
        """
        return corrections.create_debit_note(
            self._session,
            invoice,
            lines,
            reason=reason,
            reason_text=reason_text,
            issue=issue,
            date=date,
            actor=actor,
            idempotency_key=idempotency_key,
        )

    # -- shims: other areas' callers (each moves to the named function) --------------
