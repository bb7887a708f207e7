"""Storing, numbering, posting and voiding documents; the approval policy's gate.

The use cases behind ``Book.create_draft``, ``create_invoice``, ``issue_document``,
``void_document`` and ``number_series``, and the steps the bill run and the correction
commands share: :func:`insert_documents`, :func:`issue_documents` (gapless numbers per
series counter), :func:`post_documents` and :func:`store_correction`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from typing import Any, Final

from o2c.billing import CustomerSnapshot, Document, DocumentKind, DocumentStatus, NumberSeries
from o2c.billing.lifecycle import is_manual_invoice
from o2c.billing.lifecycle import issue as issue_draft
from o2c.billing.lifecycle import void as void_draft
from o2c.billing.numbering import format_number, series_for
from o2c.billing.posting import to_posting
from o2c.book._journal import journal, new_entry_ids, open_item, write_entries
from o2c.book._limits import item_history, lasting_open_item
from o2c.book._lookups import get_document, load_for_update, require_customer
from o2c.book._revrec import deferral as revrec_deferral
from o2c.book._revrec import void_schedules
from o2c.book._session import Session, Touched
from o2c.book._tables import documents as documents_table
from o2c.book._tables import sellers as sellers_table
from o2c.book._tables import settings as settings_table
from o2c.cases import (
    ApprovalAction,
    RunningTotals,
    approval_hold,
    approval_policy_from_settings,
)
from o2c.errors import ApprovalRequired, InvalidState, ValidationError
from o2c.ledger.items import correctable_open, settled_part
from o2c.ledger.journal import EntryKind, JournalEntry
from o2c.ledger.limits import check_untouched
from o2c.ledger.posting import post_document, post_void
from o2c.money import Money

__all__ = [
    "approval_action",
    "create_draft",
    "create_invoice",
    "document_kind",
    "insert_documents",
    "issue_document",
    "issue_documents",
    "number_series",
    "post_documents",
    "require_approval",
    "store_correction",
    "summary",
    "void_document",
]

#: What a caller holding a policy-gated command should run instead (see require_approval).
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
    ApprovalAction.VOID: (
        "request it with Book.request_void() or `o2c approval request void DOCUMENT`"
    ),
}
_LABEL: Final = {
    ApprovalAction.REFUND: "refund",
    ApprovalAction.WRITE_OFF: "write-off",
    ApprovalAction.CREDIT_NOTE: "credit note",
    ApprovalAction.MANUAL_INVOICE: "manual invoice",
    ApprovalAction.VOID: "void",
}


# -- the approval policy's gate -------------------------------------------------------------


def require_approval(
    session: Session,
    action: ApprovalAction,
    amount: Money,
    *,
    totals: RunningTotals | None = None,
) -> None:
    """Refuse a command the book's approval policy holds for ``amount``.

    The base commands (``issue_document``, ``create_credit_note``, ``refund``,
    ``write_off``, ``void_document``) call this inside their transaction before writing
    anything, so the policy cannot be bypassed by calling them instead of the
    ``request_*`` commands; an approved request runs them past this gate. ``totals``: the
    customer's running totals of the action that day and month (refunds), held to the
    policy's day and month limits too.

    Raises:
        ApprovalRequired: The policy holds ``action`` on ``amount``; nothing was done.
    """
    settings = settings_table.with_prefix(session.store, "approval.")
    if not settings:
        return
    policy = approval_policy_from_settings(settings)
    held = approval_hold(policy, action, amount, totals=totals)
    if held is None:
        return
    reason, threshold = held
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


def approval_action(session: Session, document: Document) -> ApprovalAction | None:
    """The policy action that issuing ``document`` is, if any.

    A credit note is a credit note; an invoice no bill run made is a manual invoice
    (:func:`o2c.billing.lifecycle.is_manual_invoice`). Bill-run invoices and debit
    notes are not held.
    """
    if document.kind is DocumentKind.CREDIT_NOTE:
        return ApprovalAction.CREDIT_NOTE
    if document.kind is not DocumentKind.INVOICE or document.run_key is not None:
        return None
    run = documents_table.bill_run_of(session.store, document.id)
    return ApprovalAction.MANUAL_INVOICE if is_manual_invoice(document, bill_run_id=run) else None


def _require_issue_approval(session: Session, document: Document, day: dt.date) -> None:
    action = approval_action(session, document)
    if action is not None:
        require_approval(session, action, document.totals.payable)
    if action is ApprovalAction.MANUAL_INVOICE:
        # Credit limits and holds (issue 20): a manual invoice past them needs approval.
        from o2c.book._credit import require_credit_approval

        require_credit_approval(session, document, day)


# -- storage, numbering and posting ---------------------------------------------------------


def _snapshots(session: Session) -> dict[CustomerSnapshot, str]:
    # The customer snapshots' stored JSON, cached per book (the bill run shares it).
    return session.snapshots


def insert_documents(
    session: Session,
    docs: Sequence[Document],
    *,
    series: Mapping[str, str] | None = None,
    bill_run_id: str | None = None,
) -> None:
    """Store documents (``series``: the number series code per issued document id);
    issued ones record the seller's current version."""
    for doc in docs:
        session.ensure_currency(doc.currency)
    issued = any(doc.status is not DocumentStatus.DRAFT for doc in docs)
    version = sellers_table.current_version(session.store) if issued else None
    documents_table.insert_documents(
        session.store,
        docs,
        series=series,
        bill_run_id=bill_run_id,
        now=session.now().isoformat(),
        snapshots=_snapshots(session),
        converter=session.converter(),
        seller_version=version,
    )


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


