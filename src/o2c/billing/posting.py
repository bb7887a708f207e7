"""From an issued document to the ledger: :func:`to_posting` and :func:`post`.

Billing's :class:`~o2c.billing.Document` is mapped onto the ledger's
:class:`~o2c.ledger.DocumentPosting`: revenue summed per item class, tax per tax
(``MX-IVA``), withholdings per tax (``MX-ISR``), and the receivable equal to the
document's payable amount, so the entry balances by construction.

Example:
    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> from o2c.billing import CustomerSnapshot, DocumentLine, LineTax, draft_document, issue
    >>> from o2c.ids import CustomerId, DocumentId, EntryId, ItemCode
    >>> from o2c.money import Currency, Money
    >>> mxn = Currency.of("MXN")
    >>> line = DocumentLine(1, ItemCode("SEAT"), "Seats", Decimal(2), Money.of("50", mxn),
    ...     Money.of("100.00", mxn),
    ...     (LineTax("MX-IVA-16", "S", Decimal("0.16"), Money.of("16.00", mxn), tax="MX-IVA"),))
    >>> who = CustomerSnapshot(CustomerId("C-1"), "ACME", None, None, "MX")
    >>> invoice = issue(draft_document(DocumentId("I-1"), who, mxn, [line]), "INV-1",
    ...     dt.date(2026, 10, 31))
    >>> entry = post(invoice, entry_id=EntryId("E-1"), item_classes={"SEAT": "SAAS"})
    >>> [(p.account, str(p.amount)) for p in entry.lines]
    [('1100', '116.00 MXN'), ('4000-SAAS', '-100.00 MXN'), ('2300-MX-IVA', '-16.00 MXN')]
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Final

from o2c.billing._documents import Document, DocumentKind, DocumentStatus
from o2c.errors import InvalidState
from o2c.ids import EntryId
from o2c.ledger import (
    DEFAULT_CHART,
    ChartOfAccounts,
    DocumentPosting,
    JournalEntry,
    RevenueAmount,
    TaxAmount,
    WithholdingAmount,
    post_document,
)
from o2c.ledger import DocumentKind as LedgerKind
from o2c.money import Money

__all__ = ["post", "to_posting"]

_KINDS: Final = {
    DocumentKind.INVOICE: LedgerKind.INVOICE,
    DocumentKind.CREDIT_NOTE: LedgerKind.CREDIT_NOTE,
    DocumentKind.DEBIT_NOTE: LedgerKind.DEBIT_NOTE,
}
_ZERO: Final = Decimal(0)


def to_posting(
    document: Document,
    *,
    item_classes: Mapping[str, str] | None = None,
    posting_date: dt.date | None = None,
) -> DocumentPosting:
    """The ledger's view of an issued ``document``.

    Args:
        document: An issued invoice, credit note or debit note.
        item_classes: Item code -> item class (revenue account suffix); items not in it
            post to the bare revenue account.
        posting_date: The posting date; the issue date by default (the book passes the
            next open day when the issue date's period is closed).

    Raises:
        InvalidState: The document is not issued.
    """
    if document.status is not DocumentStatus.ISSUED or document.number is None:
        raise InvalidState(
            f"{document.label} is {document.status.value}; only issued documents post",
            document_id=document.id,
        )
    assert document.issue_date is not None  # guaranteed by Document for issued ones
    classes = item_classes or {}
    revenue: dict[str | None, Decimal] = {}
    taxes: dict[str, Decimal] = {}
    withheld: dict[str, Decimal] = {}
    for line in document.lines:
        item_class = classes.get(line.item)
        revenue[item_class] = revenue.get(item_class, _ZERO) + line.net.amount
        for t in line.taxes:
            code = t.tax or t.code
            bucket = withheld if t.withholding else taxes
            bucket[code] = bucket.get(code, _ZERO) + t.amount.amount
    cur = document.currency
    date = posting_date or document.issue_date
    return DocumentPosting(
        document_id=document.id,
        number=document.number,
        kind=_KINDS[document.kind],
        customer=document.customer.customer_id,
        date=date,
        due_date=document.due_date or date,
        currency=cur,
        revenue=tuple(RevenueAmount(Money(a, cur), item_class=c) for c, a in revenue.items()),
        taxes=tuple(TaxAmount(code, Money(a, cur)) for code, a in taxes.items()),
        withholdings=tuple(WithholdingAmount(code, Money(a, cur)) for code, a in withheld.items()),
        receivable=document.totals.payable,
        corrects=document.reference if document.kind is not DocumentKind.INVOICE else None,
    )


def post(
    document: Document,
    *,
    entry_id: EntryId,
    chart: ChartOfAccounts = DEFAULT_CHART,
    item_classes: Mapping[str, str] | None = None,
    posting_date: dt.date | None = None,
    corrected_open: Money | None = None,
) -> JournalEntry:
    """The journal entry of an issued document, in one call.

    Args:
        document: The issued document.
        entry_id: Id of the new entry.
        chart: Chart of accounts.
        item_classes: Item code -> item class for revenue accounts.
        posting_date: Posting date (issue date by default).
        corrected_open: For a credit note: the corrected invoice's open amount as of the
            note's date (the part above it becomes a customer credit).

    Raises:
        InvalidState: The document is not issued.
    """
    return post_document(
        to_posting(document, item_classes=item_classes, posting_date=posting_date),
        entry_id=entry_id,
        chart=chart,
        corrected_open=corrected_open,
    )
