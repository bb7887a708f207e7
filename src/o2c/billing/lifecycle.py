"""Document lifecycle: draft (editable) -> issued (immutable, numbered) -> void.

Example:
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from o2c.billing import DocumentLine, LineTax, draft_document, issue
    >>> from o2c.ids import CustomerId, DocumentId, ItemCode
    >>> from o2c.money import Currency, Money
    >>> from o2c.billing import CustomerSnapshot
    >>> usd = Currency.of("USD")
    >>> line = DocumentLine(1, ItemCode("SETUP"), "Set-up", Decimal(1), Money.of("100", usd),
    ...     Money.of("100.00", usd), (LineTax("VAT-16", "S", Decimal("0.16"),
    ...     Money.of("16.00", usd)),))
    >>> who = CustomerSnapshot(CustomerId("C-1"), "ACME", None, None, "MX")
    >>> draft = draft_document(DocumentId("D-1"), who, usd, [line], payment_terms="net 30")
    >>> invoice = issue(draft, "INV-2026-000001", dt.date(2026, 10, 31))
    >>> invoice.status.value, str(invoice.totals.payable), invoice.due_date
    ('issued', '116.00 USD', datetime.date(2026, 11, 30))
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Final

import attrs

from o2c.billing._documents import (
    CustomerSnapshot,
    Document,
    DocumentKind,
    DocumentLine,
    DocumentStatus,
    ReasonCode,
    TaxSubtotal,
    compute_totals,
)
from o2c.calendar import PaymentTerms, Period
from o2c.errors import InvalidState, ValidationError
from o2c.ids import ContractId, DocumentId
from o2c.money import Currency, Money

__all__ = [
    "draft_document",
    "is_manual_invoice",
    "issue",
    "needs_approval",
    "renumber_lines",
    "replace_lines",
    "void",
]

_NO_BREAKDOWN: Final = None


def renumber_lines(lines: Sequence[DocumentLine]) -> tuple[DocumentLine, ...]:
    """Return ``lines`` numbered 1, 2, 3... in order."""
    return tuple(
        line if line.number == n else attrs.evolve(line, number=n)
        for n, line in enumerate(lines, start=1)
    )


def draft_document(
    id: DocumentId,
    customer: CustomerSnapshot,
    currency: Currency,
    lines: Sequence[DocumentLine],
    *,
    kind: DocumentKind = DocumentKind.INVOICE,
    breakdown: tuple[TaxSubtotal, ...] | None = _NO_BREAKDOWN,
    tax_point: dt.date | None = None,
    period: Period | None = None,
    contract_id: ContractId | None = None,
    po_number: str | None = None,
    payment_terms: str = "",
    reference: DocumentId | None = None,
    reason: ReasonCode | None = None,
    reason_text: str = "",
    run_key: str | None = None,
    notes: Sequence[str] = (),
    explain: Sequence[str] = (),
) -> Document:
    """Build a draft document from taxed lines; totals are their sums.

    ``notes`` are the legal texts printed on it, ``explain`` its technical explanation
    (:func:`o2c.billing.tax_explanation`).

    Lines are renumbered 1, 2, 3... in the order given.

    Raises:
        CurrencyMismatch: A line is in another currency.
        ValidationError: An invalid combination (a correction without reference...).
    """
    numbered = renumber_lines(lines)
    for line in numbered:
        if line.net.currency != currency:
            raise ValidationError(
                f"lines[{line.number - 1}].net", str(line.net), f"an amount in {currency}"
            )
    return Document(
        id=id,
        kind=kind,
        status=DocumentStatus.DRAFT,
        customer=customer,
        currency=currency,
        lines=numbered,
        totals=compute_totals(numbered, currency, breakdown),
        tax_point=tax_point,
        period=period,
        contract_id=contract_id,
        po_number=po_number,
        payment_terms=payment_terms,
        reference=reference,
        reason=reason,
        reason_text=reason_text,
        run_key=run_key,
        notes=tuple(notes),
        explain=tuple(explain),
    )


def _require_draft(document: Document, action: str) -> None:
    if document.status is not DocumentStatus.DRAFT:
        raise InvalidState(
            f"{document.kind.value.replace('_', ' ')} {document.label} is "
            f"{document.status.value}; cannot {action} it"
            + (
                "; issue a credit or debit note instead"
                if document.status is DocumentStatus.ISSUED
                else ""
            ),
            document_id=document.id,
        )


def replace_lines(
    draft: Document,
    lines: Sequence[DocumentLine],
    breakdown: tuple[TaxSubtotal, ...] | None = _NO_BREAKDOWN,
) -> Document:
    """Return the draft with new lines and recomputed totals (drafts only).

    Raises:
        InvalidState: The document is issued or void.
    """
    _require_draft(draft, "edit")
    numbered = renumber_lines(lines)
    return attrs.evolve(
        draft, lines=numbered, totals=compute_totals(numbered, draft.currency, breakdown)
    )


def issue(
    draft: Document,
    number: str,
    issue_date: dt.date,
    *,
    terms: PaymentTerms | None = None,
) -> Document:
    """Issue a draft: give it its number, date and due date. Issued documents never change.

    The number comes from the store's counter for the document's series (see
    :mod:`o2c.billing.numbering`); the store makes it gapless and unique.

    Args:
        draft: The draft.
        number: The formatted document number.
        issue_date: Issue date (also the accounting date).
        terms: Payment terms; by default those printed on the draft (``net 30`` when
            it has none). Credit notes are due on issue.

    Raises:
        InvalidState: The document is not a draft.
        ValidationError: Empty number, or a document with no lines.
    """
    _require_draft(draft, "issue")
    if not isinstance(number, str) or not number.strip():
        raise ValidationError("number", number, "a document number such as 'INV-2026-000001'")
    if not draft.lines:
        raise ValidationError("lines", [], f"at least one line to issue {draft.label}")
    if draft.kind is DocumentKind.CREDIT_NOTE:
        due = issue_date
    else:
        if terms is None:
            terms = PaymentTerms.parse(draft.payment_terms or "net 30")
        due = terms.due_date(issue_date)
    return attrs.evolve(
        draft,
        status=DocumentStatus.ISSUED,
        number=number,
        issue_date=issue_date,
        due_date=due,
        tax_point=draft.tax_point or issue_date,
    )


def void(
    document: Document, *, paid: Money | None = None, credited: Money | None = None
) -> Document:
    """Void an issued document that nothing has paid or credited. It keeps its number.

    Args:
        document: The issued document.
        paid: Amount allocated to it from payments (the ledger knows).
        credited: Amount credited on it by credit notes.

    Raises:
        InvalidState: Not issued, a credit note (reverse it with a debit note), or already
            paid or credited (then issue a credit note).
    """
    if document.status is not DocumentStatus.ISSUED:
        raise InvalidState(
            f"{document.label} is {document.status.value}; only issued documents can be voided",
            document_id=document.id,
        )
    if document.kind is DocumentKind.CREDIT_NOTE:
        raise InvalidState(
            f"credit note {document.label} cannot be voided (the ledger has applied it); "
            "issue a debit note to reverse it",
            document_id=document.id,
        )
    touched = [
        f"{what} {amount}"
        for what, amount in (("paid", paid), ("credited", credited))
        if amount is not None and not amount.is_zero
    ]
    if touched:
        raise InvalidState(
            f"{document.kind.value.replace('_', ' ')} {document.label} is already "
            f"{' and '.join(touched)}; issue a credit note instead of voiding it",
            document_id=document.id,
        )
    return attrs.evolve(document, status=DocumentStatus.VOID)


def needs_approval(document: Document, threshold: Money | None) -> bool:
    """Whether issuing ``document`` needs an approver (manual invoices and credits above
    the threshold; the book decides which kinds a policy covers).

    Raises:
        ValidationError: The threshold is in another currency.
    """
    if threshold is None:
        return False
    if threshold.currency != document.currency:
        raise ValidationError(
            "threshold", str(threshold), f"a threshold in the document currency {document.currency}"
        )
    return document.totals.gross.amount > threshold.amount


def is_manual_invoice(document: Document, *, bill_run_id: str | None) -> bool:
    """Whether ``document`` is a *manual* invoice: an invoice no bill run made.

    A bill run's invoice has a run key (its contract period or sales order) or the id
    of the stored bill run (``bill_run_id``) that made it. Approval policies hold manual
    invoices, not bill-run ones; credit and debit notes are not invoices.
    """
    return (
        document.kind is DocumentKind.INVOICE and document.run_key is None and bill_run_id is None
    )