def number_series(session: Session, kind: DocumentKind | str) -> NumberSeries:
    """The number series documents of ``kind`` are numbered from (``Book.number_series``).

    Raises:
        ValidationError: ``kind`` is not a document kind.
    """
    kind = document_kind(kind)
    return series_for(kind, session.setting(f"numbering.{kind.value}"))


def issue_documents(
    session: Session, drafts: Sequence[Document], issue_date: dt.date
) -> tuple[list[Document], dict[str, str]]:
    """Number drafts (gapless per series counter) and return them issued, with the
    series code of each."""
    groups: dict[str, list[int]] = {}
    series_of: dict[str, str] = {}
    chosen = {kind: number_series(session, kind) for kind in {d.kind for d in drafts}}
    for index, draft in enumerate(drafts):
        key = chosen[draft.kind].counter_key(issue_date.year, issue_date.month)
        groups.setdefault(key, []).append(index)
    issued: list[Document | None] = [None] * len(drafts)
    for key, indexes in groups.items():
        first = session.next_numbers(key, len(indexes))
        for offset, index in enumerate(indexes):
            draft = drafts[index]
            series = chosen[draft.kind]
            number = format_number(series, issue_date.year, first + offset, issue_date.month)
            issued[index] = issue_draft(draft, number, issue_date)
            series_of[draft.id] = series.code
    return [d for d in issued if d is not None], series_of


def post_documents(session: Session, docs: Sequence[Document]) -> list[JournalEntry]:
    """The journal entries of issued documents (nothing for an all-zero document)."""
    postable = [d for d in docs if not (d.totals.payable.is_zero and d.totals.gross.is_zero)]
    if not postable:
        return []
    ids = new_entry_ids(session, len(postable))
    entries = []
    # Revenue recognition (o2c.book._revrec): None in a book without recognition rules.
    deferral = revrec_deferral(session)
    for doc, entry_id in zip(postable, ids, strict=True):
        corrected_open = None
        if doc.kind is DocumentKind.CREDIT_NOTE and doc.reference is not None:
            day = doc.issue_date or session.today()
            corrected_open = correctable_open(
                lasting_open_item(session, doc.reference, day), doc.currency
            )
        posting = to_posting(doc)
        if deferral is not None:
            posting = deferral.defer(doc, posting, entry_id)
        entries.append(
            post_document(
                posting,
                entry_id=entry_id,
                chart=session.chart,
                corrected_open=corrected_open,
            )
        )
    if deferral is not None:
        deferral.write()
    return entries


def store_correction(
    session: Session, draft: Document, issue: bool, day: dt.date, touched: Touched
) -> dict[str, Any]:
    """Store ``draft`` (issued, numbered and posted on ``day`` when ``issue``)."""
    if not issue:
        insert_documents(session, [draft])
        touched.add(draft.id)
        return {"id": draft.id}
    [issued], series = issue_documents(session, [draft], day)
    entries = post_documents(session, [issued])
    insert_documents(session, [issued], series=series)
    write_entries(session, entries)
    touched.add(issued.id, *(e.id for e in entries))
    return {"id": issued.id}


def summary(document: Document) -> dict[str, object]:
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


def _refuse_existing(session: Session, document: Document) -> None:
    if documents_table.exists(session.store, document.id):
        raise InvalidState(f"document {document.id} exists already", document_id=document.id)


# -- commands --------------------------------------------------------------------------------


