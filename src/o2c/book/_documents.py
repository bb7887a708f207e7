"""Documents: drafts, issue (numbering + posting), void, credit and debit notes."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, Final

from o2c.billing import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    NumberSeries,
    ReasonCode,
    default_series,
    format_number,
)
from o2c.billing.corrections import credit_note_for, debit_note_for
from o2c.billing.lifecycle import issue as issue_draft
from o2c.billing.lifecycle import void as void_draft
from o2c.billing.posting import to_posting
from o2c.book._base import Touched
from o2c.book._docrows import (
    DOC_COLUMNS,
    DOC_INSERT,
    LINE_COLUMNS,
    LINE_INSERT,
    TAX_INSERT,
    document_from_rows,
    document_rows,
)
from o2c.book._journal import JournalMixin
from o2c.cases import ApprovalAction, approval_policy_from_settings, approval_reason
from o2c.errors import ApprovalRequired, InvalidState, NotFound, ValidationError
from o2c.ids import DocumentId
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.ledger.posting import post_document, post_void
from o2c.money import DEFAULT_ROUNDING, Money, Rounding

__all__ = ["DocumentsMixin"]

#: What a caller holding a policy-gated command should run instead (see _require_approval).
_REQUEST_HINT: Final = {
    ApprovalAction.REFUND: "request it with Book.request_refund() or `o2c refund request`",
    ApprovalAction.WRITE_OFF: (
        "request it with Book.request_write_off() or `o2c writeoff request`"
    ),
    ApprovalAction.CREDIT_NOTE: (
        "request it with Book.request_credit_note() or `o2c credit-note create` (a draft "
        "credit note: Book.request_issue() or `o2c approval request invoice DRAFT`)"
    ),
    ApprovalAction.MANUAL_INVOICE: (
        "request it with Book.request_manual_invoice() or `o2c approval request invoice DRAFT`"
    ),
}
_LABEL: Final = {
    ApprovalAction.REFUND: "refund",
    ApprovalAction.WRITE_OFF: "write-off",
    ApprovalAction.CREDIT_NOTE: "credit note",
    ApprovalAction.MANUAL_INVOICE: "manual invoice",
}


class DocumentsMixin(JournalMixin):
    """Invoices, credit notes and debit notes."""

    _snapshots: dict[CustomerSnapshot, str]

    # -- the approval policy's gate ------------------------------------------------------

    def _require_approval(self, action: ApprovalAction, amount: Money) -> None:
        """Refuse a command the book's approval policy holds for ``amount``.

        The base commands (:meth:`issue_document`, :meth:`create_credit_note`,
        ``refund``, ``write_off``) call this inside their transaction before writing
        anything, so the policy cannot be bypassed by calling them instead of the
        ``request_*`` commands; an approved request runs them past this gate.

        Raises:
            ApprovalRequired: The policy holds ``action`` on ``amount``; nothing was done.
        """
        rows = self._store.query("SELECT key, value FROM settings WHERE key LIKE 'approval.%'")
        if not rows:
            return
        policy = approval_policy_from_settings({str(k): str(v) for k, v in rows})
        reason = approval_reason(policy, action, amount)
        if reason is None:
            return
        threshold = policy.threshold(action, amount.currency.code)
        raise ApprovalRequired(
            _LABEL[action],
            None,
            reason,
            hint=(
                f"nothing was done: {_REQUEST_HINT[action]}, then another person approves it "
                "with `o2c approval approve ID` (Book.approve_request())"
            ),
            amount=abs(amount),
            limit=None if threshold is None else threshold.limit,
        )

    def _approval_action(self, document: Document) -> ApprovalAction | None:
        """The policy action that issuing ``document`` is, if any.

        A credit note is a credit note. An invoice is a *manual invoice* when no bill run
        made it: it has no bill-run key (contract period or sales order) and no stored
        bill run. Bill-run invoices and debit notes are not held.
        """
        if document.kind is DocumentKind.CREDIT_NOTE:
            return ApprovalAction.CREDIT_NOTE
        if document.kind is not DocumentKind.INVOICE or document.run_key is not None:
            return None
        row = self._store.query_one(
            "SELECT bill_run_id FROM documents WHERE id = ?", (document.id,)
        )
        if row is not None and row[0] is not None:
            return None
        return ApprovalAction.MANUAL_INVOICE

    def _require_issue_approval(self, document: Document) -> None:
        action = self._approval_action(document)
        if action is not None:
            self._require_approval(action, document.totals.payable)

    # -- storage -----------------------------------------------------------------------

    def _new_document_ids(self, count: int) -> list[DocumentId]:
        first = self._next_numbers("document", count)
        return [DocumentId(f"D{n:010d}") for n in range(first, first + count)]

    def _snapshot_cache(self) -> dict[CustomerSnapshot, str]:
        cache = getattr(self, "_snapshots", None)
        if cache is None:
            cache = {}
            self._snapshots = cache
        return cache

    def _insert_documents(
        self,
        docs: Sequence[Document],
        *,
        series: Mapping[str, str] | None = None,
        bill_run_id: str | None = None,
    ) -> None:
        now = self._now().isoformat()
        cache = self._snapshot_cache()
        doc_rows = []
        line_rows: list[tuple[Any, ...]] = []
        tax_rows: list[tuple[Any, ...]] = []
        for doc in docs:
            self._ensure_currency(doc.currency)
            issued_at = None if doc.status is DocumentStatus.DRAFT else now
            code = (series or {}).get(doc.id)
            d, lines, taxes = document_rows(
                doc,
                series=code,
                bill_run_id=bill_run_id,
                now=now,
                issued_at=issued_at,
                snapshots=cache,
                converter=self._converter(),
            )
            doc_rows.append(d)
            line_rows.extend(lines)
            tax_rows.extend(taxes)
        self._store.executemany(DOC_INSERT, doc_rows)
        self._store.executemany(LINE_INSERT, line_rows)
        if tax_rows:
            self._store.executemany(TAX_INSERT, tax_rows)

    def _load_documents(self, ids: Sequence[str]) -> list[Document]:
        if not ids:
            return []
        marks = ", ".join("?" for _ in ids)
        heads = self._store.query(f"SELECT {DOC_COLUMNS} FROM documents WHERE id IN ({marks})", ids)
        lines = self._store.query(
            f"SELECT {LINE_COLUMNS} FROM document_lines WHERE document_id IN ({marks})"
            " ORDER BY document_id, line_no",
            ids,
        )
        taxes = self._store.query(
            "SELECT document_id, tax_code, category, rate, withholding, base_minor, tax_minor,"
            f" exemption_reason, tax, label FROM document_taxes WHERE document_id IN ({marks})"
            " ORDER BY document_id, row_no",
            ids,
        )
        lines_of: dict[str, list[tuple[Any, ...]]] = {}
        for ln in lines:
            lines_of.setdefault(str(ln[0]), []).append(ln)
        taxes_of: dict[str, list[tuple[Any, ...]]] = {}
        for t in taxes:
            taxes_of.setdefault(str(t[0]), []).append(t[1:])
        converter = self._converter()
        by_id = {
            str(h[0]): document_from_rows(
                h, lines_of.get(str(h[0]), []), taxes_of.get(str(h[0]), []), converter
            )
            for h in heads
        }
        return [by_id[i] for i in ids if i in by_id]

    def get_document(self, id_or_number: str) -> Document:
        """The document with this id or number.

        Raises:
            NotFound: No such document.
        """
        row = self._store.query_one(
            "SELECT id FROM documents WHERE id = ? OR number = ?", (id_or_number, id_or_number)
        )
        if row is None:
            raise NotFound("document", id_or_number)
        return self._load_documents([str(row[0])])[0]

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
    ) -> list[Document]:
        """Documents ordered by id (creation order), optionally filtered."""
        where = []
        params: list[str | int] = []
        if customer is not None:
            where.append("customer_id = ?")
            params.append(customer)
        if kind is not None:
            where.append("kind = ?")
            params.append(DocumentKind(kind).value if isinstance(kind, str) else kind.value)
        if status is not None:
            where.append("status = ?")
            params.append(DocumentStatus(status).value if isinstance(status, str) else status.value)
        if bill_run is not None:
            where.append("bill_run_id = ?")
            params.append(bill_run)
        sql = "SELECT id FROM documents" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY id"
        if limit is not None:
            sql += " LIMIT ?"
            params.append(int(limit))
        ids = [str(r[0]) for r in self._store.query(sql, params)]
        found: list[Document] = []
        for start in range(0, len(ids), 500):
            found.extend(self._load_documents(ids[start : start + 500]))
        return found

    # -- issuing -----------------------------------------------------------------------

    def number_series(self, kind: DocumentKind | str) -> NumberSeries:
        """The number series documents of ``kind`` are numbered from.

        The default (``INV-{year}-{seq:06}``, ``CN-...``, ``DN-...``) unless the book's
        ``numbering.<kind>`` setting holds a pattern (see :meth:`set_number_series`).

        Raises:
            ValidationError: ``kind`` is not a document kind.
        """
        kind = document_kind(kind)
        default = default_series(kind)
        pattern = self._setting(f"numbering.{kind.value}")
        return default if pattern is None else NumberSeries(default.code, pattern)

    def _issue_documents(
        self, drafts: Sequence[Document], issue_date: dt.date
    ) -> tuple[list[Document], dict[str, str]]:
        """Number drafts (gapless per series counter) and return them issued."""
        groups: dict[str, list[int]] = {}
        series_of: dict[str, str] = {}
        chosen = {kind: self.number_series(kind) for kind in {d.kind for d in drafts}}
        for index, draft in enumerate(drafts):
            series = chosen[draft.kind]
            key = series.counter_key(issue_date.year, issue_date.month)
            groups.setdefault(key, []).append(index)
        issued: list[Document | None] = [None] * len(drafts)
        for key, indexes in groups.items():
            first = self._next_numbers(key, len(indexes))
            for offset, index in enumerate(indexes):
                draft = drafts[index]
                series = chosen[draft.kind]
                number = format_number(series, issue_date.year, first + offset, issue_date.month)
                issued[index] = issue_draft(draft, number, issue_date)
                series_of[draft.id] = series.code
        return [d for d in issued if d is not None], series_of

    def _post_documents(self, docs: Sequence[Document]) -> list[JournalEntry]:
        postable = [d for d in docs if not (d.totals.payable.is_zero and d.totals.gross.is_zero)]
        if not postable:
            return []
        ids = self._new_entry_ids(len(postable))
        entries = []
        for doc, entry_id in zip(postable, ids, strict=True):
            corrected_open = None
            if doc.kind is DocumentKind.CREDIT_NOTE and doc.reference is not None:
                day = doc.issue_date or self._today()
                item = self._open_item(doc.reference, day)
                corrected_open = Money.zero(doc.currency) if item is None else item.open
                if corrected_open.is_negative:
                    corrected_open = Money.zero(doc.currency)
            entries.append(
                post_document(
                    to_posting(doc),
                    entry_id=entry_id,
                    chart=self._chart,
                    corrected_open=corrected_open,
                )
            )
        return entries

    def create_draft(
        self, document: Document, *, actor: str | None = None, idempotency_key: str | None = None
    ) -> Document:
        """Store a draft document built with the billing core (drafts can still change).

        Raises:
            ValidationError: The document is not a draft.
            NotFound: Its customer is not in the book.
        """
        if document.status is not DocumentStatus.DRAFT:
            raise ValidationError("status", document.status.value, "a draft document")

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(document.customer.customer_id)
            if self._store.query_one("SELECT 1 FROM documents WHERE id = ?", (document.id,)):
                raise InvalidState(
                    f"document {document.id} exists already", document_id=document.id
                )
            self._insert_documents([document])
            touched.add(document.id)
            return {"id": document.id}

        result = self._run(
            "create_draft", actor=actor, key=idempotency_key, args=_summary(document), body=body
        )
        return self.get_document(result["id"])

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
        if draft.status is not DocumentStatus.DRAFT:
            raise ValidationError("status", draft.status.value, "a draft document")
        day = issue_date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            self._require_customer(draft.customer.customer_id)
            if self._store.query_one("SELECT 1 FROM documents WHERE id = ?", (draft.id,)):
                raise InvalidState(f"document {draft.id} exists already", document_id=draft.id)
            if issue:
                self._require_issue_approval(draft)
            return self._store_correction(draft, issue, day, touched)

        result = self._run(
            "create_invoice",
            actor=actor,
            key=idempotency_key,
            args={**_summary(draft), "issue": issue, "issue_date": day},
            body=body,
        )
        return self.get_document(result["id"])

    def new_document_id(self) -> DocumentId:
        """A fresh document id for a draft built outside the book (``D0000000042``)."""
        with self._store.transaction():
            return self._new_document_ids(1)[0]

    def _require_customer(self, customer_id: str) -> None:
        if self._store.query_one("SELECT 1 FROM customers WHERE id = ?", (customer_id,)) is None:
            raise NotFound("customer", customer_id, hint="add the customer first")

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
        return self._issue_document(
            document_id,
            issue_date=issue_date,
            actor=actor,
            idempotency_key=idempotency_key,
            approved=False,
        )

    def _issue_document(
        self,
        document_id: str,
        *,
        issue_date: dt.date | None,
        actor: str | None,
        idempotency_key: str | None,
        approved: bool,
    ) -> Document:
        """:meth:`issue_document`; ``approved`` (an approved request runs it) skips the gate."""
        day = issue_date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            draft = self._load_for_update(document_id)
            if not approved and draft.status is DocumentStatus.DRAFT:
                self._require_issue_approval(draft)
            [issued], series = self._issue_documents([draft], day)
            entries = self._post_documents([issued])
            self._store.execute(
                "UPDATE documents SET status = ?, series = ?, number = ?, issue_date = ?,"
                " due_date = ?, tax_point = ?, issued_at = ? WHERE id = ? AND status = 'draft'",
                (
                    issued.status.value,
                    series[issued.id],
                    issued.number,
                    day.isoformat(),
                    None if issued.due_date is None else issued.due_date.isoformat(),
                    None if issued.tax_point is None else issued.tax_point.isoformat(),
                    self._now().isoformat(),
                    issued.id,
                ),
            )
            self._write_entries(entries)
            touched.add(issued.id, *(e.id for e in entries))
            return {"id": issued.id, "number": issued.number}

        result = self._run(
            "issue_document",
            actor=actor,
            key=idempotency_key,
            args={"document_id": document_id, "issue_date": day},
            body=body,
        )
        return self.get_document(result["id"])

    def _load_for_update(self, document_id: str) -> Document:
        docs = self._load_documents([document_id])
        if not docs:
            row = self._store.query_one("SELECT id FROM documents WHERE number = ?", (document_id,))
            if row is not None:
                docs = self._load_documents([str(row[0])])
        if not docs:
            raise NotFound("document", document_id)
        return docs[0]

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

        It keeps its number; its entry is reversed on ``date``.

        Raises:
            InvalidState: Not issued, or already paid, credited or written off (issue a
                credit note instead).
        """
        day = date or self._today()

        def body(touched: Touched) -> dict[str, Any]:
            doc = self._load_for_update(document_id)
            item = self._open_item(doc.id, day)
            touched_amount = None
            if item is not None and item.open != item.original:
                touched_amount = item.original - item.open
            voided = void_draft(doc, paid=touched_amount)
            origin = [
                e
                for e in self.journal(source=doc.id)
                if e.kind in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE)
            ]
            entries = []
            if origin and item is not None:
                [entry_id] = self._new_entry_ids(1)
                entries.append(
                    post_void(origin[0], entry_id=entry_id, date=day, open_item=item, reason=reason)
                )
            elif not reason.strip():
                raise ValidationError("reason", reason, "why the document is voided")
            self._write_entries(entries)
            self._store.execute(
                "UPDATE documents SET status = 'void', voided_at = ?, void_reason = ?"
                " WHERE id = ? AND status = 'issued'",
                (self._now().isoformat(), reason, voided.id),
            )
            touched.add(voided.id, *(e.id for e in entries))
            return {"id": voided.id}

        result = self._run(
            "void_document",
            actor=actor,
            key=idempotency_key,
            args={"document_id": document_id, "reason": reason, "date": day},
            body=body,
        )
        return self.get_document(result["id"])

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
            quantities: ``{line number: quantity}`` to credit (``None``: what is left).
            amount: A net amount to credit instead, spread over the lines.
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
        return self._create_credit_note(
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

    def _create_credit_note(
        self,
        invoice: str,
        *,
        reason: ReasonCode | str,
        quantities: Mapping[int, Decimal | None] | None,
        amount: Money | None,
        reason_text: str,
        issue: bool,
        date: dt.date | None,
        actor: str | None,
        idempotency_key: str | None,
        approved: bool,
    ) -> Document:
        """:meth:`create_credit_note`; ``approved`` (an approved request) skips the gate."""
        day = date or self._today()
        code = ReasonCode.parse(reason)

        def body(touched: Touched) -> dict[str, Any]:
            original = self._load_for_update(invoice)
            prior = self._prior_credits(original.id)
            [new_id] = self._new_document_ids(1)
            draft = credit_note_for(
                original,
                prior,
                id=new_id,
                reason=code,
                quantities=quantities,
                amount=amount,
                reason_text=reason_text,
                tax_point=day,
                rounding=Rounding.parse(self._setting("rounding") or DEFAULT_ROUNDING.name),
            )
            if issue and not approved:
                self._require_approval(ApprovalAction.CREDIT_NOTE, draft.totals.payable)
            return self._store_correction(draft, issue, day, touched)

        result = self._run(
            "create_credit_note",
            actor=actor,
            key=idempotency_key,
            args={
                "invoice": invoice,
                "reason": code,
                "quantities": {str(k): v for k, v in (quantities or {}).items()},
                "amount": amount,
                "reason_text": reason_text,
                "issue": issue,
                "date": day,
            },
            body=body,
        )
        return self.get_document(result["id"])

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
        day = date or self._today()
        code = ReasonCode.parse(reason)

        def body(touched: Touched) -> dict[str, Any]:
            original = self._load_for_update(invoice)
            [new_id] = self._new_document_ids(1)
            draft = debit_note_for(
                original, lines, id=new_id, reason=code, reason_text=reason_text, tax_point=day
            )
            return self._store_correction(draft, issue, day, touched)

        result = self._run(
            "create_debit_note",
            actor=actor,
            key=idempotency_key,
            args={"invoice": invoice, "lines": list(lines), "reason": code, "date": day},
            body=body,
        )
        return self.get_document(result["id"])

    def _prior_credits(self, invoice_id: str) -> list[Document]:
        rows = self._store.query(
            "SELECT id FROM documents WHERE corrects_id = ? AND kind = 'credit_note'"
            " AND status <> 'void' ORDER BY id",
            (invoice_id,),
        )
        return self._load_documents([str(r[0]) for r in rows])

    def _store_correction(
        self, draft: Document, issue: bool, day: dt.date, touched: Touched
    ) -> dict[str, Any]:
        if not issue:
            self._insert_documents([draft])
            touched.add(draft.id)
            return {"id": draft.id}
        [issued], series = self._issue_documents([draft], day)
        entries = self._post_documents([issued])
        self._insert_documents([issued], series=series)
        self._write_entries(entries)
        touched.add(issued.id, *(e.id for e in entries))
        return {"id": issued.id}


def _summary(document: Document) -> dict[str, object]:
    """What the audit trail and idempotency keys record of a document argument."""
    return {
        "document_id": document.id,
        "kind": document.kind.value,
        "customer": document.customer.customer_id,
        "currency": document.currency.code,
        "lines": [
            [line.item, str(line.quantity), str(line.net.amount), str(line.tax.amount)]
            for line in document.lines
        ],
        "payable": str(document.totals.payable.amount),
    }


def document_kind(kind: DocumentKind | str) -> DocumentKind:
    """``kind`` as a :class:`DocumentKind` (``"credit-note"`` or ``"credit_note"``).

    Raises:
        ValidationError: Not a document kind.
    """
    if isinstance(kind, DocumentKind):
        return kind
    try:
        return DocumentKind(str(kind).replace("-", "_"))
    except ValueError:
        raise ValidationError(
            "kind", kind, f"one of {', '.join(k.value for k in DocumentKind)}"
        ) from None
