"""Builders for ledger tests: documents and payments in a few words."""

from __future__ import annotations

import datetime as dt

from o2c.ids import CustomerId, DocumentId, PaymentId
from o2c.ledger import (
    DocumentKind,
    DocumentPosting,
    Payment,
    RevenueAmount,
    TaxAmount,
)
from o2c.money import Currency, Money


def money(amount: str, currency: str = "USD") -> Money:
    """Parse an amount in ``currency``."""
    return Money.of(amount, currency)


def invoice(
    doc_id: str,
    customer: str,
    date: dt.date,
    due: dt.date,
    net: str,
    tax: str = "0.00",
    *,
    currency: str = "USD",
    kind: DocumentKind = DocumentKind.INVOICE,
    corrects: str | None = None,
) -> DocumentPosting:
    """An invoice (or another document kind) with one revenue line and one tax."""
    net_m, tax_m = money(net, currency), money(tax, currency)
    return DocumentPosting(
        document_id=DocumentId(doc_id),
        number=f"N-{doc_id}",
        kind=kind,
        customer=CustomerId(customer),
        date=date,
        due_date=due,
        currency=Currency.of(currency),
        revenue=(RevenueAmount(net_m, item_class="SERVICES"),),
        taxes=(TaxAmount("VAT", tax_m),) if not tax_m.is_zero else (),
        receivable=net_m + tax_m,
        corrects=DocumentId(corrects) if corrects else None,
    )


def payment(
    pay_id: str, customer: str, date: dt.date, amount: str, currency: str = "USD"
) -> Payment:
    """A bank transfer."""
    return Payment(PaymentId(pay_id), CustomerId(customer), date, money(amount, currency))