def create_draft(
    session: Session, document: Document, *, actor: str | None, idempotency_key: str | None
) -> Document:
    """Store a draft document (``Book.create_draft``)."""
    if document.status is not DocumentStatus.DRAFT:
        raise ValidationError("status", document.status.value, "a draft document")

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, document.customer.customer_id)
        _refuse_existing(session, document)
        insert_documents(session, [document])
        touched.add(document.id)
        return {"id": document.id}

    result = session.run(
        "create_draft", actor=actor, key=idempotency_key, args=summary(document), body=body
    )
    return get_document(session, str(result["id"]))


def create_invoice(
    session: Session,
    draft: Document,
    *,
    issue: bool,
    issue_date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
) -> Document:
    """Store a manual invoice and issue it (``Book.create_invoice``)."""
    if draft.status is not DocumentStatus.DRAFT:
        raise ValidationError("status", draft.status.value, "a draft document")
    day = issue_date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        require_customer(session, draft.customer.customer_id)
        _refuse_existing(session, draft)
        if issue:
            _require_issue_approval(session, draft, day)
        return store_correction(session, draft, issue, day, touched)

    result = session.run(
        "create_invoice",
        actor=actor,
        key=idempotency_key,
        args={**summary(draft), "issue": issue, "issue_date": day},
        body=body,
    )
    return get_document(session, str(result["id"]))


def issue_document(
    session: Session,
    document_id: str,
    *,
    issue_date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
    approved: bool,
) -> Document:
    """Issue a draft (``Book.issue_document``); ``approved`` (an approved request runs
    it) skips the policy's gate."""
    day = issue_date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        draft = load_for_update(session, document_id)
        if not approved and draft.status is DocumentStatus.DRAFT:
            _require_issue_approval(session, draft, day)
        [issued], series = issue_documents(session, [draft], day)
        entries = post_documents(session, [issued])
        documents_table.mark_issued(
            session.store,
            issued,
            series=series[issued.id],
            issued_at=session.now().isoformat(),
            seller_version=sellers_table.current_version(session.store),
        )
        write_entries(session, entries)
        touched.add(issued.id, *(e.id for e in entries))
        return {"id": issued.id, "number": issued.number}

    result = session.run(
        "issue_document",
        actor=actor,
        key=idempotency_key,
        args={"document_id": document_id, "issue_date": day},
        body=body,
    )
    return get_document(session, str(result["id"]))


def void_document(
    session: Session,
    document_id: str,
    *,
    reason: str,
    date: dt.date | None,
    actor: str | None,
    idempotency_key: str | None,
    approved: bool = False,
) -> Document:
    """Void an issued document nothing touched (``Book.void_document``); ``approved`` (an
    approved request runs it) skips the policy's gate.

    Raises:
        ApprovalRequired: Not ``approved``, the document is issued and the policy holds
            voids of its payable total (``approval.void.<CUR>``).
    """
    day = date or session.today()

    def body(touched: Touched) -> dict[str, Any]:
        doc = load_for_update(session, document_id)
        item = open_item(session, doc.id, day)
        voided = void_draft(doc, paid=settled_part(item))
        if not approved and doc.status is DocumentStatus.ISSUED:
            require_approval(session, ApprovalAction.VOID, doc.totals.payable)
        if item is not None:
            # Untouched as of the void's date and every later date (o2c.ledger.limits).
            what = f"{doc.kind.value.replace('_', ' ')} {doc.label}"
            check_untouched(item_history(session, doc.id), item.original, on=day, what=what)
        origin = [
            e
            for e in journal(session, source=doc.id)
            if e.kind in (EntryKind.INVOICE, EntryKind.DEBIT_NOTE)
        ]
        entries = []
        if origin and item is not None:
            [entry_id] = new_entry_ids(session, 1)
            entries.append(
                post_void(origin[0], entry_id=entry_id, date=day, open_item=item, reason=reason)
            )
        elif not reason.strip():
            raise ValidationError("reason", reason, "why the document is voided")
        write_entries(session, entries)
        void_schedules(session, voided.id, day)
        documents_table.mark_void(
            session.store, voided.id, reason=reason, voided_at=session.now().isoformat()
        )
        touched.add(voided.id, *(e.id for e in entries))
        return {"id": voided.id}

    result = session.run(
        "void_document",
        actor=actor,
        key=idempotency_key,
        args={"document_id": document_id, "reason": reason, "date": day},
        body=body,
    )
    return get_document(session, str(result["id"]))
